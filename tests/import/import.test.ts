import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { queryTerms } from '../../src/core/search/text';
import { replayHistory } from '../../src/import/replay';
import { openHistory } from '../../src/import/sources';
import type { ImportItem } from '../../src/import/types';
import { harness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';

const tmp = () => tempDir('hearth-import-');

async function importPath(t: Harness, path: string) {
  const source = await openHistory(path);
  const errors: string[] = [];
  const stats = await replayHistory(source.items, { companion: t.companion, repos: t.repos, community: t.community, onError: (e) => errors.push(e) });
  return { stats, errors, format: source.format };
}

function jsonl(dir: string, lines: (object | string)[]): string {
  const path = join(dir, 'history.jsonl');
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

const T0 = Date.UTC(2025, 5, 1, 12);

describe('history import: Hearth JSON lines', () => {
  const lines = [
    { id: 'j1', channel: 'general', author: 'ana', text: 'hi', at: T0, kind: 'join' },
    { id: 'a', channel: 'help', author: 'ana', text: 'How do I rotate my API key?', at: T0 + 1000 },
    { id: 'b', channel: 'help', author: 'sam', text: 'Settings > Keys > Rotate', at: new Date(T0 + 60_000).toISOString(), replyTo: 'a' },
    'this is not json',
    { id: 'c', channel: 'help', author: 'deploybot', text: 'deployed v2', at: T0 + 120_000, authorIsBot: true },
    { id: 'd', channel: 'help', text: 'no author', at: T0 },
  ];

  it('stores messages and joins, marks bots, reports bad lines by number, sends nothing', async () => {
    const t = harness();
    const { stats, errors } = await importPath(t, jsonl(tmp(), lines));
    expect(stats).toMatchObject({ messages: 3, joins: 1, errors: 2 });
    expect(errors[0]).toMatch(/history\.jsonl:4: invalid JSON/);
    expect(errors[1]).toMatch(/history\.jsonl:6: "author" is required/);
    expect(await t.repos.messages.get(t.community, 'b')).toMatchObject({ replyTo: 'a', discussionId: 'a', createdAt: T0 + 60_000 });
    expect(await t.repos.messages.get(t.community, 'c')).toMatchObject({ authorIsBot: true });
    expect(await t.repos.members.get(t.community, 'ana')).toMatchObject({ joinedAt: T0 });
    expect(t.platform.calls).toEqual([]);
  });

  it('is idempotent: importing the same data twice changes nothing', async () => {
    const t = harness();
    const path = jsonl(tmp(), lines);
    await importPath(t, path);
    const before = await t.repos.messages.inDiscussion(t.community, 'a');
    const { stats } = await importPath(t, path);
    expect(stats).toMatchObject({ messages: 0, joins: 0, edits: 0, duplicates: 4 });
    expect(await t.repos.messages.inDiscussion(t.community, 'a')).toEqual(before);
  });

  it('keeps the latest text when a message appears again edited', async () => {
    const t = harness();
    const dir = tmp();
    await importPath(t, jsonl(dir, [{ id: 'x', channel: 'c', author: 'ana', text: 'v1', at: T0 }]));
    const { stats } = await importPath(t, jsonl(dir, [{ id: 'x', channel: 'c', author: 'ana', text: 'v2', at: T0 }]));
    expect(stats.edits).toBe(1);
    expect((await t.repos.messages.get(t.community, 'x'))?.text).toBe('v2');
    // JSON lines do not date edits: the latest import wins each time.
    expect((await importPath(t, jsonl(dir, [{ id: 'x', channel: 'c', author: 'ana', text: 'v3', at: T0 }]))).stats.edits).toBe(1);
    expect((await t.repos.messages.get(t.community, 'x'))?.text).toBe('v3');
  });

  it('resumes after an interruption: the unfinished batch rolls back and a re-run completes it exactly once', async () => {
    const t = harness();
    const items = (n: number): ImportItem[] =>
      Array.from({ length: n }, (_, i) => ({
        kind: 'message' as const,
        at: { file: 'mem', line: i + 1 },
        message: { id: `m${i}`, channel: { id: 'general', name: 'general' }, author: { id: `u${i % 7}`, name: `u${i % 7}` }, text: `message ${i}`, at: T0 + i },
      }));
    async function* crashing() {
      let i = 0;
      for (const item of items(25)) {
        if (i++ === 17) throw new Error('Ctrl-C');
        yield item;
      }
    }
    await expect(replayHistory(crashing(), { companion: t.companion, repos: t.repos, community: t.community, batchSize: 5 })).rejects.toThrow('Ctrl-C');
    // Batches of 5 committed: m0..m14 are stored; m15, m16 were rolled back with their batch.
    expect(await t.repos.messages.get(t.community, 'm14')).toBeTruthy();
    expect(await t.repos.messages.get(t.community, 'm15')).toBeUndefined();
    const stats = await replayHistory(items(25), { companion: t.companion, repos: t.repos, community: t.community, batchSize: 5 });
    expect(stats).toMatchObject({ messages: 10, duplicates: 15 });
  });
});

function writeSlackExport(root: string) {
  mkdirSync(join(root, 'general'), { recursive: true });
  mkdirSync(join(root, 'staff'), { recursive: true });
  writeFileSync(join(root, 'users.json'), JSON.stringify([
    { id: 'U1', name: 'ana', profile: { display_name: 'Ana' } },
    { id: 'U2', name: 'sam', profile: { display_name: '' }, real_name: 'Sam Lee' },
    { id: 'B1', name: 'ci', is_bot: true },
  ]));
  writeFileSync(join(root, 'channels.json'), JSON.stringify([{ id: 'C1', name: 'general' }]));
  writeFileSync(join(root, 'groups.json'), JSON.stringify([{ id: 'G1', name: 'staff', members: ['U1'] }]));
  writeFileSync(join(root, 'general', '2025-06-01.json'), JSON.stringify([
    { type: 'message', subtype: 'channel_join', user: 'U2', text: '<@U2> has joined the channel', ts: '1748779200.000100' },
    { type: 'message', user: 'U1', text: 'Export fails with error 500, anyone?', ts: '1748779260.000200', thread_ts: '1748779260.000200' },
    { type: 'message', user: 'U2', text: 'Try again with a smaller range &lt;3 see <#C1|general> and <https://example.com/docs|the docs>', ts: '1748779320.000300', thread_ts: '1748779260.000200' },
    { type: 'message', subtype: 'tombstone', user: 'USLACKBOT', text: 'This message was deleted.', ts: '1748779330.000300' },
    { type: 'message', subtype: 'bot_message', bot_id: 'B1', username: 'ci', text: 'build passed', ts: '1748779400.000400' },
  ]));
  writeFileSync(join(root, 'general', '2025-06-02.json'), '[{"type": "message", "user": "U1", "ts": ');
  writeFileSync(join(root, 'staff', '2025-06-01.json'), JSON.stringify([{ type: 'message', user: 'U1', text: 'private planning', ts: '1748779500.000500' }]));
}

describe('history import: Slack export', () => {
  it('imports a folder: threads, joins, bots, private channels, skips deletions, names a bad file', async () => {
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    const root = tmp();
    writeSlackExport(root);
    const { stats, errors, format } = await importPath(t, root);
    expect(format).toBe('slack-export');
    expect(stats).toMatchObject({ messages: 4, joins: 1, errors: 1 });
    expect(errors[0]).toMatch(/general\/2025-06-02\.json/);
    // Hearth's id of a Slack message is its channel and ts: the same as live events and backfill give it.
    expect(await t.repos.messages.get(t.community, 'C1/1748779320.000300')).toMatchObject({
      threadId: 'C1/1748779260.000200',
      discussionId: 'C1/1748779260.000200',
      // Read as live events read Slack text.
      text: 'Try again with a smaller range <3 see #general and the docs (https://example.com/docs)',
    });
    expect(await t.repos.messages.get(t.community, 'C1/1748779400.000400')).toMatchObject({ authorIsBot: true });
    expect(await t.repos.messages.get(t.community, 'C1/1748779330.000300')).toBeUndefined();
    expect(await t.repos.members.get(t.community, 'U2')).toMatchObject({ name: 'Sam Lee', joinedAt: 1748779200000 });
    expect(await t.repos.channels.canRead(t.community, 'G1', 'U1')).toBe(true);
    expect(await t.repos.channels.canRead(t.community, 'G1', 'U2')).toBe(false);
  });

  it('a later export where a message became a tombstone removes the stored copy, replies kept', async () => {
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    const root = tmp();
    writeSlackExport(root);
    expect((await importPath(t, root)).stats).toMatchObject({ messages: 4, deleted: 0 });
    expect(await t.repos.messages.get(t.community, 'C1/1748779260.000200')).toBeTruthy();
    // The asker deleted the question; Slack keeps the thread under a "This message was deleted." tombstone.
    const day = join(root, 'general', '2025-06-01.json');
    const messages = JSON.parse(readFileSync(day, 'utf8')) as { ts: string; subtype?: string; text?: string; user?: string }[];
    Object.assign(messages.find((m) => m.ts === '1748779260.000200')!, { subtype: 'tombstone', user: 'USLACKBOT', text: 'This message was deleted.' });
    writeFileSync(day, JSON.stringify(messages));
    const { stats } = await importPath(t, root);
    expect(stats).toMatchObject({ messages: 0, deleted: 1, edits: 0 });
    expect(await t.repos.messages.get(t.community, 'C1/1748779260.000200')).toBeUndefined();
    expect(await t.repos.related.candidates({ community: t.community, terms: queryTerms('export fails error 500'), readableChannelIds: new Set(['C1']), limit: 10 })).toMatchObject({ discussions: [] });
    expect(await t.repos.messages.get(t.community, 'C1/1748779320.000300')).toBeTruthy();
    // Idempotent: nothing left to delete.
    expect((await importPath(t, root)).stats).toMatchObject({ messages: 0, deleted: 0 });
  });

  it('imports the same export from a ZIP', async () => {
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    const root = tmp();
    writeSlackExport(root);
    const zip = new yazl.ZipFile();
    for (const file of ['users.json', 'channels.json', 'groups.json', 'general/2025-06-01.json', 'staff/2025-06-01.json']) {
      zip.addFile(join(root, file), `My Workspace Slack export/${file}`);
    }
    const zipPath = join(tmp(), 'export.zip');
    zip.end();
    const out = createWriteStream(zipPath);
    zip.outputStream.pipe(out);
    await once(out, 'close');
    const { stats } = await importPath(t, zipPath);
    expect(stats).toMatchObject({ messages: 4, joins: 1, errors: 0 });
  });
});

describe('history import: DiscordChatExporter', () => {
  it('imports a channel file and a thread file with replies, joins and bots', async () => {
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const dir = tmp();
    writeFileSync(join(dir, 'general.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '100', type: 'GuildTextChat', name: 'general' },
      messages: [
        { id: '1', type: 'GuildMemberJoin', timestamp: '2025-06-01T10:00:00+00:00', content: '', author: { id: 'u1', name: 'ana' } },
        { id: '2', type: 'Default', timestamp: '2025-06-01T10:01:00+00:00', content: 'Login loops forever', author: { id: 'u1', name: 'ana', nickname: 'Ana' } },
        { id: '3', type: 'Reply', timestamp: '2025-06-01T10:02:00+00:00', content: 'Clear cookies', author: { id: 'u2', name: 'sam' }, reference: { messageId: '2' } },
        { id: '4', type: 'Default', timestamp: '2025-06-01T10:03:00+00:00', content: 'beep', author: { id: 'b1', name: 'bot', isBot: true } },
        { id: '5', type: 'Default', content: 'no timestamp', author: { id: 'u2' } },
      ],
    }));
    writeFileSync(join(dir, 'thread.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '200', type: 'GuildPublicThread', categoryId: '100', category: 'general', name: 'Login loop' },
      messages: [{ id: '201', type: 'Default', timestamp: '2025-06-01T11:00:00+00:00', content: 'same for me', author: { id: 'u3', name: 'lee' } }],
    }));
    const { stats, errors } = await importPath(t, dir);
    // The join notice and the join are one record, counted as the join.
    expect(stats).toMatchObject({ messages: 4, joins: 1, errors: 1 });
    expect(errors[0]).toMatch(/general\.json, message 5: /);
    expect(await t.repos.messages.get(t.community, '1')).toMatchObject({ kind: 'join', text: '' });
    expect(await t.repos.messages.get(t.community, '3')).toMatchObject({ replyTo: '2', discussionId: '2' });
    // Not a forum post: a thread's name is no message's title (live gives none).
    expect(await t.repos.messages.get(t.community, '201')).toMatchObject({ threadId: '200', title: null });
    expect(await t.repos.members.get(t.community, 'u1')).toMatchObject({ name: 'Ana' });
  });

  it('reads every message as the live adapter does: forum starters, thread pointers, pins, foreign references', async () => {
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const dir = tmp();
    const msg = (id: string, type: string, content: string, extra: object = {}) => ({ id, type, timestamp: '2025-06-01T10:00:00+00:00', content, author: { id: 'u1', name: 'ana' }, ...extra });
    writeFileSync(join(dir, 'general.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '100', type: 'GuildTextChat', name: 'general' },
      messages: [
        msg('2', 'Default', 'Login loops <@u2> <:sad:9>'),
        msg('3', 'ChannelPinnedMessage', 'Pinned a message.', { reference: { messageId: '2', channelId: '100' } }),
      ],
    }));
    writeFileSync(join(dir, 'random.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '101', type: 'GuildTextChat', name: 'random' },
      // A forward of #general's message: a reference to another channel, not a reply.
      messages: [msg('4', 'Default', '', { reference: { messageId: '2', channelId: '100' } })],
    }));
    writeFileSync(join(dir, 'thread.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '2', type: 'GuildPublicThread', categoryId: '100', category: 'general', name: 'Login loop' },
      // The exporter's older versions write type 21 as a number.
      messages: [msg('20', '21', '', { reference: { messageId: '2', channelId: '100' } }), msg('21', 'Default', 'same here')],
    }));
    writeFileSync(join(dir, 'post.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '300', type: 'GuildPublicThread', categoryId: '30', category: 'questions', name: 'How do I rotate keys?' },
      messages: [msg('300', 'Default', 'Where is the button?'), msg('301', 'Reply', 'Settings', { reference: { messageId: '300', channelId: '300' } })],
    }));
    const { errors } = await importPath(t, dir);
    expect(errors).toEqual([]);
    const get = (id: string) => t.repos.messages.get(t.community, id);
    expect(await get('2')).toMatchObject({ text: 'Login loops <@u2> <:sad:9>', kind: 'message' });
    expect(await get('3')).toMatchObject({ kind: 'system', text: '', replyTo: '2' });
    expect(await get('4')).toMatchObject({ kind: 'message', replyTo: null, discussionId: '4' });
    expect(await get('20')).toMatchObject({ kind: 'system', replyTo: null, threadId: '2', title: null });
    expect(await get('21')).toMatchObject({ kind: 'message', threadId: '2', title: null, discussionId: '2' });
    expect(await get('300')).toMatchObject({ threadId: null, title: 'How do I rotate keys?', discussionId: '300' });
    expect(await get('301')).toMatchObject({ threadId: '300', replyTo: '300', title: null });
  });

  it('explains an unsupported path', async () => {
    await expect(openHistory('/definitely/not/here')).rejects.toThrow(/no such file or folder/);
  });
});
