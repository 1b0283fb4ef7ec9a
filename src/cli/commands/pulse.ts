/**
 * `hearth pulse --input MESSAGES.jsonl`: community health metrics for a message log, as ONE
 * JSON object (the same figures as `/pulse`; definitions in docs/metrics.md).
 *
 * Each line is replayed as a historical core event through a Companion over an in-memory
 * database (kind "join" -> member_joined), so the live pipeline and this command share one
 * implementation; the window covers the data. Bad lines are reported on stderr by line
 * number and skipped; the rest still counts.
 *
 * Line: {"id", "channel", "author", "text", "at", "kind"?, "replyTo"?, "threadId"?, "authorIsBot"?}
 */
import { parseArgs } from 'node:util';
import { ManualClock } from '../../core/clock';
import { Companion } from '../../core/companion';
import { computePulse } from '../../core/metrics';
import { isTimeZone } from '../../core/settings';
import { openDatabase } from '../../db/connection';
import { createRepositories } from '../../db/repositories';
import { silentLogger } from '../../log';
import { readMessageLines } from '../../import/formats/jsonl';
import { historyPlatform } from '../../import/null-platform';
import { replayHistory } from '../../import/replay';
import type { CliIo } from '../io';

export const description = 'Community health metrics (pulse) for a JSONL file of messages, as one JSON object';

const USAGE = 'Usage: npm run -s hearth -- pulse --input MESSAGES.jsonl [--timezone Europe/Paris]   ("-" reads stdin)';
const COMMUNITY = 'cli:pulse';

export async function run(args: string[], io: CliIo): Promise<number> {
  let input: string | undefined;
  let timezone: string | undefined;
  try {
    const { values } = parseArgs({
      args,
      options: { input: { type: 'string' }, timezone: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    input = values.input;
    timezone = values.timezone;
  } catch (error) {
    io.err(`pulse: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!input) {
    io.err(`pulse: --input is required\n${USAGE}`);
    return 2;
  }
  if (timezone !== undefined && !isTimeZone(timezone)) {
    io.err(`pulse: unknown time zone "${timezone}" (use an IANA name such as UTC or Europe/Paris)`);
    return 2;
  }

  const database = openDatabase(':memory:');
  try {
    const clock = new ManualClock(0);
    const repos = createRepositories(database);
    const companion = new Companion({ repos, platform: historyPlatform('cli'), clock, log: silentLogger, settingsDefaults: { timezone: timezone ?? 'UTC' } });
    let first = Infinity;
    let last = -Infinity;
    let stats;
    try {
      stats = await replayHistory(readMessageLines(input, io.stdin), {
        companion,
        repos,
        community: COMMUNITY,
        communityName: 'pulse',
        // Features read the clock: it follows the log, so the past means what it meant then.
        beforeItem: (time) => {
          clock.set(time);
          first = Math.min(first, time);
          last = Math.max(last, time);
        },
        onError: (_message, at, detail) => io.err(`pulse: ${detail.startsWith('line ') ? detail : `line ${at.line}: ${detail}`}`),
      });
    } catch (error) {
      io.err(`pulse: cannot read ${input}: ${(error as Error).message}`);
      return 1;
    }
    if (stats.errors > 0) io.err(`pulse: ${stats.errors} bad line${stats.errors === 1 ? '' : 's'} skipped`);
    if (!Number.isFinite(first)) {
      io.err('pulse: no valid message lines');
      return 1;
    }
    clock.set(last);
    const metrics = await computePulse(companion.core, COMMUNITY, { since: first, until: last + 1 });
    io.out(JSON.stringify(metrics));
    return 0;
  } finally {
    database.close();
  }
}
