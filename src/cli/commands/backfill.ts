/**
 * `hearth backfill [--platform discord|slack] [--guild ID]`: pull history through the platform
 * APIs into the database, resumable from a checkpoint after a crash or Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../config';
import { systemClock } from '../../core/clock';
import { Companion } from '../../core/companion';
import { configuredStore, openStore } from '../../db/store';
import { configSecrets, createLogger } from '../../log';
import { backfill } from '../../import/backfill/run';
import { discordHistorySource } from '../../import/backfill/discord';
import { slackHistorySource } from '../../import/backfill/slack';
import type { HistorySource } from '../../import/backfill/types';
import { historyPlatform } from '../../import/null-platform';
import { Progress } from '../../import/progress';
import type { CliIo } from '../io';

export const description = 'Pull history from Discord / Slack APIs into the database (resumable)';

const USAGE = 'usage: npm run hearth -- backfill [--platform discord|slack] [--guild ID] [--db FILE|postgres://…]';

function sources(config: Config, platform: string | undefined, guild: string | undefined): { name: string; source: HistorySource }[] | string {
  const wanted = platform ? [platform] : [config.DISCORD_TOKEN ? 'discord' : '', config.SLACK_BOT_TOKEN ? 'slack' : ''].filter(Boolean);
  if (wanted.length === 0) return 'no platform token is set (DISCORD_TOKEN or SLACK_BOT_TOKEN)';
  const out: { name: string; source: HistorySource }[] = [];
  for (const name of wanted) {
    if (name === 'discord') {
      const guildId = guild ?? config.DISCORD_GUILD_ID;
      if (!config.DISCORD_TOKEN) return 'DISCORD_TOKEN is not set';
      if (!guildId) return 'which guild? pass --guild ID or set DISCORD_GUILD_ID';
      out.push({ name, source: discordHistorySource({ token: config.DISCORD_TOKEN, guildId, api: config.DISCORD_API_URL }) });
    } else if (name === 'slack') {
      if (!config.SLACK_BOT_TOKEN) return 'SLACK_BOT_TOKEN is not set';
      out.push({ name, source: slackHistorySource({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL }) });
    } else return `unknown platform "${name}" (discord or slack)`;
  }
  return out;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { platform: { type: 'string' }, guild: { type: 'string' }, db: { type: 'string' } } });
  } catch (error) {
    io.err(`hearth backfill: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const chosen = sources(config, parsed.values.platform, parsed.values.guild);
  if (typeof chosen === 'string') {
    io.err(`hearth backfill: ${chosen}\n${USAGE}`);
    return 2;
  }
  let stop = false;
  const onSignal = () => {
    stop = true;
    io.err('backfill: stopping after the current page (run again to resume)');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const database = await openStore(parsed.values.db ?? configuredStore(config));
  const log = createLogger(config.HEARTH_LOG_LEVEL === 'info' ? 'warn' : config.HEARTH_LOG_LEVEL, { secrets: configSecrets(config) });
  let failed = false;
  try {
    const repos = database.repos;
    for (const { name, source } of chosen) {
      const companion = new Companion({ repos, platform: historyPlatform(name), clock: systemClock, log });
      const progress = new Progress(process.stderr, systemClock, systemClock.now(), 10_000, `backfill ${name}`);
      const result = await backfill({ source, companion, repos, clock: systemClock, shouldStop: () => stop, onProgress: (s) => progress.update(s), onError: (m) => io.err(`backfill error: ${m}`) });
      progress.finish(result);
      io.err(`backfill ${name}: ${result.channels} channels, ${result.pages} pages${result.stopped ? ' (stopped; run again to resume)' : ''}`);
      failed ||= result.errors > 0;
      if (result.stopped) return 130;
    }
    return failed ? 1 : 0;
  } finally {
    await database.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
