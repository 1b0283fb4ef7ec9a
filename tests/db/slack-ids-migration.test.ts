/**
 * drizzle/0010: Slack message ids stored as a bare ts become `channel/ts`, and so does every
 * column that names one, in Slack communities only. The database is built with the
 * migrations before 0010 (a copy of drizzle/ without it), filled through the repositories,
 * then opened as usual.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { databaseBefore } from '../helpers/migrations';

const SLACK = 'slack:T1';
const SHELL = 'shell:local';

/** A database before `tag`, with a handle the repositories can fill. */
function fillableBefore(tag: string) {
  const { path, sqlite, db } = databaseBefore(tag);
  // Today's repositories read columns later migrations add: present (plain, nullable) while
  // they fill the database, dropped before it is opened (and migrated) as usual.
  const current = openDatabase(':memory:');
  const columnsOf = (handle: typeof sqlite, table: string) => handle.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[];
  const later: [table: string, column: string][] = [];
  for (const table of sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]) {
    const old = new Set(columnsOf(sqlite, table).map((c) => c.name));
    for (const { name, type } of columnsOf(current.sqlite, table)) {
      if (old.has(name)) continue;
      sqlite.exec(`ALTER TABLE \`${table}\` ADD \`${name}\` ${type}`);
      later.push([table, name]);
    }
  }
  current.close();
  const close = () => {
    for (const [table, column] of later) sqlite.exec(`ALTER TABLE \`${table}\` DROP COLUMN \`${column}\``);
    sqlite.close();
  };
  return { path, handle: { db, sqlite, close } };
}

