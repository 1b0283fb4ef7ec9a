/** What every history source (export files, platform APIs) yields, in time order per channel. */
import type { IncomingMessage, MemberRef } from '../core/events';

export interface SourcePosition {
  file: string;
  line?: number;
}

export type ImportItem =
  | { kind: 'message'; message: IncomingMessage; at: SourcePosition }
  | { kind: 'join'; member: MemberRef; time: number; channelId?: string; at: SourcePosition }
  /** The source says this message was deleted (a Slack tombstone): forget a stored copy. */
  | { kind: 'delete'; channelId: string; messageId: string; time: number; at: SourcePosition }
  | { kind: 'error'; error: string; at: SourcePosition };

export function describePosition(at: SourcePosition): string {
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}

/** When an item happened (errors sort first: they have no time). */
export function itemTime(item: ImportItem): number {
  return item.kind === 'message' ? item.message.at : item.kind === 'join' || item.kind === 'delete' ? item.time : 0;
}
