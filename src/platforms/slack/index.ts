/**
 * The Slack adapter: a Bolt app (Socket Mode or HTTP) feeding the companion, the Slack
 * Platform port carrying its output, and the due-task schedule. Folder map:
 *   app.ts       Bolt App + WebClient construction (modes, tokens, base URL)
 *   inbound.ts   Slack payloads -> core events (events, slash commands, shortcuts, buttons)
 *   home.ts      App Home view
 *   platform.ts  the Platform port (chat.postMessage, postEphemeral, update, DMs, files)
 *   directory.ts users / channels / moderator lookups with a short cache
 *   mrkdwn.ts    core markdown -> mrkdwn with escaping;  emoji.ts  emoji names
 *   manifest.ts  the Slack app manifest generated from commands/
 */
import type { CommandDefinition } from '../../../commands';
import { dashboardBaseUrl } from '../../config';
import { systemClock, type Clock } from '../../core/clock';
import { Companion } from '../../core/companion';
import { scheduleCompanionJobs } from '../../jobs';
import type { RunningService, StartDeps } from '../../runtime';
import { createSlackApp, type SlackWebApiPolicy } from './app';
import { SlackDirectory } from './directory';
import { registerInbound, slackCommunity } from './inbound';
import { SLACK_FILE_HOSTS, SlackPlatform } from './platform';

export interface SlackService extends RunningService {
  companion: Companion;
  /** `slack:<team_id>` of the installed workspace. */
  community: string;
  /** The HTTP receiver's port (HTTP mode). */
  port?: number;
}

export interface SlackStartOptions extends StartDeps {
  clock?: Clock;
  /** Override the command list (tests); default: everything in commands/. */
  commands?: CommandDefinition[];
  /** Cache time-to-live for user / channel lookups (tests). */
  cacheTtlMs?: number;
  /** Web API retry / timeout overrides (tests use fast retries). */
  webApi?: Partial<SlackWebApiPolicy>;
  /** Start the cron schedule (default true; a caller with a manual clock runs due tasks itself). */
  schedule?: boolean;
  /** How long an interaction waits for the core before it is acknowledged all the same (tests). */
  acknowledgeWithinMs?: number;
}

export async function start(deps: StartDeps): Promise<RunningService> {
  return startSlack(deps);
}

export async function startSlack(deps: SlackStartOptions): Promise<SlackService> {
  const { config, repos, log } = deps;
  const clock = deps.clock ?? systemClock;
  const slack = await createSlackApp({
    mode: config.SLACK_MODE,
    botToken: config.SLACK_BOT_TOKEN ?? '',
    appToken: config.SLACK_APP_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    port: config.SLACK_PORT,
    host: config.SLACK_HOST,
    apiUrl: config.SLACK_API_URL,
    log,
    webApi: deps.webApi,
  });
  let companion: Companion | undefined;
  const directory = new SlackDirectory({
    client: slack.client,
    log,
    ttlMs: deps.cacheTtlMs,
    // Moderator user groups come from settings, so `/hearth-config moderatorRoles` applies at once.
    moderatorGroups: async (community) =>
      companion ? (await companion.core.settings.get(community)).moderatorRoles.filter((id) => /^S[A-Z0-9]+$/.test(id)) : [],
  });
  const platform = new SlackPlatform({
    client: slack.client,
    directory,
    repos,
    log,
    selfId: slack.identity.botUserId,
    moderatorChannel: config.SLACK_MOD_CHANNEL_ID,
    // A SLACK_API_URL (a local fake in tests) serves its own files too.
    fileHosts: [...SLACK_FILE_HOSTS, ...(config.SLACK_API_URL ? [new URL(config.SLACK_API_URL).host] : [])],
  });
  companion = new Companion({
    repos,
    platform,
    clock,
    log,
    commands: deps.commands,
    ai: deps.ai,
    observer: deps.observer,
    webhooks: Boolean(config.HEARTH_WEBHOOK_URL),
    dashboardUrl: dashboardBaseUrl(config),
    settingsDefaults: {
      timezone: config.HEARTH_TIMEZONE,
      ...(config.SLACK_MOD_CHANNEL_ID ? { moderatorChannel: config.SLACK_MOD_CHANNEL_ID } : {}),
      ...(config.SLACK_MOD_USERGROUP_ID ? { moderatorRoles: [config.SLACK_MOD_USERGROUP_ID] } : {}),
    },
  });
  registerInbound({
    app: slack.app,
    companion,
    directory,
    platform,
    log,
    clock,
    teamId: slack.identity.teamId,
    teamName: slack.identity.teamName,
    welcomeChannel: config.SLACK_WELCOME_CHANNEL_ID,
    acknowledgeWithinMs: deps.acknowledgeWithinMs,
  });
  if (!config.SLACK_MOD_CHANNEL_ID) log.warn('SLACK_MOD_CHANNEL_ID is not set: escalations need a moderator channel (or /hearth-config moderatorChannel)');

  let port: number | undefined;
  try {
    ({ port } = await slack.start());
  } catch (error) {
    await slack.stop().catch(() => {}); // leave no half-open socket or server behind
    throw error;
  }
  const schedule = deps.schedule === false ? undefined : scheduleCompanionJobs(companion, config, log);
  log.info({ mode: config.SLACK_MODE, team: slack.identity.teamId, ...(port !== undefined ? { port } : {}) }, 'slack adapter started');
  return {
    name: 'slack',
    companion,
    community: slackCommunity(slack.identity.teamId),
    port,
    async stop() {
      schedule?.stop();
      await slack.stop();
    },
  };
}