describe('migration 0010: Slack message ids qualified by channel', () => {
  it('rewrites ids and every reference to them in Slack communities, and nothing elsewhere', async () => {
    const { path, handle } = fillableBefore('0010_slack_message_ids');
    const repos = createRepositories(handle);
    await repos.communities.ensure(SLACK, 'slack', 'acme', 1);
    await repos.communities.ensure(SHELL, 'shell', 'local', 1);
    for (const c of [SLACK, SHELL]) {
      await repos.channels.upsert(c, { id: 'C1', name: 'help', visibility: 'public' }, 1);
      await repos.channels.upsert(c, { id: 'C2', name: 'random', visibility: 'public' }, 1);
    }
    const message = (id: string, channelId: string, text: string, extra: Partial<{ threadId: string; replyTo: string; discussionId: string }> = {}) => ({
      id, channelId, authorId: 'U1', authorIsBot: false, isCompanion: false, kind: 'message' as const, text, title: null,
      threadId: extra.threadId ?? null, replyTo: extra.replyTo ?? null, discussionId: extra.discussionId ?? id, createdAt: 1000,
    });
    for (const c of [SLACK, SHELL]) {
      await repos.messages.insert(c, message('1700000000.000100', 'C1', 'the dashboard is blank'));
      await repos.messages.insert(c, message('1700000001.000100', 'C1', 'same here, since nine', { threadId: '1700000000.000100', replyTo: '1700000000.000100', discussionId: '1700000000.000100' }));
      await repos.messages.insert(c, message('1700000002.000100', 'C2', 'lunch?'));
      await repos.signals.record(c, { kind: 'helped', actorId: 'U2', subjectId: 'U1', messageId: '1700000001.000100', channelId: 'C1', at: 1000, dedupeKey: 'helped:x' });
      await repos.sameHere.add(c, '1700000000.000100', 'U2', 'text', 1000);
      await repos.escalations.create(c, { requesterId: 'U1', channelId: 'C1', messageId: '1700000000.000100', source: 'typed', createdAt: 1000, lastRequestAt: 1000 });
      await repos.companionPosts.put(c, 'samehere:1700000000.000100', 'C1', '1700000009.000100', 1000);
      await repos.embeddings.put(c, 'model', '1700000000.000100', Buffer.from([1, 2]), 1000);
      await repos.tasks.schedule(c, 'welcome.first-question', 'welcome:first-question:U1', 2000, { newcomerId: 'U1', messageId: '1700000002.000100' }, 1000);
    }
    handle.close();

    const after = openDatabase(path);
    try {
      const r = createRepositories(after);
      // Slack: channel/ts everywhere.
      expect(await r.messages.get(SLACK, '1700000000.000100')).toBeUndefined();
      expect(await r.messages.get(SLACK, 'C1/1700000001.000100')).toMatchObject({ threadId: 'C1/1700000000.000100', replyTo: 'C1/1700000000.000100', discussionId: 'C1/1700000000.000100' });
      expect(await r.messages.get(SLACK, 'C2/1700000002.000100')).toMatchObject({ discussionId: 'C2/1700000002.000100', text: 'lunch?' });
      expect((await r.signals.list(SLACK, { kind: 'helped' }))[0]).toMatchObject({ messageId: 'C1/1700000001.000100', dedupeKey: 'helped:x' });
      expect(await r.sameHere.count(SLACK, 'C1/1700000000.000100')).toBe(1);
      expect((await r.escalations.get(SLACK, 1))?.messageId).toBe('C1/1700000000.000100');
      expect(await r.companionPosts.get(SLACK, 'samehere:C1/1700000000.000100')).toMatchObject({ channelId: 'C1', messageId: 'C1/1700000009.000100' });
      expect(await r.companionPosts.get(SLACK, 'samehere:1700000000.000100')).toBeUndefined();
      const slackTask = after.sqlite.prepare("SELECT payload FROM scheduled_tasks WHERE community_id = ?").pluck().get(SLACK) as string;
      expect(JSON.parse(slackTask)).toEqual({ newcomerId: 'U1', messageId: 'C2/1700000002.000100' });
      const slackEmbedding = after.sqlite.prepare('SELECT discussion_id FROM embeddings WHERE community_id = ?').pluck().get(SLACK);
      expect(slackEmbedding).toBe('C1/1700000000.000100');
      // The search index follows the row, not the id.
      const found = after.sqlite
        .prepare("SELECT m.id FROM related_fts f JOIN messages m ON m.row_id = f.rowid WHERE related_fts MATCH 'dashboard' AND m.community_id = ?")
        .pluck()
        .all(SLACK);
      expect(found).toEqual(['C1/1700000000.000100']);

      // Other platforms: untouched.
      expect(await r.messages.get(SHELL, '1700000001.000100')).toMatchObject({ threadId: '1700000000.000100', discussionId: '1700000000.000100' });
      expect(await r.sameHere.count(SHELL, '1700000000.000100')).toBe(1);
      expect(await r.companionPosts.get(SHELL, 'samehere:1700000000.000100')).toMatchObject({ messageId: '1700000009.000100' });
      expect((await r.escalations.get(SHELL, 2))?.messageId).toBe('1700000000.000100');
    } finally {
      after.close();
    }
  });
});

