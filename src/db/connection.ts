/**
 * Opens the SQLite file (WAL), applies drizzle-kit migrations from `drizzle/`, and hands out
 * the drizzle handle. Only `src/db/` touches the driver; the core sees repositories.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
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
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted rows (forget-me, retention, a platform delete) are overwritten with zeros, in the
  // page and on the freelist, so their text cannot be read back from the file (`grep -a`).
  sqlite.pragma('secure_delete = ON');
  // Another process (an import CLI next to the running bot) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');
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
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
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
