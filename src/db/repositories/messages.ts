import { and, desc, eq, gte, lt, or } from 'drizzle-orm';
import type { Db } from '../connection';
import { members, messages } from '../schema';

export type MessageRow = typeof messages.$inferSelect;
/** The columns reply inference reads, with the author's display name. */
export type WindowMessage = Pick<
  MessageRow,
  'rowId' | 'id' | 'authorId' | 'authorIsBot' | 'kind' | 'text' | 'threadId' | 'replyTo' | 'discussionId' | 'createdAt'
> & { authorName: string | null };

export interface NewMessage {
  id: string;
  channelId: string;
  authorId: string;
  authorIsBot?: boolean;
  isCompanion?: boolean;
  kind?: 'message' | 'join' | 'system';
  text: string | null;
  title?: string | null;
  threadId?: string | null;
  replyTo?: string | null;
  replyInferred?: boolean;
  discussionId?: string | null;
  createdAt: number;
}

export function messagesRepo(db: Db) {
  const byId = (community: string, id: string) => and(eq(messages.communityId, community), eq(messages.id, id));
  return {
    /** Insert a message; a message already stored (replayed event, re-import) is left as it is. Returns true if new. */
    async insert(community: string, message: NewMessage): Promise<boolean> {
      const result = db
        .insert(messages)
        .values({ communityId: community, ...message })
        .onConflictDoNothing()
        .run();
      return result.changes > 0;
    },
    async get(community: string, id: string): Promise<MessageRow | undefined> {
      return db.select().from(messages).where(byId(community, id)).get();
    },
    async updateText(community: string, id: string, text: string, title: string | null | undefined, at: number): Promise<boolean> {
      const result = db
        .update(messages)
        .set({ text, editedAt: at, ...(title !== undefined ? { title } : {}) })
        .where(byId(community, id))
        .run();
      return result.changes > 0;
    },
    async setReply(community: string, id: string, replyTo: string | null, inferred: boolean, discussionId: string | null): Promise<void> {
      db.update(messages).set({ replyTo, replyInferred: inferred, discussionId }).where(byId(community, id)).run();
    },
    /** Remove a message entirely (platform delete). */
    async delete(community: string, id: string): Promise<MessageRow | undefined> {
      const row = db.select().from(messages).where(byId(community, id)).get();
      if (row) db.delete(messages).where(byId(community, id)).run();
      return row;
    },
    /** Recent messages in a channel, newest first (for "what is this same-here about"). */
    async recentInChannel(community: string, channelId: string, since: number, limit = 50): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.communityId, community), eq(messages.channelId, channelId), gte(messages.createdAt, since)))
        .orderBy(desc(messages.createdAt), desc(messages.rowId))
        .limit(limit)
        .all();
    },
    /**
     * The messages posted in a channel before `message` (earlier time, or same time and stored
     * earlier), no older than `since`, newest first, with their author's display name.
     * The bounded window reply inference looks at.
     */
    async before(
      community: string,
      channelId: string,
      message: { createdAt: number; rowId: number },
      since: number,
      limit = 50,
    ): Promise<WindowMessage[]> {
      return db
        .select({
          rowId: messages.rowId,
          id: messages.id,
          authorId: messages.authorId,
          authorIsBot: messages.authorIsBot,
          kind: messages.kind,
          text: messages.text,
          threadId: messages.threadId,
          replyTo: messages.replyTo,
          discussionId: messages.discussionId,
          createdAt: messages.createdAt,
          authorName: members.name,
        })
        .from(messages)
        .leftJoin(members, and(eq(members.communityId, messages.communityId), eq(members.id, messages.authorId)))
        .where(
          and(
            eq(messages.communityId, community),
            eq(messages.channelId, channelId),
            gte(messages.createdAt, since),
            or(lt(messages.createdAt, message.createdAt), and(eq(messages.createdAt, message.createdAt), lt(messages.rowId, message.rowId))),
          ),
        )
        .orderBy(desc(messages.createdAt), desc(messages.rowId))
        .limit(limit)
        .all();
    },
    /** Messages of a discussion (thread root + replies), oldest first. */
    async inDiscussion(community: string, discussionId: string): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.communityId, community),
            or(eq(messages.discussionId, discussionId), eq(messages.id, discussionId), eq(messages.threadId, discussionId)),
          ),
        )
        .orderBy(messages.createdAt, messages.rowId)
        .all();
    },
    async byAuthor(community: string, authorId: string): Promise<MessageRow[]> {
      return db.select().from(messages).where(and(eq(messages.communityId, community), eq(messages.authorId, authorId))).all();
    },
    /** Retention: blank the text of messages older than `before`; returns how many. */
    async purgeTextBefore(community: string, before: number): Promise<number> {
      return db
        .update(messages)
        .set({ text: null, title: null })
        .where(and(eq(messages.communityId, community), lt(messages.createdAt, before)))
        .run().changes;
    },
  };
}
