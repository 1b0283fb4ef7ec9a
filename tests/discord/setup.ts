/**
 * A community on the fake Discord and the real adapter connected to it:
 *   const d = await discordCommunity(); d.fake.memberPosts(d.maya, d.general, 'hi'); ... await d.stop();
 */
import type { CommandDefinition } from '../../commands';
import type { AiPort } from '../../src/core/ai/port';
import { ManualClock } from '../../src/core/clock';
import { parseConfig } from '../../src/config';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection';
import { createRepositories, type Repositories } from '../../src/db/repositories';
import { silentLogger } from '../../src/log';
import { startDiscord, type DiscordAdapterOptions } from '../../src/platforms/discord';
import { EVERYONE_VIEW_DENIED, FakeDiscord, type CapturedRequest, type FakeGuild, type FakeUser } from '../fakes/discord/server';

export const GUILD = '100000000000000001';
export const CHANNELS = { general: '110000000000000001', mods: '110000000000000002', help: '110000000000000003' };
export const MOD_ROLE = '120000000000000001';
export const USERS = {
  owner: { id: '130000000000000001', username: 'olive' },
  maya: { id: '130000000000000002', username: 'maya', global_name: 'Maya' },
  mod: { id: '130000000000000003', username: 'modsy' },
  newcomer: { id: '130000000000000004', username: 'nia' },
} satisfies Record<string, FakeUser>;
/** ViewChannel | SendMessages | ReadMessageHistory */
const EVERYONE_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 16n));

export interface CommunityOptions extends DiscordAdapterOptions {
  commands?: CommandDefinition[];
  env?: Record<string, string>;
  /** Runs against the database before the adapter connects (e.g. tasks left by a previous run). */
  beforeStart?: (repos: Repositories, clock: ManualClock) => Promise<void>;
  /** A server with no moderator channel at all (none configured, none named like one). */
  withoutModeratorChannel?: boolean;
  /** Change the server (roles, channels, members) before the adapter connects. */
  guild?: (guild: FakeGuild) => void;
  /** The AI port (e.g. OpenAiPort against tests/fakes/openai-server.ts); default: AI off. */
  ai?: AiPort;
  /** A database shared with another community (the caller closes it); default: a new in-memory one. */
  database?: DatabaseHandle;
  clock?: ManualClock;
  /** Joins also post Discord's join notice in the system channel (FakeDiscordOptions.joinMessages). */
  joinMessages?: boolean;
}

/**
 * The fake Discord with the test server (roles, channels, members) on 127.0.0.1; the kill
 * soak keeps it in its own process while it kills and restarts the companion.
 */
export function startFakeDiscord(options: { withoutModeratorChannel?: boolean; now?: () => number; joinMessages?: boolean } = {}): Promise<FakeDiscord> {
  return FakeDiscord.start({
    ...(options.now ? { now: options.now } : {}),
    joinMessages: options.joinMessages,
    guilds: [
      {
        id: GUILD,
        name: 'Hearth Friends',
        owner_id: USERS.owner.id,
        system_channel_id: CHANNELS.general,
        roles: [
          { id: GUILD, name: '@everyone', permissions: EVERYONE_PERMISSIONS },
          { id: MOD_ROLE, name: 'Moderators', permissions: '0' },
        ],
        channels: [
          { id: CHANNELS.general, type: 0, name: 'general' },
          { id: CHANNELS.help, type: 0, name: 'help' },
        ].concat(options.withoutModeratorChannel ? [] : [
          {
            id: CHANNELS.mods,
            type: 0,
            name: 'mods',
            permission_overwrites: [
              { id: GUILD, type: 0, allow: '0', deny: EVERYONE_VIEW_DENIED },
              { id: MOD_ROLE, type: 0, allow: EVERYONE_VIEW_DENIED, deny: '0' },
            ],
          } as never,
        ]),
        members: [
          { user: USERS.owner, roles: [] },
          { user: USERS.maya, roles: [] },
          { user: USERS.mod, roles: [MOD_ROLE] },
        ],
      },
    ],
  });
}

export async function discordCommunity(options: CommunityOptions = {}) {
  const fake = await startFakeDiscord({ withoutModeratorChannel: options.withoutModeratorChannel, joinMessages: options.joinMessages });
  const shared = options.database !== undefined;
  const database = options.database ?? openDatabase(':memory:');
  const repos = createRepositories(database);
  const clock = options.clock ?? new ManualClock();
  const { env, beforeStart, withoutModeratorChannel, guild, ai, database: _database, clock: _clock, joinMessages: _joinMessages, ...adapterOptions } = options;
  guild?.(fake.guild());
  await beforeStart?.(repos, clock);
  const config = parseConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_MOD_ROLE_ID: MOD_ROLE,
    ...(withoutModeratorChannel ? {} : { DISCORD_MOD_CHANNEL_ID: CHANNELS.mods }),
    ...env,
  });
  const connect = () =>
    startDiscord({ config, repos, log: silentLogger, ai }, { clock, rest: { retries: 0, timeout: 2000, offset: 0 }, deferAfterMs: 1000, ...adapterOptions });
  const service = await connect();
  const community = `discord:${GUILD}`;
  let stopped = false;
  return {
    fake,
    service,
    repos,
    clock,
    community,
    ...USERS,
    ...CHANNELS,
    /** Every captured request that carries message content (posts, edits, replies, follow-ups). */
    messageBodies(): CapturedRequest[] {
      return fake.requests.filter((r) => r.body && typeof r.body === 'object' && ('content' in r.body || 'content' in (r.body.data ?? {})));
    },
    /**
     * Every request that carried message content allowed no mass mention, and only moderator
     * pings (posts to the moderator channel) allowed a role.
     */
    assertNoMassMentions() {
      for (const request of this.messageBodies()) {
        const body = 'content' in request.body ? request.body : request.body.data;
        const where = `${request.method} ${request.path}`;
        if (!body.allowed_mentions) throw new Error(`${where} went out without allowed_mentions`);
        if (JSON.stringify(body.allowed_mentions.parse) !== '[]') throw new Error(`${where} allowed mass mentions: ${JSON.stringify(body.allowed_mentions)}`);
        const moderatorPing = request.method === 'POST' && request.path === `/channels/${CHANNELS.mods}/messages`;
        if (!moderatorPing && (body.allowed_mentions.roles ?? []).length) throw new Error(`${where} allowed a role mention outside a moderator ping`);
      }
    },
    /**
     * Hearth goes down and starts again on the same database; `whileDown` changes the server
     * in between. The new connection gets a fresh READY and GUILD_CREATE.
     */
    async restart(whileDown?: (guild: FakeGuild) => void | Promise<void>) {
      await this.service.stop();
      await whileDown?.(fake.guild());
      this.service = await connect();
    },
    /** Disconnect and close everything (idempotent); checks mentions on the way out. */
    async stop() {
      if (stopped) return;
      stopped = true;
      await this.service.stop();
      await fake.close();
      if (!shared) database.close();
      this.assertNoMassMentions();
    },
  };
}

export type DiscordCommunity = Awaited<ReturnType<typeof discordCommunity>>;
