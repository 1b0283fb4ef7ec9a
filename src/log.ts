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

/**
 * Logs go to stderr so the shell community's stdout stays a clean transcript. `destination`
 * replaces stderr (tests read what would be logged).
 */
export function createLogger(level: string = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'hearth' } }, destination);
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = pino({ level: 'silent' });
