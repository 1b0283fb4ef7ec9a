/**
 * Backfill through the real platform clients (discord.js REST, Slack WebClient) against the
 * local fake servers: everything stored once, pages, checkpoints, resume, rate limits, and
 * nothing ever sent.
 */
// discord.js first: loaded after the core inside vitest's module runner, its bundled inspect fails to initialise.
import { discordHistorySource } from '../../src/import/backfill/discord';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { Companion } from '../../src/core/companion';
import { noopObserver } from '../../src/core/observer';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { backfill, checkpointKey, type BackfillOptions } from '../../src/import/backfill/run';
import { slackHistorySource } from '../../src/import/backfill/slack';
import { slackMessageId } from '../../src/platforms/slack/ids';
import type { HistorySource } from '../../src/import/backfill/types';
import { historyPlatform } from '../../src/import/null-platform';
import { silentLogger } from '../../src/log';
import { EVERYONE_VIEW_DENIED, FakeDiscord, type FakeUser } from '../fakes/discord/server';
import { FakeSlack } from '../fakes/slack/server';
import { discordCommunity, CHANNELS, USERS } from '../discord/setup';
import { waitFor } from '../helpers/wait';

/** A fresh database and a companion that may never send (historyPlatform throws, the observer counts). */
function store(platform: string) {
  const repos = createRepositories(openDatabase(':memory:'));
  const clock = new ManualClock();
  const featureErrors: string[] = [];
  const companion = new Companion({
    repos,
    platform: historyPlatform(platform),
    clock,
    log: silentLogger,
    observer: { ...noopObserver, featureError: (feature) => void featureErrors.push(feature) },
  });
  const errors: string[] = [];
  return {
    repos,
    featureErrors,
    errors,
    run: (source: HistorySource, extra: Partial<BackfillOptions> = {}) =>
      backfill({ source, companion, repos, clock, onError: (e) => errors.push(e), ...extra }),
  };
}

const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

// ------------------------------------------------------------------------------------ Discord

const GUILD = '100000000000000001';
const GENERAL = '100000000000000010';
const STAFF = '100000000000000011';
const FORUM = '100000000000000012';
const ana: FakeUser = { id: '300000000000000001', username: 'ana', global_name: 'Ana' };
const sam: FakeUser = { id: '300000000000000002', username: 'sam' };
const lee: FakeUser = { id: '300000000000000003', username: 'lee' };
const ci: FakeUser = { id: '300000000000000009', username: 'ci', bot: true };

async function discordWorld() {
  const fake = await FakeDiscord.start({
    guilds: [
      {
        id: GUILD,
        name: 'Hearth Guild',
        owner_id: ana.id,
        roles: [{ id: GUILD, name: '@everyone', permissions: '1024' }],
        members: [ana, sam, lee, ci].map((user) => ({ user, roles: [] })),
        channels: [
          { id: GENERAL, type: 0, name: 'general' },
          { id: STAFF, type: 0, name: 'staff', permission_overwrites: [{ id: GUILD, type: 0, allow: '0', deny: EVERYONE_VIEW_DENIED }] },
          { id: FORUM, type: 15, name: 'questions' },
        ],
      },
    ],
  });
  fakes.push(fake);
  const join = fake.seedMessage(GENERAL, ana, '', { type: 7 });
  const question = fake.seedMessage(GENERAL, ana, 'Login loops forever after the update');
  const answer = fake.seedMessage(GENERAL, sam, 'Clear cookies, then sign in again', { type: 19, message_reference: { message_id: question.id, channel_id: GENERAL } });
  const deploy = fake.seedMessage(GENERAL, ci, 'deployed v2.3');
  // A thread started from the question (same id), archived; it opens with Discord's starter pointer.
  fake.seedThread(GENERAL, 'Login loop', { id: question.id, archived: true });
  const starterPointer = fake.seedMessage(question.id, ana, '', { type: 21, message_reference: { message_id: question.id, channel_id: GENERAL } });
  const inThread = fake.seedMessage(question.id, lee, 'same for me on Android');
  const planning = fake.seedMessage(STAFF, sam, 'private planning');
  const post = fake.seedThread(FORUM, 'How do I rotate my API key?', { starter: { author: ana, content: 'Where is the rotate button?' } });
  const postReply = fake.seedMessage(post.id, sam, 'Settings > Keys > Rotate');
  const source = (extra: { pageSize?: number } = {}) =>
    discordHistorySource({ token: fake.token, guildId: GUILD, api: fake.apiUrl, rest: { retries: 0, timeout: 2000 }, ...extra });
  return { fake, source, ids: { join, question, answer, deploy, starterPointer, inThread, planning, post, postReply } };
}

