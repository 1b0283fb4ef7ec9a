/**
 * PostgreSQL for a test file: its own database in the cluster tests/setup/postgres.ts started
 * (or HEARTH_TEST_DATABASE_URL's server), migrated once, emptied before each store is opened.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Repositories } from '../../src/core/storage';
import { openPostgres, type PostgresHandle } from '../../src/db/postgres/connection';
import { createPostgresRepositories } from '../../src/db/postgres';
import { createDatabase } from '../setup/postgres';

/** Is PostgreSQL part of this run? (False only with HEARTH_TEST_POSTGRES=off, announced by the setup.) */
export const postgresEnabled = (): boolean => inject('postgresUrl') !== '';

let database: Promise<string> | undefined;

/** A fresh, empty, migrated PostgreSQL store (one database per test file, emptied each time). */
export async function openTestPostgres(): Promise<{ repos: Repositories; handle: PostgresHandle; url: string; close(): Promise<void> }> {
  database ??= createDatabase(inject('postgresUrl'), `hearth_test_${randomBytes(6).toString('hex')}`);
  const url = await database;
  const handle = await openPostgres(url);
  const { rows } = await handle.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  await handle.pool.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  return { repos: createPostgresRepositories(handle), handle, url, close: () => handle.close() };
}
