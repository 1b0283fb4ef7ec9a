/**
 * The discord.js client: the intents the features need, partials so events about uncached
 * messages/channels/reactions still arrive, bounded caches with sweepers so memory stays flat
 * on large servers, and `allowedMentions: none` as the default for every message.
 */
import { Client, GatewayIntentBits, Options, Partials, type RESTOptions } from 'discord.js';

export interface ClientOptions {
  /** DISCORD_API_URL (`http://host:port/api`; discord.js adds `/v10`). Default: Discord. */
  apiUrl?: string;
  /** REST overrides (tests: `retries`, `timeout`, `offset`). */
  rest?: Partial<RESTOptions>;
  /** This process's shard of `count` (DISCORD_SHARD_ID / DISCORD_SHARD_COUNT); default: one shard. */
  shard?: { id: number; count: number };
}

export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessages,
];

const keepSelf = (entity: { id: string; client: Client }) => entity.id === entity.client.user?.id;

export function createDiscordClient(options: ClientOptions = {}): Client {
  return new Client({
    intents: INTENTS,
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User, Partials.GuildMember, Partials.ThreadMember],
    allowedMentions: { parse: [], repliedUser: false },
    failIfNotExists: false,
    ...(options.shard ? { shards: [options.shard.id], shardCount: options.shard.count } : {}),
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), ...options.rest },
    // Never limit guilds, channels, roles or permission overwrites (discord.js relies on them).
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 100,
      GuildMemberManager: { maxSize: 2000, keepOverLimit: keepSelf },
      UserManager: { maxSize: 2000, keepOverLimit: keepSelf },
      ThreadMemberManager: { maxSize: 50, keepOverLimit: keepSelf },
      ReactionManager: 20,
      ReactionUserManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      messages: { interval: 15 * 60, lifetime: 30 * 60 },
      users: { interval: 60 * 60, filter: () => (user) => !keepSelf(user) },
      threadMembers: { interval: 60 * 60, filter: () => (member) => !keepSelf(member) },
    },
  });
}
