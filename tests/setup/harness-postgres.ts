/**
 * vitest setupFile of the `postgres` project (vitest.config.ts): the feature files it re-runs
 * open their harness on PostgreSQL, with empty databases ready before each test.
 */
import { afterAll, beforeEach } from 'vitest';
import { closeHarnessPostgres, prepareHarnessPostgres } from '../helpers/postgres';

/** Fresh stores one test may open (most open one; a few compare communities side by side). */
const STORES_PER_TEST = 2;

beforeEach(() => prepareHarnessPostgres(STORES_PER_TEST));
afterAll(() => closeHarnessPostgres());
