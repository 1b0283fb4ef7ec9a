/**
 * Who answered whom, live: every posted message (historical imports included) without an
 * explicit reply gets its inferred parent stored (`replyInferred`), joining the parent's
 * discussion. Runs first, so later features read `notes.message.replyTo`.
 * The inference itself lives in `src/core/threads` (shared with the `links` CLI).
 */
import type { MessageRow, WindowMessage } from '../../storage';
import type { CoreContext, EventNotes, Feature } from '../../context';
import type { HearthEvent, MessagePostedEvent } from '../../events';
import { DEFAULT_WINDOW, inferParent, type ThreadMessage } from '../../threads';

function asThreadMessage(row: WindowMessage | MessageRow, authorName?: string | null, mentions?: readonly string[]): ThreadMessage {
  return {
    id: row.id,
    author: row.authorId,
    authorName: authorName ?? undefined,
    text: row.text ?? '',
    at: row.createdAt,
    kind: row.kind,
    replyTo: row.replyTo,
    threadId: row.threadId,
    mentions,
    authorIsBot: row.authorIsBot,
  };
}

/** Recently seen messages, so their text analysis (cached per object) is reused. */
const RECENT_OBJECTS = 5000;

export class LinksFeature implements Feature {
  private readonly recent = new Map<string, ThreadMessage>();

  constructor(private readonly core: CoreContext) {}

  /** The same object for an unchanged stored message (bounded, oldest dropped first). */
  private remember(community: string, row: WindowMessage): ThreadMessage {
    const key = `${community}\u0000${row.id}`;
    const known = this.recent.get(key);
    if (known && known.text === (row.text ?? '') && known.replyTo === row.replyTo && known.authorName === (row.authorName ?? undefined)) return known;
    const fresh = asThreadMessage(row, row.authorName);
    this.recent.delete(key);
    this.recent.set(key, fresh);
    if (this.recent.size > RECENT_OBJECTS) this.recent.delete(this.recent.keys().next().value!);
    return fresh;
  }

  /**
   * The recent rows of each channel, oldest first, kept as messages arrive so inference does
   * not re-read its window from the database for every message (the hot path of ingest). A
   * window is (re)loaded from the database when missing, and dropped on edits and deletes,
   * or when a message arrives older than what it holds (out-of-order history).
   */
  private readonly windows = new Map<string, WindowMessage[]>();

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type === 'message_edited' || event.type === 'message_deleted') {
      this.windows.delete(windowKey(event.community, event.channelId));
      return;
    }
    if (event.type !== 'message_posted' || !notes.message) return;
    let row = notes.message;
    // A titled message (forum post, thread opener) starts its own discussion: nothing to infer.
    if (!row.replyTo && !row.title && row.kind === 'message') {
      const parent = await this.infer(event, row);
      if (parent) {
        const discussionId = row.threadId ?? parent.discussionId ?? parent.id;
        await this.core.repos.messages.setReply(event.community, row.id, parent.id, true, discussionId);
        row = { ...row, replyTo: parent.id, replyInferred: true, discussionId };
        notes.message = row;
      }
    }
    // A late transcript changes the text of a message the window may hold, like an edit.
    if (notes.lateTranscript) this.windows.delete(windowKey(event.community, row.channelId));
    else this.append(event.community, row, event.message.author.name);
  }

  private append(community: string, row: MessageRow, authorName: string): void {
    const key = windowKey(community, row.channelId);
    const window = this.windows.get(key);
    if (!window) return; // loaded on the next inference in this channel
    window.push({
      rowId: row.rowId,
      id: row.id,
      authorId: row.authorId,
      authorIsBot: row.authorIsBot,
      isCompanion: row.isCompanion,
      kind: row.kind,
      text: row.text,
      threadId: row.threadId,
      replyTo: row.replyTo,
      discussionId: row.discussionId,
      createdAt: row.createdAt,
      authorName,
    });
    if (window.length > WINDOW_ROWS) window.splice(0, window.length - WINDOW_ROWS);
  }

  /** The channel's rows before `row`, newest first, from the kept window or the database. */
  private async recentRows(community: string, row: MessageRow): Promise<WindowMessage[]> {
    const key = windowKey(community, row.channelId);
    const cutoff = row.createdAt - DEFAULT_WINDOW.ms;
    const kept = this.windows.get(key);
    const newest = kept?.at(-1);
    if (kept && (!newest || newest.createdAt <= row.createdAt)) {
      const out: WindowMessage[] = [];
      for (let i = kept.length - 1; i >= 0 && kept[i].createdAt >= cutoff; i--) if (kept[i].id !== row.id) out.push(kept[i]);
      return out;
    }
    const loaded = await this.core.repos.messages.before(community, row.channelId, row, cutoff, WINDOW_ROWS);
    if (kept) this.windows.delete(key); // out of order: the kept window no longer describes "before"
    else {
      if (this.windows.size >= MAX_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, [...loaded].reverse());
    }
    return loaded;
  }

  /** The stored parent of a newly stored message, from its channel's recent history. */
  private async infer(event: MessagePostedEvent, row: MessageRow): Promise<Pick<WindowMessage, 'id' | 'discussionId'> | undefined> {
    const recent = await this.recentRows(event.community, row);
    // A member's message never joins a discussion started by a bot or the companion: bots never
    // count, and a discussion rooted in a bot post would hide the member's question from search.
    const human = !row.authorIsBot;
    const earlier = recent
      .slice()
      .reverse()
      .filter((r) => !human || !(r.authorIsBot || r.isCompanion)); // oldest first
    const id = inferParent(
      asThreadMessage(row, event.message.author.name, event.message.mentions),
      earlier.map((r) => this.remember(event.community, r)),
    );
    if (id === null) return undefined;
    // Read the parent back: it may have been deleted (forget-me) since it entered the window,
    // and a thread's root can live outside the window (in the parent channel).
    return this.core.repos.messages.get(event.community, id);
  }
}

const windowKey = (community: string, channelId: string) => `${community}\u0000${channelId}`;
/** Rows kept per channel: inference looks this far back for a named person. */
const WINDOW_ROWS = Math.max(2 * DEFAULT_WINDOW.messages, DEFAULT_WINDOW.named);
/** Channels with a kept window (least recently loaded dropped first). */
const MAX_WINDOWS = 2000;
