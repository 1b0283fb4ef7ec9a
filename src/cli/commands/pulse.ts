/**
 * `hearth pulse`: community health metrics (the same figures as `/pulse`; definitions in
 * docs/metrics.md), as ONE JSON object, or the moderators' card with `--card`.
 *
 * - `--input MESSAGES.jsonl`: each line is replayed as a historical core event through a
 *   Companion over an in-memory database (kind "join" -> member_joined), so the live pipeline
 *   and this command share one implementation; the window covers the data. Bad lines are
 *   reported on stderr by line number and skipped; the rest still counts.
 *   Line: {"id", "channel", "author", "text", "at", "kind"?, "replyTo"?, "threadId"?, "authorIsBot"?}
 * - `--db FILE|postgres://… --community ID`: a stored community (after `hearth import` or a live
 *   run) in a SQLite file or a PostgreSQL database, read as it is; the window ends at its last
 *   message and covers all of it, or the last `--days`.
 */
import { parseArgs } from 'node:util';
import { DAY, ManualClock } from '../../core/clock';
import { Companion } from '../../core/companion';
import { computePulse, type PulseMetrics } from '../../core/metrics';
import { renderPulseCard } from '../../core/metrics/card';
import { isTimeZone, SettingsService } from '../../core/settings';
import { openDatabase } from '../../db/connection';
import { createRepositories } from '../../db/repositories';
import { openStore, storeExists } from '../../db/store';
import { silentLogger } from '../../log';
import { readMessageLines } from '../../import/formats/jsonl';
import { historyPlatform } from '../../import/null-platform';
import { replayHistory } from '../../import/replay';
import type { CliIo } from '../io';

export const description = 'Community health metrics (pulse) for a JSONL file of messages or a stored community, as one JSON object';

const USAGE =
  'Usage: npm run -s hearth -- pulse --input MESSAGES.jsonl [--timezone Europe/Paris] [--card]   ("-" reads stdin)\n' +
  '       npm run -s hearth -- pulse --db FILE|postgres://… --community ID [--days N] [--card]';
const COMMUNITY = 'cli:pulse';

export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        input: { type: 'string' },
        db: { type: 'string' },
        community: { type: 'string' },
        days: { type: 'string' },
        timezone: { type: 'string' },
        card: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`pulse: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const { input, db, timezone } = values;
  const usage = (problem: string) => (io.err(`pulse: ${problem}\n${USAGE}`), 2);
  if (input && db) return usage('--input and --db are two different sources: give one');
  if (!input && !db) return usage('--input or --db is required');
  if (db && !values.community) return usage('--db needs --community (the id it was stored under, e.g. slack:T0123 or shell:local)');
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1)) return usage(`--days must be a whole number of at least 1, got "${values.days}"`);
  if (timezone !== undefined && !isTimeZone(timezone)) {
    io.err(`pulse: unknown time zone "${timezone}" (use an IANA name such as UTC or Europe/Paris)`);
    return 2;
  }
  const print = (metrics: PulseMetrics) => io.out(values.card ? renderPulseCard(metrics) : JSON.stringify(metrics));
  if (db) return fromDatabase(db, values.community!, days, print, io);
  return fromLog(input!, timezone, print, io);
}

/** A stored community, read as it is (its own settings, time zone included). */
async function fromDatabase(file: string, community: string, days: number | undefined, print: (m: PulseMetrics) => void, io: CliIo): Promise<number> {
  // Opening creates a SQLite file: a report must never leave an empty one behind a typo.
  if (!storeExists(file)) {
    io.err(`pulse: no database at ${file}`);
    return 1;
  }
  const database = await openStore(file);
  try {
    const repos = database.repos;
    const span = await repos.messages.span(community);
    if (!span) {
      // A URL is named without its password.
      io.err(`pulse: no messages stored for community "${community}" in ${/^postgres(ql)?:\/\//.test(file) ? database.label : file}`);
      return 1;
    }
    const until = span.last + 1;
    const since = days === undefined ? span.first : until - days * DAY;
    print(await computePulse({ repos, settings: new SettingsService(repos) }, community, { since, until }));
    return 0;
  } finally {
    await database.close();
  }
}

async function fromLog(input: string, timezone: string | undefined, print: (m: PulseMetrics) => void, io: CliIo): Promise<number> {
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
    print(await computePulse(companion.core, COMMUNITY, { since: first, until: last + 1 }));
    return 0;
  } finally {
    database.close();
  }
}
