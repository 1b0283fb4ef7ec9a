/**
 * PostgreSQL for a test file: its own databases in the cluster tests/setup/postgres.ts started
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

/**
 * The store the test harness opens: PostgreSQL in the `postgres` vitest project (which sets
 * HEARTH_TEST_STORE=postgres and re-runs the feature files), SQLite otherwise.
 */
export const harnessStore = (): 'sqlite' | 'postgres' => (process.env.HEARTH_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');

const newDatabase = () => createDatabase(inject('postgresUrl'), `hearth_test_${randomBytes(6).toString('hex')}`);

async function empty(handle: PostgresHandle): Promise<void> {
  const { rows } = await handle.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  await handle.pool.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

let database: Promise<string> | undefined;

/** A fresh, empty, migrated PostgreSQL store (one database per test file, emptied each time). */
export async function openTestPostgres(): Promise<{ repos: Repositories; handle: PostgresHandle; url: string; close(): Promise<void> }> {
  database ??= newDatabase();
  const url = await database;
  const handle = await openPostgres(url);
  await empty(handle);
  return { repos: createPostgresRepositories(handle), handle, url, close: () => handle.close() };
}

/**
 * Databases for the harness, which opens its store synchronously: each test takes empty ones
 * (`takeHarnessPostgres`), prepared before it by `prepareHarnessPostgres` (a beforeEach of
 * tests/setup/harness-postgres.ts). A test that builds several independent harnesses gets one
 * database each, as it gets one in-memory SQLite database each.
 */
const slots: { handle: PostgresHandle; used: boolean }[] = [];

/** Before each test: empty the databases the last test used; keep `count` ready. */
export async function prepareHarnessPostgres(count: number): Promise<void> {
  for (const slot of slots) {
    if (!slot.used) continue;
    await empty(slot.handle);
    slot.used = false;
  }
  while (slots.length < count) slots.push({ handle: await openPostgres(await newDatabase(), { max: 4 }), used: false });
}

/** An empty migrated database for this test (its pool is closed after the file). */
export function takeHarnessPostgres(): PostgresHandle {
  const slot = slots.find((s) => !s.used);
  if (!slot) throw new Error(`this test opens more than ${slots.length} fresh stores: raise the count in tests/setup/harness-postgres.ts`);
  slot.used = true;
  return slot.handle;
}

export async function closeHarnessPostgres(): Promise<void> {
  await Promise.all(slots.splice(0).map((slot) => slot.handle.close()));
}
