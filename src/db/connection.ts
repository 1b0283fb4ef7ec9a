/**
 * Opens the SQLite file (WAL), applies drizzle-kit migrations from `drizzle/`, and hands out
 * the drizzle handle. Only `src/db/` touches the driver; the core sees repositories.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  /** The raw driver, for FTS5 statements drizzle cannot express. Repositories only. */
  sqlite: Database.Database;
  close(): void;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** Open (creating if needed) and migrate a database. `:memory:` gives a throwaway one. */
export function openDatabase(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  // First: another process (an import CLI next to the running bot, a second process starting
  // on the same new file) may hold the lock briefly, also while WAL is being switched on.
  sqlite.pragma('busy_timeout = 5000');
  whileBusy(() => sqlite.pragma('journal_mode = WAL'));
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted rows (forget-me, retention, a platform delete) are overwritten with zeros, in the
  // page and on the freelist, so their text cannot be read back from the file (`grep -a`).
  sqlite.pragma('secure_delete = ON');
  // Checkpoint the WAL every ~40 MB instead of SQLite's 4 MB: an import rewrites the same
  // index pages (members', authors', discussions') batch after batch, and a page changed by
  // several batches between checkpoints is copied into the database once (~15% faster
  // ingest at 300k messages; the WAL file is disk, not memory).
  sqlite.pragma('wal_autocheckpoint = 10000');
  // A 16 MiB page cache instead of SQLite's 2 MB: the hot pages of the indexes every message
  // and every related search walk (members, signals, messages, FTS) stay in memory instead of
  // being read again from the file, and an import batch's dirty pages are not spilled and
  // rewritten. Counted with strace: importing 100k messages 8.0 -> 0.9 reads and 9.1 -> 5.8
  // writes a message; a related search at 1M messages 1,250 -> 530 reads. 8 MiB keeps about
  // half of that; 32 MiB adds little more. The memory counts in RSS (the target is < 200 MB
  // at 1M messages).
  sqlite.pragma(`cache_size = -${16 * 1024}`);
  try {
    migrate(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = drizzle(sqlite, { schema });
  // What a migration erased (0015 drops an index holding deleted words) stays readable in the
  // file's old pages until the WAL is copied back: do it now rather than at the next ~40 MB.
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  let closed = false;
  return {
    db,
    sqlite,
    close() {
      if (closed) return;
      closed = true;
      sqlite.close();
    },
  };
}

/**
 * Switching a new file to WAL answers "database is locked" at once, without the busy handler,
 * while another process is switching it too: try again for as long as busy_timeout would wait.
 */
function whileBusy<T>(run: () => T, timeoutMs = 5000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return run();
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a synchronous 10 ms pause
    }
  }
}

/** The file is not Hearth's: say so instead of migrating into (or failing over) another program's tables. */
export class NotHearthDatabaseError extends Error {
  constructor(tables: string[]) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, and ${tables.length - 5} more` : '');
    super(`not a Hearth database: it holds another program's tables (${shown}); point HEARTH_DB_PATH at a new file or at Hearth's own database`);
    this.name = 'NotHearthDatabaseError';
  }
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * drizzle's migrator (same `__drizzle_migrations` table and rows), run inside one exclusive
 * transaction: drizzle reads which migrations are applied before it takes the write lock, so
 * two processes starting on a new file both saw none and the second failed on "table already
 * exists". Here the second waits (busy_timeout) and then finds the schema current.
 */
function migrate(sqlite: Database.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  sqlite.exec('BEGIN EXCLUSIVE');
  try {
    assertHearthDatabase(sqlite, migrations[0]);
    sqlite.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    const last = sqlite.prepare(`SELECT created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`).get() as { created_at: number } | undefined;
    const record = sqlite.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`);
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
    sqlite.exec('COMMIT');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

/** A file with tables is Hearth's only if its first recorded migration is Hearth's first one. */
function assertHearthDatabase(sqlite: Database.Database, first: MigrationMeta): void {
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  if (tables.length === 0) return;
  const ours = tables.includes(MIGRATIONS_TABLE)
    ? (sqlite.prepare(`SELECT created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at ASC LIMIT 1`).get() as { created_at: number } | undefined)
    : undefined;
  if (ours ? Number(ours.created_at) !== first.folderMillis : tables.some((t) => t !== MIGRATIONS_TABLE)) {
    throw new NotHearthDatabaseError(tables.filter((t) => t !== MIGRATIONS_TABLE));
  }
}
