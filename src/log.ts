/**
 * Structured logs (pino). Secrets are redacted by key wherever they appear in a logged
 * object; never log a token by interpolating it into a message string.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  'config.DISCORD_TOKEN',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.OPENAI_API_KEY',
];

export interface LoggerOptions {
  /** Replaces stderr (tests read what would be logged). */
  destination?: pino.DestinationStream;
  /**
   * Secret values (tokens, keys) scrubbed from every line whatever field or message they hide
   * in: the last line of defence behind the key-based redaction above.
   */
  secrets?: Array<string | undefined>;
}

/** Logs go to stderr so the shell community's stdout stays a clean transcript. */
export function createLogger(level: string = 'info', options: LoggerOptions = {}): Logger {
  // Short values would scrub ordinary words: only real secrets are matched.
  const secrets = [...new Set(options.secrets ?? [])].filter((s): s is string => typeof s === 'string' && s.length >= 8);
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { app: 'hearth' },
      hooks: { streamWrite: (line: string) => scrub(line, secrets) },
    },
    options.destination ?? pino.destination(2),
  );
}

/** The secrets in the configuration, for `createLogger({ secrets })`. */
export function configSecrets(
  config: Partial<Record<'DISCORD_TOKEN' | 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN' | 'SLACK_SIGNING_SECRET' | 'OPENAI_API_KEY' | 'HEARTH_WEBHOOK_SECRET' | 'HUBSPOT_ACCESS_TOKEN', string>>,
): Array<string | undefined> {
  return [config.DISCORD_TOKEN, config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET, config.OPENAI_API_KEY, config.HEARTH_WEBHOOK_SECRET, config.HUBSPOT_ACCESS_TOKEN];
}

/**
 * Interaction and webhook tokens in request paths (`/interactions/{id}/{token}/…`,
 * `/webhooks/{id}/{token}/…`): per-request secrets no configuration lists, which discord.js
 * puts on its errors (the request URL).
 */
const PATH_TOKEN = /\/(interactions|webhooks)\/(\d+)\/[A-Za-z0-9._-]{16,}/g;

function scrub(line: string, secrets: string[]): string {
  let out = line.replace(PATH_TOKEN, '/$1/$2/[redacted]');
  // JSON lines escape some characters: match both the raw and the JSON-escaped form.
  for (const secret of secrets) out = out.replaceAll(secret, '[redacted]').replaceAll(JSON.stringify(secret).slice(1, -1), '[redacted]');
  return out;
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = pino({ level: 'silent' });
