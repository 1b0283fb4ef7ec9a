/**
 * Three Hearth OS processes on one PostgreSQL database (issue 23's "done means"): two Discord
 * shards (DISCORD_SHARD_ID 0 and 1 of 2) against the fake gateway, and one Slack Socket Mode
 * connection against the fake Slack, each a child process running the real adapter
 * (tests/helpers/kill-child.ts: `npm start`'s store and adapters, a manual clock moved by
 * `advance` lines). A stream of joins, messages, same-heres and /human requests (commands and
 * typed), the clock advanced past the re-pings; shard 1's process is killed with SIGKILL while
 * it handles a typed request for a human (at its 1st, 2nd or 3rd request to Discord for it), the stream goes on meanwhile (its server's joins and
 * messages reach nobody: Discord does not send them again on a new session) and a replacement
 * starts, which reads its server's channels on from the last message handled there.
 * Counted on the fakes, which outlive the processes: every welcome and acknowledgement is sent
 * once, every ping once with one re-ping, no post twice, and every member message is stored.
 * No sleeps: each step waits for an effect it can see (bounded).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { FakeDiscord, shardOf, type FakeGuild, type FakeUser, type StoredMessage } from '../fakes/discord/server';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { Companion as CompanionProcess } from '../helpers/platform-kill-round';
import { waitFor } from '../helpers/wait';
import { IDS, slashCommandPayload, startFakeSlack } from '../slack/workspace';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
/** Two servers, one per shard: a snowflake's shard is its timestamp part (id >> 22) mod the count. */
const GUILDS = [0, 1].map((k) => String(BigInt(3000 + k) << 22n));
const channel = (g: number, name: 'general' | 'mods') => `${7_000_000_000_000_000 + g * 10 + (name === 'general' ? 1 : 2)}`;
const person = (name: string, g: number, i: number): FakeUser => ({ id: `${8_000_000_000_000_000 + g * 100 + i}`, username: `${name}${g}` });
/** ViewChannel | SendMessages | ReadMessageHistory */
const EVERYONE = String((1n << 10n) | (1n << 11n) | (1n << 16n));

function guild(g: number): FakeGuild {
  return {
    id: GUILDS[g],
    name: `Server ${g}`,
    owner_id: person('owner', g, 0).id,
    system_channel_id: channel(g, 'general'),
    roles: [{ id: GUILDS[g], name: '@everyone', permissions: EVERYONE }],
    channels: [
      { id: channel(g, 'general'), type: 0, name: 'general' },
      { id: channel(g, 'mods'), type: 0, name: 'mods' },
    ],
    members: [{ user: person('owner', g, 0), roles: [] }],
  };
}

