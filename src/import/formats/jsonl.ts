/**
 * Hearth's own JSON lines: one message per line, the format of the `links`, `pulse` and
 * `related-eval` CLIs:
 *   {"id", "channel", "author", "text", "at", "kind"?: "message"|"join"|"system",
 *    "replyTo"?, "threadId"?, "authorIsBot"?, "title"?, "private"?}
 * `at` is epoch milliseconds or an ISO 8601 string. A `join` line is a member joining.
 */
import { z } from 'zod';
import { readJsonLines } from '../../cli/io';
import type { ImportItem } from '../types';

const time = z.union([
  z.number().finite().nonnegative(),
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time or epoch milliseconds')
    .transform((s) => Date.parse(s)),
]);
const idLike = z.union([z.string().min(1).max(200), z.number().int().transform(String)]);

export const messageLineSchema = z.object({
  id: idLike,
  channel: idLike,
  author: idLike,
  text: z.string().default(''),
  at: time,
  kind: z.enum(['message', 'join', 'system']).default('message'),
  replyTo: idLike.nullish(),
  threadId: idLike.nullish(),
  authorIsBot: z.boolean().optional(),
  title: z.string().nullish(),
  private: z.boolean().optional(),
});

export type MessageLine = z.infer<typeof messageLineSchema>;

/** Validate one parsed JSON value; returns a clear error naming the field otherwise. */
export function parseMessageLine(value: unknown): { ok: true; line: MessageLine } | { ok: false; error: string } {
  const result = messageLineSchema.safeParse(value);
  if (result.success) return { ok: true, line: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: `${issue.path.join('.') || 'line'}: ${issue.message}` };
}

/** A message line as an import item (join lines become member joins). */
export function messageLineToItem(line: MessageLine, file: string, lineNo: number): ImportItem {
  const at = { file, line: lineNo };
  const author = { id: line.author, name: line.author, isBot: line.authorIsBot ?? false };
  if (line.kind === 'join') return { kind: 'join', member: author, time: line.at, channelId: line.channel, at };
  return {
    kind: 'message',
    at,
    message: {
      id: line.id,
      channel: { id: line.channel, name: line.channel, visibility: line.private ? 'private' : 'public', ...(line.private ? { memberIds: [line.author] } : {}) },
      author,
      text: line.text,
      title: line.title ?? null,
      threadId: line.threadId ?? null,
      replyTo: line.replyTo ?? null,
      kind: line.kind,
      at: line.at,
    },
  };
}

export async function* readMessageLines(path: string, stdin?: NodeJS.ReadableStream): AsyncGenerator<ImportItem> {
  for await (const row of readJsonLines(path, stdin)) {
    if (row.error !== undefined) {
      yield { kind: 'error', error: row.error, at: { file: path, line: row.line } };
      continue;
    }
    const parsed = parseMessageLine(row.value);
    if (!parsed.ok) yield { kind: 'error', error: `line ${row.line}: ${parsed.error}`, at: { file: path, line: row.line } };
    else yield messageLineToItem(parsed.line, path, row.line);
  }
}
