/**
 * drizzle/0012: members forgotten before `forgotten_at` existed (the placeholder record
 * forget-me leaves) count as forgotten, so re-importing their older history stores nothing.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import * as schema from '../../src/db/schema';
import { harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';

function databaseBefore(before: string): string {
  const dir = tempDir('hearth-migration-');
  const folder = join(dir, 'drizzle');
  cpSync(join(__dirname, '../../drizzle'), folder, { recursive: true });
  const journalPath = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === before);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  const path = join(dir, 'hearth.db');
  const sqlite = new Database(path);
  migrate(drizzle(sqlite, { schema }), { migrationsFolder: folder });
  const insert = sqlite.prepare(
    `INSERT INTO members (community_id, id, name, analytics_opt_out, first_seen_at) VALUES ('test:c1', ?, ?, ?, 1)`,
  );
  insert.run('nina', 'forgotten member', 1); // forgot-me before 0012
  insert.run('ola', 'ola', 1); // /privacy off only
  sqlite.close();
  return path;
}

describe('migration 0012: forgotten members', () => {
  it('marks members forgotten earlier, and only them; their older history is not stored again', async () => {
    const database = openDatabase(databaseBefore('0012_forgotten_members'));
    const t = harness({ database });
    expect((await t.repos.members.get(t.community, 'nina'))?.forgottenAt).toBeGreaterThan(0);
    expect((await t.repos.members.get(t.community, 'ola'))?.forgottenAt).toBeNull();
    const at = Date.UTC(2024, 0, 1);
    for (const author of ['nina', 'ola']) {
      await t.companion.handle(
        { community: t.community, type: 'message_posted', at, message: { id: `old-${author}`, channel: t.channel('help'), author: { id: author, name: author }, text: 'How do I export my data?', at } },
        { historical: true },
      );
    }
    expect(await t.repos.messages.get(t.community, 'old-nina')).toBeUndefined();
    expect(await t.repos.messages.get(t.community, 'old-ola')).toBeDefined();
    database.close();
  });
});
