/**
 * The Bolt app: Socket Mode (bot token + app-level token, no public URL) by default, or the
 * signed HTTP receiver (signing secret + port). The Web API base URL comes from config so
 * tests can point the real Bolt code at a local fake Slack.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
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
  const clientOptions: WebClientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : {}),
    logger,
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
      ? { socketMode: true, appToken: options.appToken }
      : {
          signingSecret: options.signingSecret,
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
