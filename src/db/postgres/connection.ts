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
  /** `fn` under a session advisory lock on the community (see Repositories.inOrder). */
  inOrder<T>(community: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Connections that only hold per-community locks: up to this many communities handled at once per process. */
const LOCK_CONNECTIONS = 8;

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../drizzle-postgres');
/** Any fixed number: the advisory lock every Hearth process takes while it migrates. */
const MIGRATION_LOCK = 4_812_907;
/** The first key of the per-community handling locks (the second: the community id's hash). */
const COMMUNITY_LOCKS = 4_812_908;

export function isPostgresUrl(url: string | undefined): url is string {
  return /^postgres(ql)?:\/\//.test(url ?? '');
}

/**
 * Hearth's connections commit without waiting for the WAL to reach the disk
 * (`synchronous_commit = off`), the counterpart of SQLite's `synchronous = NORMAL` in WAL mode
 * (../connection.ts): a crash of the process or of PostgreSQL loses nothing, a crash of the
 * machine (power, kernel) may lose the last commits (at most about 3 x wal_writer_delay,
 * 600 ms by default), and never corrupts anything; every other session on the server keeps
 * its own setting. It spares a disk flush per commit, and a live message is several commits.
 * A URL that sets synchronous_commit itself (`?options=-c%20synchronous_commit%3Don`, for
 * synchronous replication, say) keeps its setting. README: PostgreSQL, "Speed".
 */
export function withHearthSession(url: string): string {
  const query = url.indexOf('?');
  const options = query < 0 ? null : (new URLSearchParams(url.slice(query + 1)).getAll('options').at(-1) ?? null);
  if (options?.includes('synchronous_commit')) return url;
  // The last `options` parameter wins (pg-connection-string): the URL's own options are kept in it.
  const value = encodeURIComponent(`${options ? `${options} ` : ''}-c synchronous_commit=off`);
  return `${url}${query < 0 ? '?' : '&'}options=${value}`;
}

/** Connect and migrate. Several processes starting at once migrate one after another. */
export async function openPostgres(location: string, options: { max?: number } = {}): Promise<PostgresHandle> {
  const url = withHearthSession(location);
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
  // Held locks live on their own pool: a handler holding one still gets query connections
  // from `pool`, so holders never wait on each other for a connection (no deadlock). A process
  // that dies drops its connections, and the server releases their locks.
  const locks = new pg.Pool({ connectionString: url, max: LOCK_CONNECTIONS });
  locks.on('error', () => {});
  let closed = false;
  return {
    db: drizzle(pool, { schema }),
    pool,
    async inOrder(community, fn) {
      const client = await locks.connect();
      // A lock connection lost while held (a server restart) must not crash the process: the
      // lock is gone with it, and the unlock below fails and drops the connection.
      const lost = () => {};
      client.on('error', lost);
      // Two-key lock: the first key names Hearth's community locks, the second the community.
      const key = [COMMUNITY_LOCKS, community];
      try {
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', key);
      } catch (error) {
        client.off('error', lost);
        client.release(true);
        throw error;
      }
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key).then(
          () => client.release(),
          (error: Error) => client.release(error),
        );
        client.off('error', lost);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool.end(), locks.end()]);
    },
  };
}
