/**
 * Hearth's own JSON lines: one message per line, the format of the `links`, `pulse` and
 * `related-eval` CLIs (parsed by the one shared parser in src/cli/message-lines.ts):
 *   {"id", "channel", "author", "text", "at", "kind"?: "message"|"join"|"system",
 *    "replyTo"?, "threadId"?, "authorIsBot"?, "title"?, "private"?}
 * `at` is epoch milliseconds or an ISO 8601 string. A `join` line is a member joining.
 */
import { parseMessageLine as parseLine, type MessageLine } from '../../cli/message-lines';
import { readJsonLines } from '../../cli/io';
import type { ImportItem } from '../types';

export type { MessageLine };

/** Validate one parsed JSON value; returns a clear error naming the field otherwise. */
export function parseMessageLine(value: unknown): { ok: true; line: MessageLine; title: string | null; private: boolean } | { ok: false; error: string } {
  try {
    const line = parseLine(value);
    const raw = value as Record<string, unknown>;
    return { ok: true, line, title: typeof raw.title === 'string' ? raw.title : null, private: raw.private === true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** A message line as an import item (join lines become member joins). */
export function messageLineToItem(line: MessageLine, file: string, lineNo: number, extra: { title?: string | null; private?: boolean } = {}): ImportItem {
  const at = { file, line: lineNo };
  const author = { id: line.author, name: line.author, isBot: line.authorIsBot ?? false };
  if (line.kind === 'join') return { kind: 'join', member: author, time: line.at, channelId: line.channel, at };
  return {
    kind: 'message',
    at,
    message: {
      id: line.id,
      channel: { id: line.channel, name: line.channel, visibility: extra.private ? 'private' : 'public', ...(extra.private ? { memberIds: [line.author] } : {}) },
      author,
      text: line.text,
      title: extra.title ?? null,
      threadId: line.threadId ?? null,
      replyTo: line.replyTo ?? null,
      kind: line.kind,
      at: line.at,
    },
  };
}

export async function* readMessageLines(path: string, stdin?: NodeJS.ReadableStream): AsyncGenerator<ImportItem> {
  for await (const row of readJsonLines(path, stdin)) {
    // The place (`file:line`) is said once, by the replay.
    if (row.error !== undefined) {
      yield { kind: 'error', error: row.error.replace(/^line \d+: /, ''), at: { file: path, line: row.line } };
      continue;
    }
    const parsed = parseMessageLine(row.value);
    if (!parsed.ok) yield { kind: 'error', error: parsed.error, at: { file: path, line: row.line } };
    else yield messageLineToItem(parsed.line, path, row.line, { title: parsed.title, private: parsed.private });
  }
}
