/**
 * `hearth import PATH --community ID`: Slack export folders or ZIPs, DiscordChatExporter JSON,
 * or Hearth JSON lines, replayed through the live pipeline as history (nothing is sent).
 */
import { loadConfig } from '../../config';
import { systemClock } from '../../core/clock';
import { Companion } from '../../core/companion';
import { communityProblem } from '../../core/normalize';
import { configuredStore, openStore } from '../../db/store';
import { configSecrets, createLogger } from '../../log';
import { historyPlatform } from '../../import/null-platform';
import { Progress } from '../../import/progress';
import { replayHistory } from '../../import/replay';
import { FORMAT_PLATFORM, openHistory } from '../../import/sources';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';

export const description = 'Import history: Slack export (folder/.zip), DiscordChatExporter .json, or Hearth .jsonl';

const USAGE = 'usage: npm run hearth -- import PATH --community ID [--name NAME] [--private CHANNEL,...] [--include-dms] [--db FILE|postgres://…]';

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    options: {
      community: { type: 'string' },
      name: { type: 'string' },
      private: { type: 'string' },
      'include-dms': { type: 'boolean' },
      db: { type: 'string' },
    },
  });
  if (typeof parsed === 'string') {
    io.err(`hearth import: ${parsed}\n${USAGE}`);
    return 2;
  }
  const [path] = parsed.positionals;
  const community = parsed.values.community?.trim();
  if (!path || !community) {
    io.err(`hearth import: ${!path ? 'PATH' : '--community'} is required\n${USAGE}`);
    return 2;
  }
  const privateChannels = new Set((parsed.values.private ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  let source;
  try {
    source = await openHistory(path, { privateChannels, includeDms: parsed.values['include-dms'] });
  } catch (error) {
    io.err(`hearth import: ${(error as Error).message}`);
    return 1;
  }
  const communityId = community.includes(':') ? community : `${FORMAT_PLATFORM[source.format]}:${community}`;
  // Refused here, once, rather than on every line of the file.
  const problem = communityProblem(communityId, parsed.values.name);
  if (problem) {
    io.err(`hearth import: ${problem.startsWith('the community name') ? '--name' : '--community'}: ${problem}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const database = await openStore(parsed.values.db ?? configuredStore(config));
  try {
    const repos = database.repos;
    const companion = new Companion({
      repos,
      platform: historyPlatform(communityId.split(':')[0]),
      clock: systemClock,
      log: createLogger(config.HEARTH_LOG_LEVEL === 'info' ? 'warn' : config.HEARTH_LOG_LEVEL, { secrets: configSecrets(config) }),
    });
    const progress = new Progress(process.stderr, systemClock);
    io.err(`import: ${source.format} from ${path} into ${communityId}`);
    let stats;
    try {
      stats = await replayHistory(source.items, {
        companion,
        repos,
        community: communityId,
        communityName: parsed.values.name,
        onError: (message) => io.err(`import error: ${message}`),
        onProgress: (s) => progress.update(s),
      });
    } catch (error) {
      // The committed batches stay; running the import again completes it.
      io.err(`hearth import: ${(error as Error).message}`);
      return 1;
    }
    progress.finish(stats);
    return stats.errors > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}
