/**
 * Who answered whom, live: every posted message (historical imports included) without an
 * explicit reply gets its inferred parent stored (`replyInferred`), joining the parent's
 * discussion. Runs first, so later features read `notes.message.replyTo`.
 * The inference itself lives in `src/core/threads` (shared with the `links` CLI).
 */
import type { MessageRow, WindowMessage } from '../../../db/repositories/messages';
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

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type !== 'message_posted' || !notes.message) return;
    const row = notes.message;
    if (row.replyTo || row.kind !== 'message') return;
    const parent = await this.infer(event, row);
    if (!parent) return;
    const discussionId = row.threadId ?? parent.discussionId ?? parent.id;
    await this.core.repos.messages.setReply(event.community, row.id, parent.id, true, discussionId);
    notes.message = { ...row, replyTo: parent.id, replyInferred: true, discussionId };
  }

  /** The stored parent of a newly stored message, from its channel's recent history. */
  private async infer(event: MessagePostedEvent, row: MessageRow): Promise<Pick<WindowMessage, 'id' | 'discussionId'> | undefined> {
    const recent = await this.core.repos.messages.before(
      event.community,
      row.channelId,
      row,
      row.createdAt - DEFAULT_WINDOW.ms,
      Math.max(2 * DEFAULT_WINDOW.messages, DEFAULT_WINDOW.named),
    );
    // A member's message never joins a discussion started by a bot or the companion: bots never
    // count, and a discussion rooted in a bot post would hide the member's question from search.
    const human = !row.authorIsBot;
    const earlier = recent.reverse().filter((r) => !human || !(r.authorIsBot || r.isCompanion)); // oldest first
    const id = inferParent(
      asThreadMessage(row, event.message.author.name, event.message.mentions),
      earlier.map((r) => this.remember(event.community, r)),
    );
    if (id === null) return undefined;
    // A thread's root can live outside the window (in the parent channel).
    return earlier.find((r) => r.id === id) ?? (await this.core.repos.messages.get(event.community, id));
  }
}
