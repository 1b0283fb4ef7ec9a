/**
 * Process configuration: environment variables (and `.env` when present), validated with
 * zod. Every variable is documented in `.env.example`. Per-community settings that
 * moderators change at run time live in the database instead (see core/settings.ts).
 */
import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import cron from 'node-cron';
import { z } from 'zod';
import { isTimeZone } from './core/settings';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/**
 * Tokens, secrets and ids never contain whitespace or quotes, but a pasted value often does
 * (a trailing newline, `docker run --env-file` keeping `"..."` literally): strip them, or the
 * platform fails with "invalid Authorization header" / "An invalid token was provided".
 */
const unquote = (v: unknown) => (typeof v === 'string' ? v.trim().replace(/^(["'])([\s\S]*)\1$/, '$2').trim() : v);
const optionalString = z.preprocess((v) => emptyToUndefined(unquote(v)), z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url('must be a URL, e.g. http://127.0.0.1:8080').optional());
const port = z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional());
const bool = (fallback: boolean) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
      .optional()
      .transform((v) => (v === undefined || v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(v))),
  );
const list = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])),
);

export const configSchema = z.object({
  HEARTH_DB_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/hearth.db')),
  /** PostgreSQL instead of the SQLite file: `postgres://user:password@host:5432/hearth`. */
  HEARTH_DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the SQLite file at HEARTH_DB_PATH)')
      .optional(),
  ),
  HEARTH_LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Which platforms to run; default: every platform whose tokens are set, else the shell. */
  HEARTH_PLATFORMS: list,
  HEARTH_SHELL_COMMUNITY: z.preprocess(emptyToUndefined, z.string().default('local')),
  HEARTH_SHELL_MODERATORS: z.preprocess(emptyToUndefined, z.string().default('mod')).transform((v) =>
    v.split(',').map((s) => s.trim()).filter(Boolean),
  ),
  HEARTH_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as UTC or Europe/Paris'),
  ),
  HEARTH_METRICS_PORT: port,
  /** The moderators' dashboard (src/dashboard): its port (0 turns it off), address and public base URL. */
  HEARTH_DASHBOARD_PORT: port.transform((v) => v ?? 8787),
  HEARTH_DASHBOARD_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  HEARTH_PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url('must be a URL, e.g. https://hearth.example.org')
      .refine((v) => /^https?:\/\//i.test(v), 'must start with http:// or https://')
      .optional(),
  ),
  /** Weekly digest day (sun..sat or 0-6) and local hour (0-23), in HEARTH_TIMEZONE. */
  HEARTH_DIGEST_DAY: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase().slice(0, 3) : v),
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return 1;
        const named = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].indexOf(v);
        if (named >= 0) return named;
        if (/^[0-6]$/.test(v)) return Number(v);
        ctx.addIssue({ code: 'custom', message: 'must be a weekday (mon, tue, ...) or 0-6 (0 = Sunday)' });
        return z.NEVER;
      }),
  ),
  HEARTH_DIGEST_HOUR: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(23).default(9)),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_MOD_ROLE_ID: optionalString,
  DISCORD_MOD_CHANNEL_ID: optionalString,
  DISCORD_API_URL: optionalUrl,
  /**
   * Sharding across processes: this process runs shard DISCORD_SHARD_ID (0-based) of
   * DISCORD_SHARD_COUNT; Discord sends each server's events to shard (guild_id >> 22) % count.
   * Unset: one process, one shard.
   */
  DISCORD_SHARD_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).optional()),
  DISCORD_SHARD_COUNT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).optional()),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_MODE: z.preprocess(emptyToUndefined, z.enum(['socket', 'http']).default('socket')),
  SLACK_PORT: port.transform((v) => v ?? 3000),
  SLACK_HOST: optionalString,
  SLACK_WELCOME_CHANNEL_ID: optionalString,
  SLACK_MOD_USERGROUP_ID: optionalString,
  SLACK_MOD_CHANNEL_ID: optionalString,
  SLACK_API_URL: optionalUrl,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_CHAT_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(8000)),
  /** Voice messages and audio clips (`off`: no transcription). */
  OPENAI_TRANSCRIPTION_MODEL: z.preprocess(emptyToUndefined, z.string().default('whisper-1')),
  OPENAI_TRANSCRIPTION_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(60_000)),
  HEARTH_AI: bool(true),

  /** CRM webhooks: signed JSON events POSTed here (src/crm/webhooks). */
  HEARTH_WEBHOOK_URL: optionalUrl,
  /** The shared secret the events are signed with (HMAC-SHA256); required with the URL. */
  HEARTH_WEBHOOK_SECRET: optionalString,
  /** HubSpot private app access token (scopes: crm.objects.contacts.read/write, crm.schemas.contacts.read/write). */
  HUBSPOT_ACCESS_TOKEN: optionalString,
  /** HubSpot API base URL (tests, proxies); default https://api.hubapi.com. */
  HUBSPOT_API_URL: optionalUrl,
  /** When the HubSpot sync runs (cron, in HEARTH_TIMEZONE); default: hourly. */
  HUBSPOT_SYNC_SCHEDULE: z.preprocess(emptyToUndefined, z.string().default('7 * * * *').refine((v) => cron.validate(v), 'must be a cron expression, e.g. "7 * * * *" (hourly) or "30 2 * * *" (daily)')),
}).superRefine((config, ctx) => {
  if ((config.DISCORD_SHARD_ID === undefined) !== (config.DISCORD_SHARD_COUNT === undefined)) {
    ctx.addIssue({ code: 'custom', path: [config.DISCORD_SHARD_ID === undefined ? 'DISCORD_SHARD_ID' : 'DISCORD_SHARD_COUNT'], message: 'set DISCORD_SHARD_ID and DISCORD_SHARD_COUNT together (or neither)' });
  } else if (config.DISCORD_SHARD_ID !== undefined && config.DISCORD_SHARD_ID >= config.DISCORD_SHARD_COUNT!) {
    ctx.addIssue({ code: 'custom', path: ['DISCORD_SHARD_ID'], message: `must be below DISCORD_SHARD_COUNT (${config.DISCORD_SHARD_COUNT}): shards are numbered from 0` });
  }
  if (config.HEARTH_WEBHOOK_URL && !config.HEARTH_WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['HEARTH_WEBHOOK_SECRET'], message: 'required when HEARTH_WEBHOOK_URL is set: events are always signed (e.g. `openssl rand -hex 32`)' });
  } else if (config.HEARTH_WEBHOOK_SECRET && config.HEARTH_WEBHOOK_SECRET.length < 16) {
    ctx.addIssue({ code: 'custom', path: ['HEARTH_WEBHOOK_SECRET'], message: 'too short: use at least 16 random characters (e.g. `openssl rand -hex 32`)' });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'environment';
    const value = env[name];
    const shown = value === undefined ? '' : ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
    return `${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}

/** Load `.env` (when present, without overriding the real environment) and validate. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) loadDotenv({ path: envFile, quiet: true });
  return parseConfig(process.env);
}

export type PlatformName = 'shell' | 'discord' | 'slack';

/** Which adapters to start: explicit HEARTH_PLATFORMS, else whichever have tokens, else the shell. */
export function selectPlatforms(config: Config): PlatformName[] {
  if (config.HEARTH_PLATFORMS.length > 0) {
    const named = config.HEARTH_PLATFORMS.map((p) => p.toLowerCase());
    const unknown = named.filter((p) => !['shell', 'discord', 'slack'].includes(p));
    if (unknown.length) throw new ConfigError([`HEARTH_PLATFORMS: unknown platform ${unknown.join(', ')} (use shell, discord, slack)`]);
    return [...new Set(named)] as PlatformName[];
  }
  const chosen: PlatformName[] = [];
  if (config.DISCORD_TOKEN) chosen.push('discord');
  if (config.SLACK_BOT_TOKEN) chosen.push('slack');
  return chosen.length ? chosen : ['shell'];
}

/**
 * The base URL of the dashboard for sign-in links: HEARTH_PUBLIC_URL when set (a reverse
 * proxy, or `hearth dashboard` run elsewhere on the same database), else where this process
 * serves it; undefined when the dashboard is off and no public URL is set.
 */
export function dashboardBaseUrl(config: Pick<Config, 'HEARTH_DASHBOARD_PORT' | 'HEARTH_DASHBOARD_HOST' | 'HEARTH_PUBLIC_URL'>): string | undefined {
  if (config.HEARTH_PUBLIC_URL) return config.HEARTH_PUBLIC_URL.replace(/\/+$/, '');
  const port = config.HEARTH_DASHBOARD_PORT ?? 8787;
  if (port === 0) return undefined;
  const given = config.HEARTH_DASHBOARD_HOST ?? '127.0.0.1';
  const host = ['0.0.0.0', '::', '[::]'].includes(given) ? 'localhost' : given;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}