const messagesFetched = (fake: FakeDiscord, channelId: string) => fake.requestsTo('GET', new RegExp(`^/channels/${channelId}/messages$`));

describe('backfill from Discord (REST against the fake)', () => {
  it('stores every message once: replies, threads, forum posts, joins, bots, private channels; sends nothing', async () => {
    const { fake, source, ids } = await discordWorld();
    const s = store('discord');
    const result = await s.run(source());
    const community = `discord:${GUILD}`;
    // 9 rows: the join message and the thread starter pointer are stored as live stores them (kinds 'join', 'system');
    // the join message is counted once, with its join.
    expect(result).toMatchObject({ messages: 8, joins: 1, duplicates: 0, errors: 0, failedChannels: 0, stopped: false });
    expect(s.errors).toEqual([]);
    const get = (id: string) => s.repos.messages.get(community, id);
    expect(await get(ids.answer.id)).toMatchObject({ replyTo: ids.question.id, discussionId: ids.question.id, text: 'Clear cookies, then sign in again' });
    expect(await get(ids.deploy.id)).toMatchObject({ authorIsBot: true });
    expect(await get(ids.inThread.id)).toMatchObject({ threadId: ids.question.id, discussionId: ids.question.id, channelId: ids.question.id });
    expect(await get(ids.join.id)).toMatchObject({ kind: 'join', text: '' });
    // The pointer to the thread's starter in the parent channel: not a reply, not conversation.
    expect(await get(ids.starterPointer.id)).toMatchObject({ kind: 'system', replyTo: null, threadId: ids.question.id });
    expect(await get(ids.inThread.id)).toMatchObject({ kind: 'message' });
    expect(await get(ids.post.id)).toMatchObject({ title: 'How do I rotate my API key?', threadId: null, discussionId: ids.post.id });
    expect(await get(ids.postReply.id)).toMatchObject({ threadId: ids.post.id, discussionId: ids.post.id });
    expect(await s.repos.members.get(community, ana.id)).toMatchObject({ name: 'Ana', joinedAt: Date.parse(ids.join.timestamp) });
    // Private stays private (nobody is known to read it yet: fail closed); forum posts stay readable.
    expect(await s.repos.channels.get(community, STAFF)).toMatchObject({ visibility: 'private' });
    expect(await s.repos.channels.canRead(community, STAFF, ana.id)).toBe(false);
    expect(await s.repos.channels.canRead(community, ids.post.id, lee.id)).toBe(true);
    expect(await s.repos.channels.canRead(community, GENERAL, lee.id)).toBe(true);
    expect(s.featureErrors).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('walks pages in ascending order with a small page size', async () => {
    const { fake, source } = await discordWorld();
    const s = store('discord');
    const result = await s.run(source({ pageSize: 2 }));
    expect(result).toMatchObject({ messages: 8, joins: 1, duplicates: 0, errors: 0 });
    const general = messagesFetched(fake, GENERAL);
    expect(general.length).toBe(3); // 4 messages: two full pages, then an empty one says it is caught up
    expect(general.map((r) => r.query.get('after'))).toEqual(['0', fake.history.get(GENERAL)![1].id, fake.history.get(GENERAL)![3].id]);
  });

  it('is idempotent and incremental: a second run adds nothing, a later one fetches only what is new', async () => {
    const { fake, source, ids } = await discordWorld();
    const s = store('discord');
    await s.run(source());
    const again = await s.run(source());
    expect(again).toMatchObject({ messages: 0, joins: 0, duplicates: 0, edits: 0, errors: 0 });
    expect(messagesFetched(fake, GENERAL).at(-1)!.query.get('after')).toBe(ids.deploy.id);

    const late = fake.seedMessage(GENERAL, lee, 'is this fixed yet?');
    const lateReply = fake.seedMessage(ids.post.id, lee, 'thanks, that worked!');
    const third = await s.run(source());
    expect(third).toMatchObject({ messages: 2, duplicates: 0 });
    expect(await s.repos.messages.get(`discord:${GUILD}`, late.id)).toBeTruthy();
    expect(await s.repos.messages.get(`discord:${GUILD}`, lateReply.id)).toMatchObject({ discussionId: ids.post.id });
  });

  it('resumes after Ctrl-C from the last committed page, without duplicates', async () => {
    const { fake, source } = await discordWorld();
    const s = store('discord');
    let pages = 0;
    const first = await s.run(source({ pageSize: 2 }), { onProgress: (t) => void (pages = t.pages), shouldStop: () => pages >= 1 });
    expect(first).toMatchObject({ stopped: true, pages: 1, messages: 1, joins: 1 });
    expect(await s.repos.checkpoints.get(checkpointKey(`discord:${GUILD}`, GENERAL))).toEqual({ state: fake.history.get(GENERAL)![1].id });
    const second = await s.run(source({ pageSize: 2 }));
    expect(second).toMatchObject({ stopped: false, messages: 7, joins: 0, duplicates: 0 });
  });

  it('a channel failing mid-run is reported, the others continue, and the next run completes it', async () => {
    const { fake, source } = await discordWorld();
    const s = store('discord');
    let failed = false;
    const first = await s.run(source({ pageSize: 2 }), {
      onProgress: (t) => {
        if (t.pages === 1 && !failed) {
          failed = true;
          fake.failNext('GET', new RegExp(`^/channels/${GENERAL}/messages$`), 500, { message: 'Internal Server Error', code: 0 });
        }
      },
    });
    expect(first).toMatchObject({ failedChannels: 1, messages: 6, joins: 1 });
    expect(s.errors[0]).toMatch(/#general/);
    expect(await s.repos.checkpoints.get(checkpointKey(`discord:${GUILD}`, GENERAL))).toEqual({ state: fake.history.get(GENERAL)![1].id });
    const second = await s.run(source({ pageSize: 2 }));
    expect(second).toMatchObject({ failedChannels: 0, messages: 2, duplicates: 0, errors: 0 });
  });

  it('waits out a 429 (Retry-After) and stores the page once', async () => {
    const { fake, source } = await discordWorld();
    const s = store('discord');
    fake.failNext('GET', new RegExp(`^/channels/${GENERAL}/messages$`), 429, { message: 'You are being rate limited.', code: 0, retry_after: 0, global: false }, { 'Retry-After': '0', 'X-RateLimit-Scope': 'user' });
    const result = await s.run(source());
    expect(messagesFetched(fake, GENERAL).map((r) => r.status)).toEqual([429, 200]);
    expect(result).toMatchObject({ messages: 8, duplicates: 0, errors: 0 });
  });
});

describe('Discord: live events and backfill store the same row for the same message', () => {
  it('id, channel, thread, reply target, raw text, mentions, bot flag and kind agree', async () => {
    const d = await discordCommunity();
    try {
      const { fake } = d;
      const { general, help } = CHANNELS;
      const { maya, mod } = USERS;
      const ci: FakeUser = { id: '130000000000000009', username: 'ci', bot: true };
      const question = fake.seedMessage(help, maya, 'Build broke after <@130000000000000003> merged, see <#110000000000000001> and <@&120000000000000001> <:sad:140000000000000001>', {
        mentions: [fake.memberPayload({ user: mod, roles: [] }).user],
      });
      const sent = [
        question,
        fake.seedMessage(help, mod, 'Clear the cache', { type: 19, message_reference: { message_id: question.id, channel_id: help, guild_id: GUILD } }),
        // A forward from another channel: a reference, but not a reply here.
        fake.seedMessage(general, mod, '', { message_reference: { type: 1, message_id: question.id, channel_id: help, guild_id: GUILD } }),
        fake.seedMessage(help, mod, '', { type: 6, message_reference: { message_id: question.id, channel_id: help, guild_id: GUILD } }),
        fake.seedMessage(help, mod, '', { type: 21, message_reference: { message_id: question.id, channel_id: general, guild_id: GUILD } }),
        fake.seedMessage(general, maya, '', { type: 7 }),
        fake.seedMessage(help, ci, 'deployed <@130000000000000002>'),
      ];
      for (const m of sent) fake.dispatch('MESSAGE_CREATE', m);
      await waitFor(async () => (await Promise.all(sent.map((m) => d.repos.messages.get(d.community, m.id)))).every(Boolean), 'every message stored live');

      const s = store('discord');
      await s.run(discordHistorySource({ token: fake.token, guildId: GUILD, api: fake.apiUrl, rest: { retries: 0, timeout: 2000 } }));
      const fields = ['id', 'channelId', 'threadId', 'replyTo', 'discussionId', 'text', 'title', 'authorIsBot', 'kind', 'createdAt'] as const;
      const pick = (row: Record<string, unknown> | undefined) => row && Object.fromEntries(fields.map((f) => [f, row[f]]));
      for (const m of sent) {
        const live = pick(await d.repos.messages.get(d.community, m.id));
        expect(live, `message type ${m.type}`).toBeTruthy();
        expect(pick(await s.repos.messages.get(d.community, m.id)), `message type ${m.type}`).toEqual(live);
      }
      expect(pick(await s.repos.messages.get(d.community, question.id))).toMatchObject({ text: question.content, kind: 'message' });
    } finally {
      await d.stop();
    }
  });
});

// ------------------------------------------------------------------------------------ Slack

async function slackWorld() {
  const fake = new FakeSlack();
  await fake.start();
  fakes.push(fake);
  fake.addUser({ id: 'U00000001', name: 'ana' }).addUser({ id: 'U00000002', name: 'sam' }).addUser({ id: 'U00000003', name: 'lee' }).addUser({ id: 'UCI', name: 'ci', is_bot: true });
  fake.addChannel({ id: 'C00000001', name: 'general' });
  fake.addChannel({ id: 'G00000001', name: 'staff', is_private: true, members: [fake.bot.userId, 'U00000001'] });
  fake.addChannel({ id: 'G00000002', name: 'secret', is_private: true, members: ['U00000002'] });
  const join = fake.seedMessage('C00000001', { user: 'U00000002', subtype: 'channel_join', text: '<@U00000002> has joined the channel' });
  const question = fake.seedMessage('C00000001', { user: 'U00000001', text: 'Export fails with error 500, anyone?' });
  question.thread_ts = question.ts;
  const reply = fake.seedMessage('C00000001', { user: 'U00000002', text: 'Try again with a smaller range', thread_ts: question.ts });
  const reply2 = fake.seedMessage('C00000001', { user: 'U00000001', text: 'that worked, thanks <@U00000002>', thread_ts: question.ts });
  const bot = fake.seedMessage('C00000001', { bot_id: 'B00000001', subtype: 'bot_message', username: 'ci', text: 'build passed' });
  const chatter = fake.seedMessage('C00000001', { user: 'U00000003', text: 'morning all' });
  const planning = fake.seedMessage('G00000001', { user: 'U00000001', text: 'private planning' });
  fake.seedMessage('G00000002', { user: 'U00000002', text: 'the bot is not in here' });
  const source = (extra: { pageSize?: number } = {}) =>
    slackHistorySource({ token: fake.botToken, slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 }, ...extra });
  return { fake, source, ids: { join, question, reply, reply2, bot, chatter, planning } };
}

const COMMUNITY = 'slack:T0TEAM';

/** Hearth's id of a message in the Slack fake's #general (C00000001): channel and ts. */
const c1 = (ts: string) => slackMessageId('C00000001', ts);

describe('backfill from Slack (WebClient against the fake)', () => {
  it('stores every message once: threads and replies, joins, bots, private channels with members; sends nothing', async () => {
    const { fake, source, ids } = await slackWorld();
    const s = store('slack');
    const result = await s.run(source());
    expect(result).toMatchObject({ messages: 6, joins: 1, duplicates: 0, errors: 0, failedChannels: 0 });
    const get = (id: string) => s.repos.messages.get(COMMUNITY, id);
    expect(await get(c1(ids.reply.ts))).toMatchObject({ threadId: c1(ids.question.ts), discussionId: c1(ids.question.ts), text: 'Try again with a smaller range' });
    expect(await get(c1(ids.reply2.ts))).toMatchObject({ discussionId: c1(ids.question.ts) });
    expect(await get(c1(ids.bot.ts))).toMatchObject({ authorIsBot: true });
    expect(await get(slackMessageId('G00000001', ids.planning.ts))).toMatchObject({ channelId: 'G00000001' });
    expect(await s.repos.members.get(COMMUNITY, 'U00000002')).toMatchObject({ name: 'sam', joinedAt: Math.round(Number(ids.join.ts) * 1000) });
    expect(await s.repos.channels.canRead(COMMUNITY, 'G00000001', 'U00000001')).toBe(true);
    expect(await s.repos.channels.canRead(COMMUNITY, 'G00000001', 'U00000002')).toBe(false);
    expect(await s.repos.channels.get(COMMUNITY, 'G00000002')).toBeUndefined();
    expect(s.featureErrors).toEqual([]);
    expect(fake.posted()).toEqual([]);
  });

  it('follows the history cursor across pages and replays them oldest first', async () => {
    const { fake, source, ids } = await slackWorld();
    const s = store('slack');
    const result = await s.run(source({ pageSize: 2 }));
    expect(result).toMatchObject({ messages: 6, joins: 1, duplicates: 0, errors: 0 });
    const general = fake.callsTo('conversations.history').filter((a) => a.channel === 'C00000001');
    // Scan newest -> oldest (4 top-level messages, 2 a page), replay the oldest page from
    // memory, then fetch the newer page again by its span.
    expect(general.map((a) => [Boolean(a.cursor), a.oldest ?? null, a.latest ?? null])).toEqual([
      [false, null, null],
      [true, null, null],
      [false, ids.bot.ts, ids.chatter.ts],
    ]);
    // Stored in time order: the question (and its thread) before the later chatter.
    const rowOf = async (ts: string) => (await s.repos.messages.get(COMMUNITY, c1(ts)))!.rowId;
    expect(await rowOf(ids.question.ts)).toBeLessThan(await rowOf(ids.reply2.ts));
    expect(await rowOf(ids.reply2.ts)).toBeLessThan(await rowOf(ids.bot.ts));
    expect(await rowOf(ids.bot.ts)).toBeLessThan(await rowOf(ids.chatter.ts));
  });

  it('is idempotent and incremental: a second run adds nothing, a later one fetches only what is new', async () => {
    const { fake, source, ids } = await slackWorld();
    const s = store('slack');
    await s.run(source());
    const again = await s.run(source());
    expect(again).toMatchObject({ messages: 0, joins: 0, duplicates: 0, edits: 0, errors: 0 });
    // The scan for new messages starts after the newest seen (the other read, with `latest`,
    // looks at recent thread roots for new replies).
    expect(fake.callsTo('conversations.history').filter((a) => a.channel === 'C00000001' && a.latest === undefined).at(-1)!.oldest).toBe(ids.chatter.ts);

    const late = fake.seedMessage('C00000001', { user: 'U00000003', text: 'is the export fixed?' });
    late.thread_ts = late.ts;
    const lateReply = fake.seedMessage('C00000001', { user: 'U00000002', text: 'yes, since v2.4', thread_ts: late.ts });
    const third = await s.run(source());
    expect(third).toMatchObject({ messages: 2, duplicates: 0 });
    expect(await s.repos.messages.get(COMMUNITY, c1(lateReply.ts))).toMatchObject({ discussionId: c1(late.ts) });
  });

  it('a later run picks up new replies in threads started up to two weeks before it, first replies included', async () => {
    const { fake, source, ids } = await slackWorld();
    const s = store('slack');
    await s.run(source());
    const lateReply = fake.seedMessage('C00000001', { user: 'U00000003', text: 'still failing for me on the big export', thread_ts: ids.question.ts });
    // A message stored without replies that gets its first one after the run (Slack then
    // marks it as a thread root).
    ids.chatter.thread_ts = ids.chatter.ts;
    const firstAnswer = fake.seedMessage('C00000001', { user: 'U00000002', text: 'morning! the dashboard is back', thread_ts: ids.chatter.ts });
    const second = await s.run(source());
    expect(second).toMatchObject({ messages: 2, duplicates: 0, errors: 0 });
    expect(await s.repos.messages.get(COMMUNITY, c1(lateReply.ts))).toMatchObject({ threadId: c1(ids.question.ts), discussionId: c1(ids.question.ts) });
    expect(await s.repos.messages.get(COMMUNITY, c1(firstAnswer.ts))).toMatchObject({ threadId: c1(ids.chatter.ts) });
    // Only what came after the previous run was asked for, and only of the threads that moved.
    const rereads = fake.callsTo('conversations.replies').filter((a) => a.oldest !== undefined);
    expect(rereads.map((a) => a.ts).sort()).toEqual([ids.question.ts, ids.chatter.ts].sort());
    expect(rereads.every((a) => a.oldest === ids.chatter.ts)).toBe(true);
    // Until the channel moves on, the same replies are read again: already stored, skipped.
    const third = await s.run(source());
    expect(third).toMatchObject({ messages: 0, edits: 0, errors: 0 });

    // Three weeks on, a new reply to the old thread is not looked for.
    const day = (n: number) => `${Math.floor(Number(lateReply.ts)) + n * 86_400}.000100`;
    fake.seedMessage('C00000001', { user: 'U00000001', text: 'new week, new release', ts: day(21) });
    await s.run(source());
    fake.seedMessage('C00000001', { user: 'U00000002', text: 'one more late word', thread_ts: ids.question.ts, ts: day(22) });
    fake.seedMessage('C00000001', { user: 'U00000003', text: 'and chatter', ts: day(22.5) });
    const calls = fake.callsTo('conversations.replies').length;
    const later = await s.run(source());
    expect(later.messages).toBe(1); // the chatter
    expect(fake.callsTo('conversations.replies').length).toBe(calls);
  });

  it('a thread deleted before its new replies are read is passed over, and the run goes on', async () => {
    const { fake, source, ids } = await slackWorld();
    const s = store('slack');
    await s.run(source());
    fake.seedMessage('C00000001', { user: 'U00000003', text: 'any news?', thread_ts: ids.question.ts });
    fake.failNext('conversations.replies', { status: 200, body: { ok: false, error: 'thread_not_found' } });
    const second = await s.run(source());
    expect(second).toMatchObject({ messages: 0, errors: 0, failedChannels: 0 });
  });

  it('resumes after Ctrl-C from the saved cursor, without duplicates', async () => {
    const { source } = await slackWorld();
    const s = store('slack');
    let pages = 0;
    const first = await s.run(source({ pageSize: 2 }), { onProgress: (t) => void (pages = t.pages), shouldStop: () => pages >= 1 });
    expect(first).toMatchObject({ stopped: true, pages: 1 });
    const state = JSON.parse((await s.repos.checkpoints.get<{ state: string }>(checkpointKey(COMMUNITY, 'C00000001')))!.state);
    expect(state.cursor).toBeTruthy();
    const second = await s.run(source({ pageSize: 2 }));
    expect(first.messages + first.joins + second.messages + second.joins).toBe(7);
    expect(second.duplicates).toBe(0);
  });

  it('a failing call mid-run is reported, and the next run resumes from the last committed page', async () => {
    const { fake, source } = await slackWorld();
    const s = store('slack');
    let injected = false;
    const first = await s.run(source({ pageSize: 2 }), {
      onProgress: (t) => {
        if (t.pages === 1 && !injected) {
          injected = true;
          fake.failNext('conversations.history', { status: 200, body: { ok: false, error: 'internal_error' } });
        }
      },
    });
    expect(first.failedChannels).toBe(1);
    expect(s.errors[0]).toMatch(/#general.*internal_error/);
    const second = await s.run(source({ pageSize: 2 }));
    expect(second).toMatchObject({ failedChannels: 0, duplicates: 0, errors: 0 });
    expect(first.messages + first.joins + second.messages + second.joins).toBe(7); // 6 in #general (replies included), 1 in #staff
  });

  it('waits out a 429 (retry-after) and stores the page once', async () => {
    const { fake, source } = await slackWorld();
    const s = store('slack');
    fake.failNext('conversations.history', { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '0' } });
    const result = await s.run(source());
    expect(result).toMatchObject({ messages: 6, joins: 1, duplicates: 0, errors: 0, failedChannels: 0 });
    expect(fake.callsTo('conversations.history').length).toBe(3); // the rate-limited call, then #general and #staff
  });
});
