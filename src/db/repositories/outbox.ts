import { and, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Db } from '../connection';
import { outbox } from '../schema';

import type { OutboxRepository, OutboxRow, ReplyToken } from '../../core/storage';

export type { OutboxRow };

/** Intents and outcomes of posts that must happen once (see the `outbox` table). */
export function outboxRepo(db: Db): OutboxRepository {
  const byKey = (community: string, key: string) => and(eq(outbox.communityId, community), eq(outbox.key, key));
  return {
    async get(community: string, key: string): Promise<OutboxRow | undefined> {
      return db.select().from(outbox).where(byKey(community, key)).get();
    },
    /** Write the intent before posting (kept as it is when one exists already). */
    async intend(community: string, key: string, at: number, reply?: ReplyToken): Promise<void> {
      db.insert(outbox)
        .values({ communityId: community, key, createdAt: at, replyToken: reply?.token ?? null, replyTokenUntil: reply?.until ?? null })
        .onConflictDoNothing()
        .run();
    },
    /** The platform took the post: record it (the first outcome recorded wins). */
    async sent(community: string, key: string, target: { channelId: string; messageId: string } | null, at: number): Promise<void> {
      const values = { sentAt: at, channelId: target?.channelId ?? null, messageId: target?.messageId ?? null, replyToken: null, replyTokenUntil: null };
      db.insert(outbox)
        .values({ communityId: community, key, createdAt: at, ...values })
        .onConflictDoUpdate({ target: [outbox.communityId, outbox.key], set: values, setWhere: isNull(outbox.sentAt) })
        .run();
    },
    /** The platform refused the post: drop the intent, so the next attempt is a plain first send. */
    async failed(community: string, key: string): Promise<void> {
      db.delete(outbox).where(and(byKey(community, key), isNull(outbox.sentAt))).run();
    },
    async dropExpiredReplyTokens(community: string, now: number): Promise<number> {
      return db
        .update(outbox)
        .set({ replyToken: null, replyTokenUntil: null })
        .where(and(eq(outbox.communityId, community), isNotNull(outbox.replyToken), lte(outbox.replyTokenUntil, now)))
        .run().changes;
    },
  };
}
