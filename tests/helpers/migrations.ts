/**
 * A file database migrated up to, not including, one migration (a copy of drizzle/ with the
 * journal cut there): the state a live install had before an upgrade, for migration tests.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { expect } from 'vitest';
import * as schema from '../../src/db/schema';
import { tempDir } from './temp-dir';

export function databaseBefore(tag: string) {
  const dir = tempDir('hearth-migration-');
  const folder = join(dir, 'drizzle');
  cpSync(join(__dirname, '../../drizzle'), folder, { recursive: true });
  const journalPath = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  const path = join(dir, 'hearth.db');
  const sqlite = new Database(path);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: folder });
  return { path, sqlite, db };
}
