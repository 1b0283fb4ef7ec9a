/**
 * The message-line format shared by the analytics CLIs (`links`, `pulse`):
 *   {"id", "channel", "author", "text", "at", "kind"?, "replyTo"?, "threadId"?, "authorIsBot"?}
 * `at` is an ISO date string or epoch milliseconds. Ids may be strings or numbers (kept as
 * given for output, compared as strings).
 */
import { MAX_TIME } from '../core/clock';
import type { ThreadMessage } from '../core/threads';

export interface MessageLine extends ThreadMessage {
  channel: string;
  /** The id exactly as it appeared in the input (string or number), for echoing. */
  rawId: string | number;
  rawReplyTo: string | number | null;
}

const KINDS = new Set(['message', 'join', 'system']);

function idField(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw new Error(`"${field}" is required`);
    return undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new Error(`"${field}" must be a non-empty string or a number`);
}

function timeField(value: unknown): number {
  let ms = NaN;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.trim() !== '') ms = /^-?\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error('"at" must be an ISO date string or epoch milliseconds');
  // A later time is no date at all: every report over it would fail, or count its days forever.
  if (Math.abs(ms) > MAX_TIME) throw new Error('"at" is beyond the dates a computer can hold (year 275760)');
  return ms;
}

/** Validate one parsed JSON value; throws an Error saying which field is wrong. */
export function parseMessageLine(value: unknown): MessageLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const v = value as Record<string, unknown>;
  const id = idField(v.id, 'id', true)!;
  const channel = idField(v.channel, 'channel', true)!;
  const author = idField(v.author, 'author', true)!;
  if (typeof v.text !== 'string') throw new Error('"text" must be a string');
  if (v.kind !== undefined && !KINDS.has(v.kind as string)) throw new Error('"kind" must be "message", "join" or "system"');
  if (v.authorIsBot !== undefined && typeof v.authorIsBot !== 'boolean') throw new Error('"authorIsBot" must be true or false');
  return {
    rawId: typeof v.id === 'number' ? v.id : id,
    rawReplyTo: typeof v.replyTo === 'number' ? v.replyTo : (idField(v.replyTo, 'replyTo', false) ?? null),
    id,
    channel,
    author,
    text: v.text,
    at: timeField(v.at),
    kind: (v.kind as MessageLine['kind']) ?? 'message',
    replyTo: idField(v.replyTo, 'replyTo', false) ?? null,
    threadId: idField(v.threadId, 'threadId', false) ?? null,
    authorIsBot: v.authorIsBot === true,
  };
}
