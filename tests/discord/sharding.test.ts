/**
 * Several processes on one PostgreSQL database, each running one Discord shard (the gateway's
 * `shard: [id, count]`, DISCORD_SHARD_ID / DISCORD_SHARD_COUNT) against the fake gateway, which
 * routes each server's events to shard (guild_id >> 22) % count like Discord. A stream of joins,
 * messages, same-heres and /human requests in three servers, the clock advanced, one process
 * killed mid-stream and replaced: every welcome, acknowledgement and ping is sent exactly once, and
 * the killed shard's scheduled steps are run by its replacement (only a shard's own process
 * holds its servers).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, ManualClock } from '../../src/core/clock';
import { parseConfig } from '../../src/config';
import { createPostgresRepositories } from '../../src/db/postgres';
import { openPostgres, type PostgresHandle } from '../../src/db/postgres/connection';
import { silentLogger } from '../../src/log';
import { startDiscord, type DiscordService } from '../../src/platforms/discord';
import { FakeDiscord, shardOf, type FakeGuild, type FakeUser } from '../fakes/discord/server';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';

const SHARDS = 3;
/** Three servers, one per shard: a snowflake's shard is its timestamp part (id >> 22) mod the count. */
const GUILDS = [0, 1, 2].map((k) => String(BigInt(3000 + k) << 22n));
const channelId = (g: number, name: 'general' | 'mods') => `${7_000_000_000_000_000 + g * 10 + (name === 'general' ? 1 : 2)}`;
const user = (name: string, g: number, i: number): FakeUser => ({ id: `${8_000_000_000_000_000 + g * 100 + i}`, username: `${name}${g}` });

function guild(g: number): FakeGuild {
  return {
    id: GUILDS[g],
    name: `Server ${g}`,
    owner_id: user('owner', g, 0).id,
    system_channel_id: channelId(g, 'general'),
    roles: [{ id: GUILDS[g], name: '@everyone', permissions: String((1n << 10n) | (1n << 11n) | (1n << 16n)) }],
    channels: [
      { id: channelId(g, 'general'), type: 0, name: 'general' },
      { id: channelId(g, 'mods'), type: 0, name: 'mods' },
    ],
    members: [{ user: user('owner', g, 0), roles: [] }],
  };
}

