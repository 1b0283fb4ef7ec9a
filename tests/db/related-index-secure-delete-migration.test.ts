/**
 * drizzle/0015: the search index of an existing install is rebuilt so deletes erase tokens.
 * Before it, a deleted (forgotten, purged) message's words stayed in the index pages as a
 * tombstoned entry; after the upgrade they are gone from the index, and search, edits and
 * deletes keep working on the rebuilt index. (Text deleted before the upgrade may remain in
 * the free space of other pages until a VACUUM: README, Privacy.)
 */
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { harness } from '../helpers/harness';
import { databaseBefore } from '../helpers/migrations';

const FORGOTTEN = 'zorblatquux';
/** Index pages (FTS5 shadow tables) holding the word. */
const inIndex = (sqlite: Database.Database, word: string) =>
  sqlite.prepare(`SELECT count(*) FROM related_fts_data WHERE instr(block, ?) > 0`).pluck().get(word) as number;

/** Before 0015: 60 indexed messages, one of them deleted since (a tombstone in the index). */
function databaseWithDeletedMessage(): string {
  const { path, sqlite } = databaseBefore('0015_related_index_secure_delete');
  const insert = sqlite.prepare(
    `INSERT INTO messages (community_id, id, channel_id, author_id, text, created_at) VALUES ('test:c1', ?, 'help', ?, ?, ?)`,
  );
  const index = sqlite.prepare(`INSERT INTO related_fts (rowid, title, body) VALUES (?, '', ?)`);
  const add = (id: string, author: string, text: string, at: number) => index.run(insert.run(id, author, text, at).lastInsertRowid, text);
  for (let i = 0; i < 60; i++) add(`m${i}`, 'sam', `How do I configure widget number ${i} for the export?`, i);
  add('gone', 'nina', `Why does the ${FORGOTTEN} export fail?`, 100);
  sqlite.prepare(`DELETE FROM messages WHERE id = 'gone'`).run();
  expect(inIndex(sqlite, FORGOTTEN)).toBe(1);
  sqlite.close();
  return path;
}

describe('migration 0015: the related index erases what is deleted', () => {
  it('drops tokens left by earlier deletes, and the rebuilt index searches, edits and deletes', async () => {
    const path = databaseWithDeletedMessage();
    const database = openDatabase(path);
    expect(inIndex(database.sqlite, FORGOTTEN)).toBe(0);
    const matches = database.sqlite.prepare('SELECT count(*) FROM related_fts WHERE related_fts MATCH ?').pluck();
    expect(matches.get('widget')).toBe(60);

    const t = harness({ database });
    await t.edit('m1', 'How do I configure the quuxtrimble gadget?', 'help');
    expect(matches.get('quuxtrimble')).toBe(1);
    expect(matches.get('widget')).toBe(59);
    await t.remove('m2', 'help');
    expect(matches.get('widget')).toBe(58);
    database.sqlite.exec(`INSERT INTO related_fts (related_fts, rank) VALUES ('integrity-check', 0)`);
    database.close();
  });
});
