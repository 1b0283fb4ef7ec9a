/**
 * Opens a PostgreSQL database (HEARTH_DATABASE_URL=postgres://…) through node-postgres,
 * applies the drizzle-kit migrations of drizzle-postgres/ and hands out the drizzle handle.
 * Only src/db touches the driver; the core sees repositories.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema';

export type PgPool = NodePgDatabase<typeof schema>;
/** The pool or a transaction on one of its connections: what repositories run their statements on. */
export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>;

export interface PostgresHandle {
  db: PgPool;
  pool: pg.Pool;
  close(): Promise<void>;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../drizzle-postgres');
/** Any fixed number: the advisory lock every Hearth process takes while it migrates. */
const MIGRATION_LOCK = 4_812_907;

export function isPostgresUrl(url: string | undefined): url is string {
  return /^postgres(ql)?:\/\//.test(url ?? '');
}

/** Connect and migrate. Several processes starting at once migrate one after another. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<PostgresHandle> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its server (a restart, a failover) must not crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;
  return {
    db: drizzle(pool, { schema }),
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