describe.skipIf(!postgresEnabled())('Discord shards in several processes on one PostgreSQL', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('each shard gets its own servers, and a stream with a process killed mid-way is acted on exactly once', async () => {
    expect(GUILDS.map((id) => shardOf(id, SHARDS))).toEqual([0, 1, 2]);
    const fake = await FakeDiscord.start({ guilds: [0, 1, 2].map(guild), shards: SHARDS });
    cleanup.push(() => fake.close());
    const store = await openTestPostgres();
    cleanup.push(() => store.close());
    const clock = new ManualClock();

    /** One "process": its own pool on the database and its own gateway connection for one shard. */
    const processes: { service: DiscordService; handle: PostgresHandle }[] = [];
    const startProcess = async (shard: number) => {
      const handle = await openPostgres(store.url, { max: 4 });
      const config = parseConfig({
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARD_ID: String(shard),
        DISCORD_SHARD_COUNT: String(SHARDS),
      });
      const service = await startDiscord(
        { config, repos: createPostgresRepositories(handle), log: silentLogger },
        { clock, rest: { retries: 0, timeout: 2000, offset: 0 }, deferAfterMs: 1000, schedule: false },
      );
      const running = { service, handle };
      processes[shard] = running;
      return running;
    };
    const stopProcess = async (running: { service: DiscordService; handle: PostgresHandle }) => {
      await running.service.stop();
      await running.handle.close();
    };
    for (let shard = 0; shard < SHARDS; shard++) await startProcess(shard);
    cleanup.push(async () => {
      for (const running of processes) await stopProcess(running).catch(() => undefined);
    });
    expect(fake.connectedShards().sort()).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    // Each process sees only its own server.
    expect(processes.map((p) => [...p.service.client.guilds.cache.keys()])).toEqual(GUILDS.map((id) => [id]));

    const newcomers = [0, 1, 2].map((g) => [user('nia', g, 1), user('omar', g, 2)]);
    const tokens: string[] = [];
    const stream = async (g: number) => {
      const general = channelId(g, 'general');
      for (const newcomer of newcomers[g]) fake.memberJoins(newcomer, GUILDS[g]);
      const question = fake.memberPosts(newcomers[g][0], general, 'Hi all! How do I export my calendar to a CSV file?');
      fake.memberPosts(newcomers[g][1], general, 'same here', { message_reference: { message_id: question.id, channel_id: general, guild_id: GUILDS[g] }, type: 19 });
      tokens[g] = fake.slashCommand(newcomers[g][0], general, 'human', [{ name: 'reason', type: 3, value: `locked out of server ${g}` }]);
      // Handled: both welcomed, the ping posted, the requester acknowledged, every delivery done.
      await waitFor(() => newcomers[g].every((n) => fake.messagesIn(general).some((m) => m.content.includes(`<@${n.id}>`))), `the welcomes in server ${g}`);
      await waitFor(() => fake.messagesIn(channelId(g, 'mods')).length > 0 && fake.interactionCalls(tokens[g]).length > 0, `the ping and acknowledgement in server ${g}`);
      await waitFor(async () => (await store.handle.pool.query('SELECT 1 FROM deliveries WHERE done_at IS NULL')).rowCount === 0, `server ${g}'s deliveries handled`);
    };
    await stream(0);
    await stream(1);
    await stream(2);

    // Shard 2's process dies with its server's next step scheduled (the re-ping). The others run
    // their own servers' steps only (a shard holds only its servers), so server 2's waits.
    await stopProcess(processes[2]);
    clock.advance(15 * MINUTE); // past the re-ping (10 minutes), before the second tier (30)
    await Promise.all(processes.slice(0, 2).map((p) => p.service.companion.runDueTasks()));
    expect(fake.messagesIn(channelId(2, 'mods'))).toHaveLength(1);
    // The replacement for shard 2 comes up (the supervisor restarts it), runs the step once, and
    // the stream goes on.
    await startProcess(2);
    await processes[2].service.companion.runDueTasks();
    expect(fake.messagesIn(channelId(2, 'mods'))).toHaveLength(2);
    const late = user('lea', 2, 3);
    fake.memberJoins(late, GUILDS[2]);
    await waitFor(() => fake.messagesIn(channelId(2, 'general')).some((m) => m.content.includes(`<@${late.id}>`)), 'the late newcomer welcomed');
    clock.advance(2 * HOUR);
    await Promise.all(processes.map((p) => p.service.companion.runDueTasks()));

    for (let g = 0; g < 3; g++) {
      const general = fake.messagesIn(channelId(g, 'general'));
      const mods = fake.messagesIn(channelId(g, 'mods'));
      for (const newcomer of [...newcomers[g], ...(g === 2 ? [late] : [])]) {
        const welcomes = general.filter((m) => m.author.id === fake.bot.id && /welcome/i.test(m.content) && m.content.includes(`<@${newcomer.id}>`));
        expect(welcomes, `welcomes of ${newcomer.username}`).toHaveLength(1);
      }
      // Every moderator post is different (no step posted twice), and a re-ping followed the ping.
      const contents = mods.map((m) => m.content);
      expect(new Set(contents).size, `server ${g} moderator posts: ${JSON.stringify(contents)}`).toBe(contents.length);
      expect(contents.filter((c) => c.includes(`<@${newcomers[g][0].id}>`)).length, `server ${g} pings`).toBeGreaterThanOrEqual(2);
      // One acknowledgement to the requester.
      const acks = fake.interactionCalls(tokens[g]).filter((c) => c.body?.type === 4 || c.method === 'PATCH');
      expect(acks, `server ${g} acknowledgements`).toHaveLength(1);
    }
    const store2 = createPostgresRepositories(processes[0].handle);
    for (let g = 0; g < 3; g++) {
      const tasks = await store.handle.pool.query(`SELECT count(*)::int AS n FROM scheduled_tasks WHERE community_id = $1 AND status IN ('pending', 'running') AND due_at <= $2`, [`discord:${GUILDS[g]}`, clock.now()]);
      expect(tasks.rows[0].n, `server ${g}: steps left due`).toBe(0);
      expect((await store2.escalations.list(`discord:${GUILDS[g]}`)).length).toBe(1);
    }
  }, 60_000);
});
