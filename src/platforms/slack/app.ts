/**
 * The Bolt app: Socket Mode (bot token + app-level token, no public URL) by default, or the
 * signed HTTP receiver (signing secret + port). The Web API base URL comes from config so
 * tests can point the real Bolt code at a local fake Slack.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';
import { isTimeout } from './errors';
import type { Logger } from '../../log';

export interface SlackAppOptions {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  port: number;
  /** Interface for the HTTP receiver (default: all). */
  host?: string;
  /** Web API base, e.g. `http://127.0.0.1:PORT/api/` (default: Slack's). */
  apiUrl?: string;
  log: Logger;
  /** Web API retry and timeout overrides (tests); default: `SLACK_WEB_API_POLICY`. */
  webApi?: Partial<SlackWebApiPolicy>;
}

export interface SlackWebApiPolicy {
  /** Backoff between attempts (p-retry / `retry` options). */
  retry: RetryOptions;
  /** Abort one HTTP attempt after this long (0 = never). */
  timeoutMs: number;
}

/**
 * The Web API client's production policy. The library default retries for ~30 minutes with no
 * timeout at all, and a community's events are handled one at a time, so one hung call would
 * stall that community for half an hour. Instead: a 429 waits its Retry-After (the client does
 * that itself), a 5xx or a refused connection is retried a few times with backoff, and each
 * attempt is cut off after 10 s. A timed-out attempt is NOT retried: Slack may have acted on
 * it, and chat.postMessage has no idempotency key, so a retry could post the message twice.
 */
export const SLACK_WEB_API_POLICY: SlackWebApiPolicy = {
  retry: { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 8000, randomize: true },
  timeoutMs: 10_000,
};

/** Retry options that give up at once on a timeout (p-retry stops when onFailedAttempt throws). */
function retryOptions(retry: RetryOptions): RetryOptions {
  const stopOnTimeout = {
    onFailedAttempt(error: unknown) {
      if (isTimeout(error)) throw error;
    },
  };
  return { ...retry, ...stopOnTimeout } as RetryOptions;
}

export interface SlackIdentity {
  botUserId: string;
  botId?: string;
  teamId: string;
  teamName?: string;
}

export interface SlackApp {
  app: App;
  client: WebClient;
  identity: SlackIdentity;
  /** Start receiving; in HTTP mode resolves with the bound port. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

/** Check the settings for the chosen mode; one clear line per missing or malformed value. */
export function checkSlackSettings(options: Pick<SlackAppOptions, 'mode' | 'botToken' | 'appToken' | 'signingSecret'>): string[] {
  const problems: string[] = [];
  if (!options.botToken) problems.push('SLACK_BOT_TOKEN: required to run the Slack adapter (xoxb-...)');
  if (options.mode === 'socket' && !options.appToken) {
    problems.push('SLACK_APP_TOKEN: Socket Mode needs an app-level token (xapp-... with connections:write); or set SLACK_MODE=http');
  }
  if (options.mode === 'socket' && options.appToken && !options.appToken.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN: must be an app-level token starting with xapp-');
  }
  if (options.mode === 'http' && !options.signingSecret) problems.push('SLACK_SIGNING_SECRET: HTTP mode needs the app\'s signing secret');
  return problems;
}

export async function createSlackApp(options: SlackAppOptions): Promise<SlackApp> {
  const problems = checkSlackSettings(options);
  if (problems.length) throw new Error(`cannot start Slack:\n  ${problems.join('\n  ')}`);
  const logger = boltLogger(options.log);
  const policy = { ...SLACK_WEB_API_POLICY, ...options.webApi };
  const clientOptions: WebClientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : {}),
    logger,
    retryConfig: retryOptions(policy.retry),
    timeout: policy.timeoutMs,
  };
  // Who are we? One auth.test up front (instead of inside Bolt's constructor, where a failure
  // would be an unhandled rejection): a bad token fails start() with Slack's own error.
  const client = new WebClient(options.botToken, clientOptions);
  const auth = await client.auth.test();
  const identity: SlackIdentity = {
    botUserId: auth.user_id!,
    botId: auth.bot_id,
    teamId: auth.team_id!,
    teamName: auth.team,
  };
  const app = new App({
    token: options.botToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    clientOptions,
    logger,
    // The companion's own messages reach the core marked as its own (never counted).
    ignoreSelf: false,
    convoStore: false,
    ...(options.mode === 'socket'
      ? { receiver: ackEventsWhenHandled(new SocketModeReceiver({ appToken: options.appToken!, logger, installerOptions: { clientOptions } }), options.log) }
      : {
          signingSecret: options.signingSecret,
          // The response to Slack's request (the acknowledgement) waits for the listeners: an
          // event is acknowledged once handled, as over Socket Mode (ackEventsWhenHandled), and
          // an interaction once the core has it (inbound.ts returns its listener then).
          processBeforeResponse: true,
          customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200).end('ok') }],
        }),
  });
  return {
    app,
    client: app.client,
    identity,
    async start() {
      if (options.mode === 'socket') {
        await app.start();
        return {};
      }
      const server = (await app.start({ port: options.port, ...(options.host ? { host: options.host } : {}) })) as import('node:http').Server;
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      await app.stop();
    },
  };
}

/**
 * Bolt acknowledges an Events API envelope the moment it arrives, so a process killed while
 * handling one loses it: Slack never resends what was acknowledged. Here an event is
 * acknowledged once its listeners have run (they await the companion's handling). A process
 * that dies first leaves it unacknowledged, and Slack sends it again, to this connection or
 * another process's, where the delivery claim (`event_id`) has it handled once; so does an
 * event whose handling outlasts Slack's 3 seconds. Commands and interactions keep Bolt's own
 * acknowledgement: their listeners ack once the core has them, within 3 seconds (inbound.ts).
 */
export function ackEventsWhenHandled(receiver: SocketModeReceiver, log: Logger): SocketModeReceiver {
  type Envelope = { type?: string; ack: (response?: Record<string, unknown>) => Promise<void> };
  const client = receiver.client;
  const bolt = client.listeners('slack_event') as Array<(envelope: Envelope) => Promise<void>>;
  // Bolt's receiver listens in its constructor; a Bolt that stops doing so would leave every
  // event unhandled here: fail at start-up instead.
  if (bolt.length === 0) throw new Error('Bolt\'s Socket Mode receiver has no slack_event listener to wrap (a Bolt upgrade changed it)');
  client.removeAllListeners('slack_event');
  client.on('slack_event', async (envelope: Envelope) => {
    if (envelope.type !== 'events_api') {
      for (const listener of bolt) await listener(envelope);
      return;
    }
    try {
      for (const listener of bolt) await listener({ ...envelope, ack: async () => {} });
    } finally {
      // The connection may have closed meanwhile (a stop, a reconnect): Slack sends the event
      // again, where the delivery claim drops it as handled.
      await envelope.ack().catch((error: unknown) => log.warn({ err: error }, 'could not acknowledge a handled Slack event; Slack will send it again'));
    }
  });
  return receiver;
}

/** Bolt and the Web API log through the process logger (pino), at their own levels. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (messages: unknown[]) => messages.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(text(m)),
    info: (...m: unknown[]) => child.info(text(m)),
    warn: (...m: unknown[]) => child.warn(text(m)),
    error: (...m: unknown[]) => child.error(text(m)),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}
