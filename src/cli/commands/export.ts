/**
 * `hearth export members`: the member health record (src/core/health/member-health.ts; fields
 * in docs/metrics.md) of every person of one community or of all of them, as CSV with a
 * header row or as JSON lines, on stdout: one record per person, their accounts across the
 * communities combined (src/core/health/people.ts). Members with analytics off and forgotten
 * members are never written, nor anything about the person one of their accounts is.
 */
import { loadConfig } from '../../config';
import { systemClock } from '../../core/clock';
import { MEMBER_HEALTH_FIELDS } from '../../core/health/member-health';
import { peopleHealth } from '../../core/health/people';
import { SettingsService } from '../../core/settings';
import { configuredStore, openStore, storeExists } from '../../db/store';
import { parseCommandArgs } from '../args';
import { csvRecord } from '../csv';
import type { CliIo } from '../io';

export const description = 'Export member health records (CRM): export members --format csv|jsonl [--community ID] [--since DATE]';

const USAGE =
  'Usage: npm run -s hearth -- export members --format csv|jsonl [--community ID] [--since YYYY-MM-DD] [--db FILE]\n' +
  '  --community  the people with an account in one community (e.g. slack:T0123, discord:<guild id>), each with their\n' +
  '               whole record; default: every person in the database\n' +
  '  --since      only members active since then (an ISO date or date-time; a date is midnight UTC)\n' +
  '  --db         the database file or postgres:// URL (default: HEARTH_DATABASE_URL, else HEARTH_DB_PATH, ./data/hearth.db)';
const FORMATS = ['csv', 'jsonl'] as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const usage = (problem: string) => (io.err(`export: ${problem}\n${USAGE}`), 2);
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      community: { type: 'string' },
      since: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (typeof parsed === 'string') return usage(parsed);
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [what, ...extra] = positionals;
  if (what !== 'members') return usage(what ? `unknown export "${what}" (only "members")` : 'what to export is missing: "members"');
  if (extra.length) return usage(`unexpected argument "${extra[0]}"`);
  const format = values.format;
  if (!format) return usage('--format is required (csv or jsonl)');
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) return usage(`--format must be csv or jsonl, got "${format}"`);
  let since: number | undefined;
  if (values.since !== undefined) {
    since = parseSince(values.since);
    if (since === undefined) return usage(`--since must be an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z, got "${values.since}"`);
  }
  const community = values.community?.trim();
  if (values.community !== undefined && !community) return usage('--community is empty');

  const file = values.db ?? configuredStore(loadConfig());
  if (!storeExists(file)) {
    io.err(`export: no database at ${file} (give --db FILE or set HEARTH_DB_PATH)`);
    return 1;
  }
  const database = await openStore(file);
  try {
    const repos = database.repos;
    const known = await repos.communities.list();
    if (community && !known.some((c) => c.id === community)) {
      return usage(`no community "${community}" in ${file}; stored: ${known.map((c) => c.id).join(', ') || 'none'}`);
    }
    const core = { repos, settings: new SettingsService(repos) };
    const now = (io.now ?? systemClock.now)();
    if (format === 'csv') io.out(csvRecord(MEMBER_HEALTH_FIELDS));
    for (const { record } of await peopleHealth(core, { since, now, community })) {
      io.out(format === 'csv' ? csvRecord(MEMBER_HEALTH_FIELDS.map((field) => record[field])) : JSON.stringify(record));
    }
    return 0;
  } finally {
    await database.close();
  }
}

/** An ISO date (midnight UTC) or date-time (UTC unless it gives an offset); undefined when it is not one. */
function parseSince(input: string): number | undefined {
  const text = input.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number);
  // Date.parse rolls 2026-02-30 over to March: a day that does not exist is a typo.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const at = Date.parse(match[4] !== undefined && !match[7] ? `${text}Z` : text);
  return Number.isNaN(at) ? undefined : at;
}