/** The virtual time: children's clocks are set from it, the fakes' ids and ts follow it. */
const time = { now: START, tick: 0 };
const fakeNow = () => time.now + ++time.tick;

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe.skipIf(!postgresEnabled())('three processes on one PostgreSQL', () => {
for (const killAfter of [1, 2, 3]) it(
  `two Discord shards and one Slack connection act once on a stream, and a shard killed at its request ${killAfter} for a typed request loses nothing`,
  async () => {
    expect(GUILDS.map((id) => shardOf(id, 2))).toEqual([0, 1]);
    // The servers post Discord's join notices: a join shard 1 misses is found by its replacement.
    const discord = await FakeDiscord.start({ guilds: [0, 1].map(guild), shards: 2, now: fakeNow, joinMessages: true });
    cleanup.push(() => discord.close());
    const slack = await startFakeSlack({ now: fakeNow });
    cleanup.push(() => slack.close());
    const store = await openTestPostgres();
    cleanup.push(() => store.close());
    const dir = mkdtempSync(join(tmpdir(), 'hearth-processes-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const common = { HEARTH_DATABASE_URL: store.url };
    const discordEnv = (shard: number) => ({
      ...common,
      HEARTH_PLATFORMS: 'discord',
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SHARD_ID: String(shard),
      DISCORD_SHARD_COUNT: '2',
    });
    const slackEnv = {
      ...common,
      HEARTH_PLATFORMS: 'slack',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_MODE: 'socket',
      SLACK_API_URL: slack.apiUrl,
      SLACK_MOD_CHANNEL_ID: IDS.mods,
      SLACK_MOD_USERGROUP_ID: IDS.modGroup,
    };
    const start = async (env: Record<string, string>) => {
      const child = new CompanionProcess(join(dir, 'unused.db'), env, time.now);
      cleanup.push(() => child.kill());
      await child.line('ready');
      if (child.exited) throw new Error('a companion process stopped while starting');
      return child;
    };
    // Three processes starting at once (they migrate one after another under an advisory lock).
    const processes = await Promise.all([start(discordEnv(0)), start(discordEnv(1)), start(slackEnv)]);
    expect(discord.connectedShards().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await waitFor(() => slack.socketCount === 1, 'the Slack connection');

    /** Move every live process's clock and run its due steps. */
    const advance = async (ms: number) => {
      time.now += ms; // the fakes first: never behind the companions' clocks
      const live = processes.filter((p) => !p.exited);
      for (const p of live) p.send(`advance ${ms}`);
      await Promise.all(live.map((p) => p.line('advanced')));
    };
    const stored = async (community: string, id: string) =>
      ((await store.handle.pool.query('SELECT 1 FROM messages WHERE community_id = $1 AND id = $2', [community, id])).rowCount ?? 0) > 0;
    const community = (g: number) => `discord:${GUILDS[g]}`;
    const SLACK = `slack:${slack.team.id}`;

    // What each process is asked, and what must come of it.
    const discordMessages: { g: number; message: StoredMessage }[] = [];
    const newcomers: FakeUser[][] = [[], []];
    const commandTokens: { g: number; requester: FakeUser; token: string }[] = [];
    const typedRequests: { g: number; requester: FakeUser }[] = [];
    const posts = (g: number, member: FakeUser, text: string, extra: Record<string, unknown> = {}) => {
      const message = discord.memberPosts(member, channel(g, 'general'), text, extra);
      discordMessages.push({ g, message });
      return message;
    };
    const joins = (g: number, member: FakeUser) => {
      newcomers[g].push(member);
      discord.memberJoins(member, GUILDS[g]);
    };
    const sameHere = (g: number, member: FakeUser, question: StoredMessage) =>
      posts(g, member, 'same here', { type: 19, message_reference: { message_id: question.id, channel_id: channel(g, 'general'), guild_id: GUILDS[g] } });
    const welcomed = (g: number, member: FakeUser) => discord.messagesIn(channel(g, 'general')).some((m) => m.author.id === discord.bot.id && m.content.includes(`<@${member.id}>`));
    const pinged = (g: number, member: FakeUser) => discord.messagesIn(channel(g, 'mods')).some((m) => m.content.includes(`<@${member.id}>`));

    /** A Discord server's part of the stream, waited for until handled. */
    const discordStream = async (g: number, round: number) => {
      const [a, b] = [person('nia', g, 10 + round * 2), person('omar', g, 11 + round * 2)];
      joins(g, a);
      joins(g, b);
      const question = posts(g, a, `Hi all! How do I export my calendar to a CSV file? (${round})`);
      sameHere(g, b, question);
      const token = discord.slashCommand(a, channel(g, 'general'), 'human', [{ name: 'reason', type: 3, value: `locked out of server ${g}` }]);
      commandTokens.push({ g, requester: a, token });
      await waitFor(() => welcomed(g, a) && welcomed(g, b), `the welcomes in server ${g}`, 20_000);
      await waitFor(() => pinged(g, a) && discord.interactionCalls(token).length > 0, `the ping and acknowledgement in server ${g}`, 20_000);
      await waitFor(() => stored(community(g), question.id), `server ${g}'s question stored`, 20_000);
    };

    // The Slack workspace's part: joins, a question, a same here in its thread, /human.
    const slackUsers: string[] = [];
    const slackMessages: string[] = [];
    const slackCommands: { user: string; responseId: string }[] = [];
    let slackEvent = 0;
    /** A moderator post about this member (named, not pinged: `@name`). */
    const slackNames = (m: Record<string, unknown>, user: string) => m.channel === IDS.mods && String(m.text).toLowerCase().includes(user.toLowerCase());
    const slackSend = (type: 'events_api' | 'slash_commands', payload: Record<string, unknown>) => slack.sendEnvelope(type, payload, 20_000, 0);
    const slackStream = async (round: number) => {
      const [a, b] = [`U0NEWA${round}`, `U0NEWB${round}`];
      const at = Math.floor(time.now / 1000);
      for (const user of [a, b]) {
        slack.addUser({ id: user, name: user.toLowerCase() });
        slackUsers.push(user);
        await slackSend('events_api', slack.eventCallback({ type: 'team_join', user: { id: user, name: user.toLowerCase(), real_name: user, team_id: slack.team.id, is_bot: false, profile: { display_name: user } } }, { eventId: `EvJ${++slackEvent}`, eventTime: at }));
      }
      const ts = slack.nextTs();
      slackMessages.push(ts);
      await slackSend('events_api', slack.eventCallback({ type: 'message', channel: IDS.general, channel_type: 'channel', user: a, text: `How do I export my calendar to a CSV file? (${round})`, ts }, { eventId: `EvM${++slackEvent}`, eventTime: at }));
      const reply = slack.nextTs();
      slackMessages.push(reply);
      await slackSend('events_api', slack.eventCallback({ type: 'message', channel: IDS.general, channel_type: 'channel', user: b, text: 'same here', ts: reply, thread_ts: ts }, { eventId: `EvM${++slackEvent}`, eventTime: at }));
      const command = slashCommandPayload(slack, a, 'human', `locked out (${round})`, IDS.general, `trigger-${round}`);
      slackCommands.push({ user: a, responseId: command.response_url.split('/').pop()! });
      await slackSend('slash_commands', command);
      const welcomedOnSlack = (user: string) => slack.callsTo('chat.postMessage').some((m) => String(m.text).includes(`<@${user}>`) && m.channel !== IDS.mods);
      await waitFor(() => welcomedOnSlack(a) && welcomedOnSlack(b), 'the Slack welcomes', 20_000);
      await waitFor(() => slack.responses.some((r) => r.id === slackCommands.at(-1)!.responseId), 'the Slack acknowledgement', 20_000);
      await waitFor(() => slack.callsTo('chat.postMessage').some((m) => slackNames(m, a)), 'the Slack ping', 20_000);
    };

    // Round 1: everything up.
    await Promise.all([discordStream(0, 1), discordStream(1, 1), slackStream(1)]);

    // Round 2: shard 1 is killed while it handles a typed request for a human, at its
    // `killAfter`-th request to Discord (which Discord takes).
    const [kim, lou, max] = [person('kim', 1, 50), person('lou', 1, 51), person('max', 1, 52)];
    for (const member of [kim, lou, max]) discord.guild(GUILDS[1]).members.push({ user: member, roles: [] });
    let killedAt: string | undefined;
    let seen = 0;
    const forServer0 = [channel(0, 'general'), channel(0, 'mods')];
    discord.onRequestSeen = (request) => {
      if (killedAt || forServer0.some((part) => request.path.includes(part)) || ++seen < killAfter) return;
      killedAt = `${request.method} ${request.path}`;
      void processes[1].kill();
    };
    typedRequests.push({ g: 1, requester: kim });
    const kimsRequest = posts(1, kim, 'can I talk to a human? the export keeps failing and I am stuck');
    await waitFor(() => processes[1].exited, 'shard 1 killed mid-request', 20_000);
    discord.onRequestSeen = undefined;
    // While shard 1 is down: its server's messages reach no process (kept in the channel); the
    // other server and Slack go on.
    joins(1, person('pat', 1, 53));
    const lousQuestion = posts(1, lou, 'Is there a way to share a calendar with a team?');
    sameHere(1, max, lousQuestion);
    typedRequests.push({ g: 1, requester: max });
    posts(1, max, 'can I talk to a human please? I cannot find the sharing settings');
    await Promise.all([discordStream(0, 2), slackStream(2)]);
    // The supervisor starts a replacement: it reads its server's channels on from the last
    // message handled there.
    processes[1] = await start(discordEnv(1));
    const marker = posts(1, lou, 'thanks all');
    await waitFor(() => stored(community(1), marker.id), 'the replacement caught up (a live message after it is handled)', 20_000);
    await discordStream(1, 2);

    // The clock moves past the re-pings (10 minutes), before the second tier (30).
    await advance(2 * MINUTE);
    await advance(13 * MINUTE);
    await waitFor(async () => (await store.handle.pool.query('SELECT 1 FROM deliveries WHERE done_at IS NULL')).rowCount === 0, 'every delivery handled', 20_000);
    for (const p of processes) await p.finish();

    // Discord: each newcomer welcomed once; each request acknowledged once, pinged, re-pinged;
    // no moderator post twice; every member message stored.
    for (const g of [0, 1]) {
      const general = discord.messagesIn(channel(g, 'general'));
      for (const member of newcomers[g]) {
        const welcomes = general.filter((m) => m.author.id === discord.bot.id && /welcome/i.test(m.content) && m.content.includes(`<@${member.id}>`));
        expect(welcomes.length, `welcomes of ${member.username}: ${JSON.stringify(welcomes.map((m) => m.content))}`).toBe(1);
      }
      const mods = discord.messagesIn(channel(g, 'mods')).map((m) => m.content);
      expect(new Set(mods).size, `server ${g}'s moderator posts: ${JSON.stringify(mods)}`).toBe(mods.length);
      const requesters = [...commandTokens.filter((c) => c.g === g).map((c) => c.requester), ...typedRequests.filter((t) => t.g === g).map((t) => t.requester)];
      for (const requester of requesters) {
        expect(mods.filter((c) => c.includes(`<@${requester.id}>`)), `pings for ${requester.username}`).toHaveLength(2); // the ping and one re-ping
      }
      const escalations = (await store.repos.escalations.list(community(g))).map((e) => [e.requesterId, e.requestCount]);
      expect(escalations.sort()).toEqual(requesters.map((r) => [r.id, 1]).sort());
    }
    for (const { token, requester } of commandTokens) {
      const acks = discord.interactionCalls(token).filter((c) => c.body?.type === 4 || c.method === 'PATCH');
      expect(acks, `acknowledgements of ${requester.username}'s /human`).toHaveLength(1);
    }
    for (const { requester } of typedRequests) {
      const dm = discord.dmChannelWith(requester.id);
      expect(dm && discord.messagesIn(dm), `acknowledgements of ${requester.username}'s typed request`).toHaveLength(1);
    }
    const nonces = [...discord.messages.values()].filter((m) => m.nonce !== undefined).map((m) => `${m.channel_id}|${String(m.nonce)}`);
    expect(new Set(nonces).size, 'intent keys on more than one message').toBe(nonces.length);
    for (const { g, message } of discordMessages) expect(await stored(community(g), message.id), `message ${message.content} stored`).toBe(true);
    // Killed at a request about kim's message (measured: 1, the reply in #general; 2, the
    // moderator ping; 3, opening the DM for the acknowledgement).
    expect(killedAt).toMatch(/^(POST|GET|PUT|PATCH) \//);
    expect(await stored(community(1), kimsRequest.id)).toBe(true);

    // Slack: the same, through its one connection.
    const slackPosts = slack.callsTo('chat.postMessage');
    for (const user of slackUsers) {
      expect(slackPosts.filter((m) => m.channel !== IDS.mods && /welcome/i.test(String(m.text)) && String(m.text).includes(`<@${user}>`)), `Slack welcomes of ${user}`).toHaveLength(1);
    }
    for (const { user, responseId } of slackCommands) {
      expect(slack.responses.filter((r) => r.id === responseId), `Slack acknowledgements of ${user}`).toHaveLength(1);
      expect(slackPosts.filter((m) => slackNames(m, user)), `Slack pings for ${user}`).toHaveLength(2);
    }
    const slackMods = slackPosts.filter((m) => m.channel === IDS.mods).map((m) => String(m.text));
    expect(new Set(slackMods).size).toBe(slackMods.length);
    const { rows } = await store.handle.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE community_id = $1 AND author_is_bot = false', [SLACK]);
    expect(rows[0].n).toBe(slackMessages.length);
    // Every same here counted once per member and message (on both platforms).
    const same = await store.handle.pool.query<{ community_id: string; n: number }>('SELECT community_id, count(*)::int AS n FROM same_here GROUP BY community_id ORDER BY community_id');
    expect(Object.fromEntries(same.rows.map((r) => [r.community_id, r.n]))).toEqual({ [community(0)]: 2, [community(1)]: 3, [SLACK]: 2 });
  },
  180_000,
);
});
