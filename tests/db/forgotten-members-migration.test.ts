/**
 * drizzle/0012: members forgotten before `forgotten_at` existed (the placeholder record
 * forget-me leaves) count as forgotten, so re-importing their older history stores nothing.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { harness } from '../helpers/harness';
import { databaseBefore } from '../helpers/migrations';

/** Before 0012: one member forgotten (the placeholder forget-me leaves), one with analytics off. */
function databaseWithMembers(): string {
  const { path, sqlite } = databaseBefore('0012_forgotten_members');
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
    const database = openDatabase(databaseWithMembers());
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
