/**
 * The Discord adapter: a discord.js client, the core's Platform port on top of it, inbound
 * events and interactions fed to a Companion, and the due-task schedule while connected.
 */
import { Events, type Client } from 'discord.js';
import type { CommandDefinition } from '../../../commands';
import { dashboardBaseUrl } from '../../config';
import { systemClock, type Clock } from '../../core/clock';
import { Companion } from '../../core/companion';
import type { CommunitySettings } from '../../core/settings';
import { scheduleCompanionJobs } from '../../jobs';
import type { Schedule } from '../../jobs/scheduler';
import type { RunningService, StartDeps } from '../../runtime';
import { createDiscordClient, type ClientOptions } from './client';
import { attachInbound, InboundMapper } from './inbound';
import { DEFAULT_DEFER_AFTER_MS, InteractionHandler, InteractionRegistry } from './interactions';
import { DISCORD_FILE_HOSTS, DiscordPlatform } from './outbound';
import { VisibilityTracker } from './visibility';

export interface DiscordAdapterOptions {
  clock?: Clock;
  /** Replace the command list (tests). */
  commands?: CommandDefinition[];
  /** How long a core call may run before the interaction is deferred. */
  deferAfterMs?: number;
  rest?: ClientOptions['rest'];
  /** Start the cron schedule on ready (default true; tests drive tasks themselves). */
  schedule?: boolean;
}

export interface DiscordService extends RunningService {
  client: Client;
  companion: Companion;
  platform: DiscordPlatform;
}

export async function start(deps: StartDeps): Promise<RunningService> {
  return startDiscord(deps);
}

export async function startDiscord(deps: StartDeps, options: DiscordAdapterOptions = {}): Promise<DiscordService> {
  const { config, repos, log } = deps;
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set (see .env.example)');
  const clock = options.clock ?? systemClock;
  const shard = config.DISCORD_SHARD_COUNT !== undefined ? { id: config.DISCORD_SHARD_ID!, count: config.DISCORD_SHARD_COUNT } : undefined;
  const client = createDiscordClient({ apiUrl: config.DISCORD_API_URL, rest: options.rest, shard });
  const registry = new InteractionRegistry();
  // A DISCORD_API_URL (a local fake in tests) serves its own attachments too.
  const fileHosts = [...DISCORD_FILE_HOSTS, ...(config.DISCORD_API_URL ? [new URL(config.DISCORD_API_URL).host] : [])];
  const platform = new DiscordPlatform({ client, interactions: registry, log, moderatorChannelId: config.DISCORD_MOD_CHANNEL_ID, fileHosts, sharded: shard !== undefined && shard.count > 1 });
  const settingsDefaults: Partial<CommunitySettings> = {
    timezone: config.HEARTH_TIMEZONE,
    ...(config.DISCORD_MOD_ROLE_ID ? { moderatorRoles: [config.DISCORD_MOD_ROLE_ID] } : {}),
    ...(config.DISCORD_MOD_CHANNEL_ID ? { moderatorChannel: config.DISCORD_MOD_CHANNEL_ID } : {}),
  };
  const companion = new Companion({ repos, platform, clock, log, settingsDefaults, ai: deps.ai, observer: deps.observer, webhooks: Boolean(config.HEARTH_WEBHOOK_URL), dashboardUrl: dashboardBaseUrl(config), ...(options.commands ? { commands: options.commands } : {}) });
  const visibility = new VisibilityTracker();
  const inboundDeps = {
    client,
    companion,
    clock,
    log,
    visibility,
    moderatorRoles: async (community: string) => {
      const settings = await companion.core.settings.get(community);
      return [...settings.moderatorRoles, ...(config.DISCORD_MOD_ROLE_ID ? [config.DISCORD_MOD_ROLE_ID] : [])];
    },
  };
  const mapper = new InboundMapper(inboundDeps);
  attachInbound(inboundDeps, mapper);
  new InteractionHandler({ client, companion, mapper, visibility, registry, log, deferAfterMs: options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS }).attach();

  let schedule: Schedule | undefined;
  client.once(Events.ClientReady, (ready) => {
    log.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord connected');
    if (options.schedule !== false) schedule = scheduleCompanionJobs(companion, config, log);
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord warning'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  return {
    name: 'discord',
    client,
    companion,
    platform,
    async stop() {
      schedule?.stop();
      await client.destroy();
    },
  };
}
