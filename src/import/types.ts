/** What every history source (export files, platform APIs) yields, in time order. */
import type { IncomingMessage, MemberRef } from '../core/events';

/**
 * Where an item came from, as a person can find it: the file (`export.zip!path` inside a
 * zip), and either the line (line-based files, or where a JSON file broke) or the 1-based
 * index of the message in the file's list of messages.
 */
export interface SourcePosition {
  file: string;
  line?: number;
  message?: number;
}

export type ImportItem =
  | { kind: 'message'; message: IncomingMessage; at: SourcePosition }
  /** A member joining; `notice` is the platform's join message, stored too but counted with the join (one record). */
  | { kind: 'join'; member: MemberRef; time: number; channelId?: string; notice?: IncomingMessage; at: SourcePosition }
  /** The source says this message was deleted (a Slack tombstone): forget a stored copy. */
  | { kind: 'delete'; channelId: string; messageId: string; time: number; at: SourcePosition }
  /**
   * Not imported, and counted: a record that is not conversation (a topic change, a pin),
   * or a whole direct-message conversation (`dm`) left out unless asked for.
   */
  | { kind: 'skip'; what: 'record' | 'dm'; reason: string; time?: number; at: SourcePosition }
  /** `error` is the reason alone; the replay names the place from `at`. */
  | { kind: 'error'; error: string; at: SourcePosition };

export function describePosition(at: SourcePosition): string {
  if (at.line !== undefined) return `${at.file}:${at.line}`;
  if (at.message !== undefined) return `${at.file}, message ${at.message}`;
  return at.file;
}

/** When an item happened (errors and skips without a time sort first). */
export function itemTime(item: ImportItem): number {
  switch (item.kind) {
    case 'message':
      return item.message.at;
    case 'join':
    case 'delete':
      return item.time;
    case 'skip':
      return item.time ?? 0;
    case 'error':
      return 0;
  }
}
