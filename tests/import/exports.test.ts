/**
 * History import against exports shaped like the real tools write them (see fixtures.ts):
 * direct messages, old Slack subtypes, IRC-style ids, time order across files, edit times,
 * re-import counts, and errors that name a place a person can find.
 */
import { readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { queryTerms } from '../../src/core/search/text';
import { mergeByTime } from '../../src/import/merge';
import { replayHistory } from '../../src/import/replay';
import { openHistory } from '../../src/import/sources';
import { itemTime, type ImportItem } from '../../src/import/types';
import { harness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';
import { dceFile, slackChannel, slackUsers, ts, writeFiles, writeZip } from './fixtures';

const tmp = () => tempDir('hearth-exports-');

async function importPath(t: Harness, path: string, options: { includeDms?: boolean } = {}) {
  const source = await openHistory(path, options);
  const errors: string[] = [];
  const stats = await replayHistory(source.items, { companion: t.companion, repos: t.repos, community: t.community, onError: (e) => errors.push(e) });
  return { stats, errors };
}

async function collect(items: AsyncIterable<ImportItem>): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const ana = { id: '300000000000000001', name: 'ana', nickname: 'Ana' };
const sam = { id: '300000000000000002', name: 'sam' };
const lee = { id: '300000000000000003', name: 'lee' };

function discordExport(dir: string) {
  return writeFiles(dir, {
    'Hearth Test Guild - Text Channels - general [500000000000000001].json': dceFile({ id: '500000000000000001', name: 'general' }, [
      { id: '600000000000000001', at: '2023-03-01T09:00:00.000+00:00', content: 'How do I reset my password?', author: ana },
    ]),
    'Direct Messages - Private - sam [500000000000000009].json': dceFile({ id: '500000000000000009', name: 'sam', type: 'DirectTextChat' }, [
      { id: '600000000000000091', at: '2023-03-02T09:00:00.000+00:00', content: 'my password reset token is 12345, do not share', author: ana },
      { id: '600000000000000092', at: '2023-03-02T09:01:00.000+00:00', content: 'thanks, password reset worked', author: sam },
    ]),
    'Direct Messages - Private - ana, sam, lee [500000000000000008].json': dceFile({ id: '500000000000000008', name: 'ana, sam, lee', type: 'DirectGroupTextChat' }, [
      { id: '600000000000000081', at: '2023-03-03T09:00:00.000+00:00', content: 'password reset plans for the launch', author: sam },
    ]),
  });
}

describe('direct messages (issue 20, item 2)', () => {
  it('DiscordChatExporter DMs and group DMs are skipped by default, with a count', async () => {
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const { stats, errors } = await importPath(t, discordExport(tmp()));
    expect(errors).toEqual([]);
    expect(stats).toMatchObject({ messages: 1, skippedDms: 2 });
    expect(await t.repos.messages.get(t.community, '600000000000000091')).toBeUndefined();
    expect(await t.repos.channels.get(t.community, '500000000000000009')).toBeUndefined();
  });

  it('--include-dms imports them as private DMs readable by their participants only', async () => {
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const { stats } = await importPath(t, discordExport(tmp()), { includeDms: true });
    expect(stats).toMatchObject({ messages: 4, skippedDms: 0 });
    expect(await t.repos.channels.get(t.community, '500000000000000009')).toMatchObject({ kind: 'dm', visibility: 'private' });
    expect(await t.repos.channels.canRead(t.community, '500000000000000009', ana.id)).toBe(true);
    expect(await t.repos.channels.canRead(t.community, '500000000000000009', sam.id)).toBe(true);
    expect(await t.repos.channels.canRead(t.community, '500000000000000009', lee.id)).toBe(false);
    // /related for a member outside the DM finds only the public question.
    const readable = await t.repos.channels.readableBy(t.community, lee.id);
    const found = await t.repos.related.candidates({ community: t.community, terms: queryTerms('password reset'), readableChannelIds: readable, limit: 10 });
    expect(found.discussions.map((d) => d.id)).toEqual(['600000000000000001']);
  });

  it('Slack exports: dms.json and mpims.json are skipped by default and private to their members with --include-dms', async () => {
    const dir = writeFiles(tmp(), {
      'users.json': slackUsers,
      'channels.json': [slackChannel('C01', 'general', { is_general: true })],
      'dms.json': [{ id: 'D01', created: 1451606400, members: ['U024BE7LH', 'U0G9QF9C6'] }],
      'mpims.json': [{ id: 'G02', name: 'mpdm-ana--sam--deploybot-1', created: 1451606400, members: ['U024BE7LH', 'U0G9QF9C6'] }],
      'general/2016-03-01.json': [{ type: 'message', user: 'U024BE7LH', text: 'hello all', ts: ts('2016-03-01T10:00:00Z') }],
      'D01/2016-03-01.json': [{ type: 'message', user: 'U024BE7LH', text: 'private hello', ts: ts('2016-03-01T11:00:00Z') }],
      'mpdm-ana--sam--deploybot-1/2016-03-01.json': [{ type: 'message', user: 'U0G9QF9C6', text: 'group hello', ts: ts('2016-03-01T12:00:00Z') }],
    });
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    expect((await importPath(t, dir)).stats).toMatchObject({ messages: 1, skippedDms: 2, errors: 0 });
    expect(await t.repos.channels.get(t.community, 'G02')).toBeUndefined();
    const u = harness({ platformName: 'slack', community: 'slack:T1' });
    expect((await importPath(u, dir, { includeDms: true })).stats).toMatchObject({ messages: 3, skippedDms: 0 });
    expect(await u.repos.channels.get(u.community, 'D01')).toMatchObject({ kind: 'dm', visibility: 'private' });
    expect(await u.repos.channels.canRead(u.community, 'D01', 'U024BE7LH')).toBe(true);
    expect(await u.repos.channels.canRead(u.community, 'D01', 'U0BOTUSER')).toBe(false);
    expect(await u.repos.channels.canRead(u.community, 'G02', 'U0G9QF9C6')).toBe(true);
  });
});

/** A pristine 2016 Slack export: pre-threads, file comments, integrations without a bot_id. */
function slack2016(dir: string) {
  const day = (iso: string, seq: number) => ts(iso, seq);
  return writeFiles(dir, {
    'users.json': slackUsers,
    'channels.json': [slackChannel('C024BE91L', 'general', { is_general: true }), slackChannel('C0RANDOM1', 'random')],
    'integration_logs.json': { logs: [] },
    'general/2016-03-01.json': [
      { type: 'message', subtype: 'channel_join', user: 'U0G9QF9C6', text: '<@U0G9QF9C6|sam> has joined the channel', ts: day('2016-03-01T09:00:00Z', 1) },
      { type: 'message', user: 'U024BE7LH', text: 'Our export keeps timing out, any ideas?', ts: day('2016-03-01T09:05:00Z', 2) },
      {
        type: 'message',
        subtype: 'file_share',
        user: 'U0G9QF9C6',
        text: '<@U0G9QF9C6|sam> uploaded a file: <https://team.slack.com/files/sam/F0AAA/timeout.png|timeout.png>',
        file: { id: 'F0AAA', name: 'timeout.png', title: 'timeout.png', user: 'U0G9QF9C6' },
        upload: true,
        ts: day('2016-03-01T09:06:00Z', 3),
      },
      {
        type: 'message',
        subtype: 'file_comment',
        text: '<@U024BE7LH|ana> commented on <@U0G9QF9C6|sam>’s file <https://team.slack.com/files/sam/F0AAA/timeout.png|timeout.png>: that is the proxy limit',
        file: { id: 'F0AAA', name: 'timeout.png', user: 'U0G9QF9C6' },
        comment: { id: 'Fc0AAA', created: 1456823220, timestamp: 1456823220, user: 'U024BE7LH', is_intro: false, comment: 'that is the proxy limit' },
        is_intro: false,
        ts: day('2016-03-01T09:07:00Z', 4),
      },
      { type: 'message', subtype: 'bot_message', text: 'Build #42 passed', username: 'jenkins', icons: { image_48: 'https://x/y.png' }, ts: day('2016-03-01T09:08:00Z', 5) },
      { type: 'message', subtype: 'bot_message', bot_id: 'B0CI00001', username: 'travis', text: 'Build #43 failed', ts: day('2016-03-01T09:09:00Z', 6) },
      { type: 'message', subtype: 'channel_purpose', user: 'U024BE7LH', text: '<@U024BE7LH|ana> set the channel purpose: help each other', purpose: 'help each other', ts: day('2016-03-01T09:10:00Z', 7) },
      { type: 'message', subtype: 'pinned_item', user: 'U024BE7LH', item_type: 'C', text: '<@U024BE7LH|ana> pinned a message to this channel.', ts: day('2016-03-01T09:11:00Z', 8) },
      { type: 'message', subtype: 'me_message', user: 'U0G9QF9C6', text: 'waves', ts: day('2016-03-01T09:12:00Z', 9) },
    ],
  });
}

describe('old Slack exports (issue 20, item 10)', () => {
  it('a 2016 export imports with no error: file comments as the commenter’s messages, notices skipped and counted', async () => {
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    const { stats, errors } = await importPath(t, slack2016(tmp()));
    expect(errors).toEqual([]);
    // question, file share, file comment, two bot posts, /me: 6 messages; the join; purpose and pin skipped.
    expect(stats).toMatchObject({ messages: 6, joins: 1, skipped: 2, errors: 0 });
    expect(await t.repos.messages.get(t.community, `C024BE91L/${ts('2016-03-01T09:07:00Z', 4)}`)).toMatchObject({ authorId: 'U024BE7LH', text: 'that is the proxy limit', authorIsBot: false });
    expect(await t.repos.messages.get(t.community, `C024BE91L/${ts('2016-03-01T09:08:00Z', 5)}`)).toMatchObject({ authorIsBot: true });
    expect(await t.repos.messages.get(t.community, `C024BE91L/${ts('2016-03-01T09:10:00Z', 7)}`)).toBeUndefined();
  });

  it('the CLI exits 0 for it', async () => {
    const { run } = await import('../../src/cli/commands/import');
    vi.stubEnv('HEARTH_LOG_LEVEL', 'silent');
    const err: string[] = [];
    const code = await run([slack2016(tmp()), '--community', 'T1', '--db', join(tmp(), 'h.db')], { out: () => {}, err: (l) => void err.push(l), stdin: process.stdin });
    vi.unstubAllEnvs();
    expect(err.join('\n')).not.toMatch(/error:/);
    expect(code).toBe(0);
  });
});

describe('IRC-style ids (issue 20, item 11)', () => {
  it('ids and names with surrounding spaces are normalised, not dropped', async () => {
    const t = harness();
    const path = join(tmp(), 'irc.jsonl');
    const T0 = Date.UTC(2005, 5, 27, 12);
    const lines = [
      { id: '2005-06-27_12:1', channel: '2005-06-27_12', author: '[noobuntu] ', text: 'how do I mount a usb stick?', at: T0 },
      { id: '2005-06-27_12:2', channel: '2005-06-27_12', author: ' brad[] ', text: '[noobuntu]: it should mount itself', at: T0 + 60_000, replyTo: '2005-06-27_12:1' },
      { id: '2005-06-27_12:3', channel: '2005-06-27_12', author: '[noobuntu]', text: 'thanks!', at: T0 + 120_000 },
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const { stats, errors } = await importPath(t, path);
    expect(errors).toEqual([]);
    expect(stats).toMatchObject({ messages: 3, errors: 0 });
    expect(await t.repos.members.get(t.community, '[noobuntu]')).toMatchObject({ name: '[noobuntu]' });
    expect(await t.repos.messages.get(t.community, '2005-06-27_12:2')).toMatchObject({ authorId: 'brad[]', replyTo: '2005-06-27_12:1' });
    expect(await t.repos.messages.get(t.community, '2005-06-27_12:3')).toMatchObject({ authorId: '[noobuntu]' });
  });
});

describe('time order across files (issue 20, item 12)', () => {
  it('a folder of DiscordChatExporter files reaches the pipeline in time order, not file-name order', async () => {
    const dir = writeFiles(tmp(), {
      // "announcements" sorts first but holds the latest messages.
      'Guild - announcements [500000000000000002].json': dceFile({ id: '500000000000000002', name: 'announcements' }, [
        { id: '610000000000000001', at: '2023-05-01T10:00:00.000+00:00', content: 'v2 is out', author: ana },
        { id: '610000000000000002', at: '2023-05-03T10:00:00.000+00:00', content: 'v2.1 is out', author: ana },
      ]),
      'Guild - general [500000000000000001].json': dceFile({ id: '500000000000000001', name: 'general' }, [
        { id: '600000000000000001', at: '2023-01-01T10:00:00.000+00:00', content: 'hello, first post', author: ana },
        { id: '600000000000000002', at: '2023-05-02T10:00:00.000+00:00', content: 'congrats on v2', author: sam },
      ]),
      'Guild - general - thread [600000000000000001].json': dceFile({ id: '600000000000000001', name: 'hello', type: 'GuildPublicThread', categoryId: '500000000000000001' }, [
        { id: '620000000000000001', at: '2023-01-02T10:00:00.000+00:00', content: 'welcome!', author: sam },
      ]),
    });
    const items = await collect((await openHistory(dir)).items);
    const times = items.map(itemTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    await importPath(t, dir);
    expect(await t.repos.members.get(t.community, ana.id)).toMatchObject({ firstPostAt: Date.parse('2023-01-01T10:00:00Z'), lastPostAt: Date.parse('2023-05-03T10:00:00Z') });
  });

  it('a Slack export reaches the pipeline in time order across channels', async () => {
    const dir = writeFiles(tmp(), {
      'users.json': slackUsers,
      'channels.json': [slackChannel('C01', 'general', { is_general: true }), slackChannel('C02', 'random')],
      'general/2016-03-01.json': [{ type: 'message', user: 'U024BE7LH', text: 'first', ts: ts('2016-03-01T10:00:00Z') }],
      'general/2016-03-03.json': [{ type: 'message', user: 'U024BE7LH', text: 'last', ts: ts('2016-03-03T10:00:00Z') }],
      'random/2016-03-02.json': [{ type: 'message', user: 'U024BE7LH', text: 'middle', ts: ts('2016-03-02T10:00:00Z') }],
    });
    const items = await collect((await openHistory(dir)).items);
    expect(items.map((i) => (i.kind === 'message' ? i.message.text : i.kind))).toEqual(['first', 'middle', 'last']);
  });
});

describe('merging by time with bounded memory', () => {
  it('opens a file only when the merge reaches its first message, and closes it when done', async () => {
    const message = (id: string, at: number): ImportItem => ({ kind: 'message', at: { file: id }, message: { id, channel: { id: 'c', name: 'c' }, author: { id: 'a', name: 'a' }, text: id, at } });
    let open = 0;
    let most = 0;
    const stream = (name: string, times: number[]) => async function* () {
      most = Math.max(most, ++open);
      try {
        for (const at of times) yield message(`${name}${at}`, at);
      } finally {
        open--;
      }
    };
    // Long-lived channels overlap; short threads come and go.
    const streams = [stream('general', [1, 5, 9, 13]), stream('thread-a', [2, 3]), stream('thread-b', [6, 7]), stream('thread-c', [10, 11]), stream('random', [4, 8, 12])];
    const seen: string[] = [];
    for await (const item of mergeByTime(streams)) if (item.kind === 'message') seen.push(`${item.message.text}@${open}`);
    expect(seen.map((s) => Number(/\d+/.exec(s)![0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(most).toBe(3); // general, random and one thread at a time: never all five
    expect(open).toBe(0);
  });
});

describe('edit times and re-import counts (issue 20, item 13)', () => {
  it('keeps Slack edited.ts and DiscordChatExporter timestampEdited', async () => {
    const s = harness({ platformName: 'slack', community: 'slack:T1' });
    await importPath(s, writeFiles(tmp(), {
      'users.json': slackUsers,
      'channels.json': [slackChannel('C01', 'general', { is_general: true })],
      'general/2016-03-01.json': [{ type: 'message', user: 'U024BE7LH', text: 'fixed typo', ts: ts('2016-03-01T10:00:00Z'), edited: { user: 'U024BE7LH', ts: ts('2016-03-01T10:05:00Z') } }],
    }));
    expect(await s.repos.messages.get(s.community, `C01/${ts('2016-03-01T10:00:00Z')}`)).toMatchObject({ editedAt: Date.parse('2016-03-01T10:05:00Z') });
    const d = harness({ platformName: 'discord', community: 'discord:G1' });
    await importPath(d, writeFiles(tmp(), {
      'general.json': dceFile({ id: '500000000000000001', name: 'general' }, [{ id: '600000000000000001', at: '2023-01-01T10:00:00.000+00:00', edited: '2023-01-01T10:03:00.000+00:00', content: 'fixed', author: ana }]),
    }));
    expect(await d.repos.messages.get(d.community, '600000000000000001')).toMatchObject({ editedAt: Date.parse('2023-01-01T10:03:00Z') });
  });

  it('a re-import reports no joins or edits that did not happen, in every format', async () => {
    const slack = writeFiles(tmp(), {
      'users.json': slackUsers,
      'channels.json': [slackChannel('C01', 'general', { is_general: true }), slackChannel('C02', 'random')],
      'general/2016-03-01.json': [
        { type: 'message', subtype: 'channel_join', user: 'U0G9QF9C6', text: '<@U0G9QF9C6|sam> has joined the channel', ts: ts('2016-03-01T09:00:00Z') },
        { type: 'message', user: 'U0G9QF9C6', text: 'hi\u0000 all', ts: ts('2016-03-01T09:01:00Z') },
      ],
      // Joining a second channel is not joining the workspace again.
      'random/2016-03-02.json': [{ type: 'message', subtype: 'channel_join', user: 'U0G9QF9C6', text: '<@U0G9QF9C6|sam> has joined the channel', ts: ts('2016-03-02T09:00:00Z') }],
    });
    const discord = writeFiles(tmp(), {
      'general.json': dceFile({ id: '500000000000000001', name: 'general' }, [
        { id: '600000000000000001', type: 'GuildMemberJoin', at: '2023-01-01T09:00:00.000+00:00', content: 'Joined the server.', author: sam },
        { id: '600000000000000002', at: '2023-01-01T09:01:00.000+00:00', content: 'hi\u0000 all', author: sam },
        // Left and came back: a real second join.
        { id: '600000000000000003', type: 'GuildMemberJoin', at: '2023-02-01T09:00:00.000+00:00', content: 'Joined the server.', author: sam },
      ]),
    });
    const jsonl = join(tmp(), 'history.jsonl');
    writeFileSync(jsonl, [
      { id: 'j1', channel: 'general', author: 'sam', text: '', at: Date.UTC(2023, 0, 1, 9), kind: 'join' },
      { id: 'm1', channel: 'general', author: 'sam', text: 'hi\u0000 all', at: Date.UTC(2023, 0, 1, 9, 1) },
      { id: 'j2', channel: 'general', author: 'sam', text: '', at: Date.UTC(2023, 1, 1, 9), kind: 'join' },
    ].map((l) => JSON.stringify(l)).join('\n'));

    for (const [platform, path, joins] of [['slack', slack, 1], ['discord', discord, 2], ['shell', jsonl, 2]] as const) {
      const t = harness({ platformName: platform, community: `${platform}:X` });
      const first = await importPath(t, path);
      // A join notice and its join are one record: counted once, as a join.
      expect(first.stats, platform).toMatchObject({ messages: 1, joins, edits: 0, errors: 0 });
      const again = await importPath(t, path);
      expect(again.stats, platform).toMatchObject({ messages: 0, joins: 0, edits: 0, duplicates: 1 + joins });
    }
  });

  it('an export older than a live edit does not roll the text back', async () => {
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const dir = writeFiles(tmp(), {
      'general.json': dceFile({ id: '500000000000000001', name: 'general' }, [{ id: '600000000000000001', at: '2023-01-01T10:00:00.000+00:00', content: 'v1', author: ana }]),
    });
    await importPath(t, dir);
    await t.companion.handle({ community: t.community, at: Date.parse('2023-06-01T00:00:00Z'), type: 'message_edited', channelId: '500000000000000001', messageId: '600000000000000001', text: 'v2 (edited live)' });
    const { stats } = await importPath(t, dir);
    expect(stats).toMatchObject({ edits: 0, duplicates: 1 });
    expect((await t.repos.messages.get(t.community, '600000000000000001'))?.text).toBe('v2 (edited live)');
  });
});

describe('errors name what a person can find (issue 20, item 14)', () => {
  const badDay = [
    { type: 'message', user: 'U024BE7LH', text: 'fine', ts: ts('2016-03-01T10:00:00Z') },
    { type: 'message', user: 'U024BE7LH', text: 'no ts' },
  ];
  const slackFiles = { 'users.json': slackUsers, 'channels.json': [slackChannel('C01', 'general', { is_general: true })], 'general/2016-03-01.json': badDay };

  it('Slack: the day file and the message index, in a folder and inside a zip', async () => {
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    const { errors } = await importPath(t, writeFiles(tmp(), slackFiles));
    expect(errors).toEqual([expect.stringMatching(/general\/2016-03-01\.json, message 2: message without a valid ts$/)]);
    const zip = await writeZip(join(tmp(), 'export.zip'), Object.fromEntries(Object.entries(slackFiles).map(([k, v]) => [`Acme Slack export Mar 1 2016/${k}`, v])));
    const z = await importPath(harness({ platformName: 'slack', community: 'slack:T1' }), zip);
    expect(z.errors).toEqual([expect.stringMatching(/export\.zip!general\/2016-03-01\.json, message 2: message without a valid ts$/)]);
  });

  it('a truncated zip is named', async () => {
    const zip = await writeZip(join(tmp(), 'export.zip'), slackFiles);
    truncateSync(zip, Math.floor(statSync(zip).size / 2));
    await expect(openHistory(zip)).rejects.toThrow(/export\.zip: cannot read this zip \(truncated or damaged\?\)/);
  });

  it('DiscordChatExporter: the message index for a bad message, the line for broken JSON', async () => {
    const good = dceFile({ id: '500000000000000001', name: 'general' }, [
      { id: '600000000000000001', at: '2023-01-01T10:00:00.000+00:00', content: 'ok', author: ana },
      { id: '600000000000000002', at: 'yesterday', content: 'bad time', author: ana },
      { id: '600000000000000003', at: '2023-01-01T10:02:00.000+00:00', content: 'ok too', author: ana },
    ]);
    const random = dceFile({ id: '500000000000000002', name: 'random' }, [
      { id: '610000000000000001', at: '2023-01-01T10:00:30.000+00:00', content: 'fine', author: sam },
      { id: '610000000000000002', at: '2023-01-01T10:01:30.000+00:00', content: 'cut off here', author: sam },
    ]);
    // A half-written file: the text loses its closing quote and the file ends early.
    const dir = writeFiles(tmp(), { 'general.json': good, 'random.json': random.replace('"cut off here"', '"cut off here').slice(0, random.length - 40) });
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const { errors, stats } = await importPath(t, dir);
    expect(errors).toHaveLength(2);
    expect(errors).toContainEqual(expect.stringMatching(/general\.json, message 2: message lacks id, author or a valid timestamp$/));
    const brokenLine = readFileSync(join(dir, 'random.json'), 'utf8').split('\n').findIndex((l) => l.includes('"cut off here')) + 1;
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`random\\.json:${brokenLine}: invalid JSON`)));
    expect(stats.messages).toBe(3); // two of general.json, the first of random.json
  });

  it('JSON lines: the line, said once', async () => {
    const path = join(tmp(), 'history.jsonl');
    writeFileSync(path, `${JSON.stringify({ id: 'a', channel: 'c', author: 'ana', text: 'hi', at: 1 })}\nnot json\n`);
    const { errors } = await importPath(harness(), path);
    expect(errors).toEqual([expect.stringMatching(/history\.jsonl:2: invalid JSON/)]);
    expect(errors[0]).not.toMatch(/line 2/);
  });
});
