/**
 * A platform's history, page by page, resumable: each page ends with the cursor to resume
 * from. Sources use the real client libraries (@discordjs/rest, @slack/web-api), which also
 * honour the platforms' rate limits (429 + retry-after).
 */
import type { ChannelRef } from '../../core/events';
import type { ImportItem } from '../types';

export interface HistoryChannel {
  channel: ChannelRef;
  /** Holds no messages of its own (a Discord forum): recorded so its posts inherit its visibility, never paged. */
  container?: boolean;
}

export interface HistoryPage {
  items: ImportItem[];
  /** Opaque resume state after this page, saved as the channel's checkpoint. */
  state: string;
  /** False when the channel is caught up (a later backfill resumes from `state` for newer messages). */
  more: boolean;
}

export interface HistorySource {
  /** The community id (`discord:<guild>`, `slack:<team>`). */
  community(): Promise<{ id: string; name: string }>;
  channels(): Promise<HistoryChannel[]>;
  /** The next page of a channel's history after `state` (undefined: from the beginning). */
  page(channel: ChannelRef, state: string | undefined): Promise<HistoryPage>;
}
