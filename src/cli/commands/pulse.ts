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
import type { PlatformPort } from '../../core/platform';
import { isTimeZone } from '../../core/settings';
import { openDatabase } from '../../db/connection';
import { createRepositories } from '../../db/repositories';
import { silentLogger } from '../../log';
import { readJsonLines, type CliIo } from '../io';

export const description = 'Community health metrics (pulse) for a JSONL file of messages, as one JSON object';

const USAGE = 'Usage: npm run -s hearth -- pulse --input MESSAGES.jsonl [--timezone Europe/Paris]   ("-" reads stdin)';
const COMMUNITY = 'cli:pulse';

export interface MessageLine {
  id: string;
  channel: string;
  author: string;
  text: string;
  at: number;
  kind: 'message' | 'join' | 'system';
  replyTo: string | null;
  threadId: string | null;
  authorIsBot: boolean;
}

const idOf = (value: unknown, field: string, required: boolean): string | null => {
  if (value === undefined || value === null) {
    if (required) throw new Error(`"${field}" is required`);
    return null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 200) return value;
  throw new Error(`"${field}" must be a non-empty string (at most 200 characters) or a number`);
};

/** Validate one parsed line; throws an Error naming the bad field. */
export function parseMessageLine(value: unknown): MessageLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const v = value as Record<string, unknown>;
  if (typeof v.text !== 'string') throw new Error('"text" must be a string');
  let at = NaN;
  if (typeof v.at === 'number') at = v.at;
  else if (typeof v.at === 'string' && v.at.trim()) at = /^\d+$/.test(v.at.trim()) ? Number(v.at) : Date.parse(v.at);
  if (!Number.isFinite(at) || at < 0) throw new Error('"at" must be an ISO date string or epoch milliseconds');
  const kind = v.kind ?? 'message';
  if (kind !== 'message' && kind !== 'join' && kind !== 'system') throw new Error('"kind" must be "message", "join" or "system"');
  if (v.authorIsBot !== undefined && typeof v.authorIsBot !== 'boolean') throw new Error('"authorIsBot" must be true or false');
  return {
    id: idOf(v.id, 'id', true)!,
    channel: idOf(v.channel, 'channel', true)!,
    author: idOf(v.author, 'author', true)!,
    text: v.text,
    at,
    kind,
    replyTo: idOf(v.replyTo, 'replyTo', false),
    threadId: idOf(v.threadId, 'threadId', false),
    authorIsBot: v.authorIsBot === true,
  };
}

/** A platform that sends nothing (historical replays never send anyway). */
const silentPlatform: PlatformPort = {
  name: 'cli',
  selfId: 'hearth-cli',
  post: async (_c, channelId) => ({ channelId, messageId: 'none' }),
  reply: async (_c, to) => ({ channelId: to.channelId, messageId: 'none' }),
  edit: async () => undefined,
  dm: async (_c, memberId) => ({ channelId: memberId, messageId: 'none' }),
  ephemeral: async () => undefined,
  react: async () => undefined,
  notifyModerators: async () => ({ channelId: 'none', messageId: 'none' }),
  permalink: async () => undefined,
};

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
    const companion = new Companion({
      repos: createRepositories(database),
      platform: silentPlatform,
      clock,
      log: silentLogger,
      settingsDefaults: { timezone: timezone ?? 'UTC' },
    });
    let first = Infinity;
    let last = -Infinity;
    let bad = 0;
    try {
      for await (const { line, value, error } of readJsonLines(input, io.stdin)) {
        const problem = error ?? (await replayLine(companion, clock, value).then(
          (at) => {
            first = Math.min(first, at);
            last = Math.max(last, at);
            return undefined;
          },
          (e: Error) => `line ${line}: ${e.message}`,
        ));
        if (problem) {
          bad++;
          io.err(`pulse: ${problem}`);
        }
      }
    } catch (error) {
      io.err(`pulse: cannot read ${input}: ${(error as Error).message}`);
      return 1;
    }
    if (bad > 0) io.err(`pulse: ${bad} bad line${bad === 1 ? '' : 's'} skipped`);
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

/** Validate a line and replay it as a historical event; resolves to its time. */
async function replayLine(companion: Companion, clock: ManualClock, value: unknown): Promise<number> {
  const m = parseMessageLine(value);
  clock.set(m.at);
  const member = { id: m.author, name: m.author, isBot: m.authorIsBot };
  const base = { community: COMMUNITY, communityName: 'pulse', at: m.at };
  const result =
    m.kind === 'join'
      ? await companion.handle({ ...base, type: 'member_joined', member, welcomeChannelId: m.channel }, { historical: true })
      : await companion.handle(
          {
            ...base,
            type: 'message_posted',
            message: {
              id: m.id,
              channel: { id: m.channel, name: m.channel },
              author: member,
              text: m.text,
              at: m.at,
              kind: m.kind,
              replyTo: m.replyTo,
              threadId: m.threadId,
            },
          },
          { historical: true },
        );
  if (!result.ok) throw new Error(result.error);
  return m.at;
}