describe('migration 0010/0011: references to Slack messages Hearth never stored', () => {
  it('qualifies a thread, reply or discussion by the channel of the message naming it, never by another channel', async () => {
    const { path, handle } = fillableBefore('0010_slack_message_ids');
    const repos = createRepositories(handle);
    await repos.communities.ensure(SLACK, 'slack', 'acme', 1);
    await repos.channels.upsert(SLACK, { id: 'C1', name: 'help', visibility: 'public' }, 1);
    await repos.channels.upsert(SLACK, { id: 'G2', name: 'staff', visibility: 'private', memberIds: ['U1'] }, 1);
    const message = (id: string, channelId: string, text: string, root: string | null) => ({
      id, channelId, authorId: 'U1', authorIsBot: false, isCompanion: false, kind: 'message' as const, text, title: null,
      threadId: root, replyTo: root, discussionId: root ?? id, createdAt: 1000,
    });
    // A public message, and a private channel's thread whose root has the same ts (a ts is unique per
    // channel only): before 0010 the root was dropped as already stored, its reply kept.
    await repos.messages.insert(SLACK, message('1700000000.000100', 'C1', 'public root', null));
    await repos.messages.insert(SLACK, message('1700000005.000100', 'G2', 'private reply', '1700000000.000100'));
    // A reply to a thread started before Hearth joined the channel: its root was never stored.
    await repos.messages.insert(SLACK, message('1700000006.000100', 'C1', 'reply to an old thread', '1699990000.000100'));
    // An escalation and a signal about a message that was never stored (a message action on old history).
    await repos.escalations.create(SLACK, { requesterId: 'U1', channelId: 'C1', messageId: '1699990000.000100', source: 'action', createdAt: 1000, lastRequestAt: 1000 });
    await repos.signals.record(SLACK, { kind: 'thanked', actorId: 'U2', subjectId: 'U1', messageId: '1699990000.000100', channelId: 'C1', at: 1000, dedupeKey: 'thanked:x' });
    await repos.embeddings.put(SLACK, 'model', '1699990000.000100', Buffer.from([1, 2]), 1000);
    handle.close();

    const after = openDatabase(path);
    try {
      const r = createRepositories(after);
      // The private reply stays in its own channel's thread, not the public message's discussion.
      expect(await r.messages.get(SLACK, 'G2/1700000005.000100')).toMatchObject({
        threadId: 'G2/1700000000.000100', replyTo: 'G2/1700000000.000100', discussionId: 'G2/1700000000.000100',
      });
      // The reply to the old thread names its root as live events name it now (a new reply joins the same discussion).
      expect(await r.messages.get(SLACK, 'C1/1700000006.000100')).toMatchObject({
        threadId: 'C1/1699990000.000100', replyTo: 'C1/1699990000.000100', discussionId: 'C1/1699990000.000100',
      });
      expect((await r.escalations.get(SLACK, 1))?.messageId).toBe('C1/1699990000.000100');
      expect((await r.signals.list(SLACK, { kind: 'thanked' }))[0]).toMatchObject({ messageId: 'C1/1699990000.000100' });
      // A vector under the old discussion id is dropped (embedded again when the discussion is next searched).
      expect(after.sqlite.prepare('SELECT discussion_id FROM embeddings WHERE community_id = ?').pluck().all(SLACK)).toEqual([]);
    } finally {
      after.close();
    }
  });
});

describe('migration 0011: dedupe keys naming a Slack message', () => {
  it('name it as live events now do, so a fact recorded before the upgrade is not recorded again', async () => {
    const { path, handle } = fillableBefore('0010_slack_message_ids');
    const repos = createRepositories(handle);
    await repos.communities.ensure(SLACK, 'slack', 'acme', 1);
    await repos.communities.ensure(SHELL, 'shell', 'local', 1);
    const keys = [
      'helped:1700000000.000100:U2',
      'helped:accepted:1700000001.000100',
      'thanked:reaction:1700000001.000100:U3',
      'thanked:1700000002.000100:U1',
      'same_here:1700000000.000100:U4',
      'returned_to_help:1700000001.000100',
      'conflict:1700000002.000100:U1',
    ];
    for (const c of [SLACK, SHELL]) {
      for (const dedupeKey of [...keys, 'welcome_given:U1:U2', 'thanked:command:U2:U1:1000']) {
        await repos.signals.record(c, { kind: 'helped', actorId: 'U2', subjectId: 'U1', messageId: '1700000001.000100', channelId: 'C1', at: 1000, dedupeKey });
      }
    }
    handle.close();

    const after = openDatabase(path);
    try {
      const r = createRepositories(after);
      const again = (c: string, dedupeKey: string) => r.signals.record(c, { kind: 'helped', actorId: 'U2', at: 2000, dedupeKey });
      // The same facts, as the features key them now (the message's channel/ts): already recorded.
      for (const key of keys) expect(await again(SLACK, key.replace(/(\d{10}\.\d{6})/, 'C1/$1')), key).toBe(false);
      // Keys naming no message are left as they were.
      expect(await again(SLACK, 'welcome_given:U1:U2')).toBe(false);
      expect(await again(SLACK, 'thanked:command:U2:U1:1000')).toBe(false);
      // Other platforms: untouched.
      for (const key of keys) expect(await again(SHELL, key), key).toBe(false);
    } finally {
      after.close();
    }
  });
});
