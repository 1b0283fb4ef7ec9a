import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../connection';
import { companionPosts } from '../schema';
import type { CompanionPostsRepository } from '../../core/storage';

/** Where the companion's editable messages are, keyed by what they are about. */
export function companionPostsRepo(db: Db): CompanionPostsRepository {
  return {
    async get(community: string, key: string) {
      return db
        .select()
        .from(companionPosts)
        .where(and(eq(companionPosts.communityId, community), eq(companionPosts.key, key)))
        .get();
    },
    /** What a companion message is about (reverse lookup by the posted message). */
    async findByMessage(community: string, messageId: string) {
      return db
        .select()
        .from(companionPosts)
        .where(and(eq(companionPosts.communityId, community), eq(companionPosts.messageId, messageId)))
        .get();
    },
    /** Every post whose key starts with `prefix` (e.g. all the pings of one request), oldest first. */
    async withPrefix(community: string, prefix: string) {
      return db
        .select()
        .from(companionPosts)
        .where(and(eq(companionPosts.communityId, community), gte(companionPosts.key, prefix), lt(companionPosts.key, `${prefix}\uffff`)))
        .orderBy(companionPosts.createdAt)
        .all();
    },
    async put(community: string, key: string, channelId: string, messageId: string, at: number): Promise<void> {
      db.insert(companionPosts)
        .values({ communityId: community, key, channelId, messageId, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({ target: [companionPosts.communityId, companionPosts.key], set: { channelId, messageId, updatedAt: at } })
        .run();
    },
    /**
     * Take a rate-limit slot atomically: insert the key, or move it forward if it was last
     * used before `idleSince`. Returns false while the slot is still taken (durable dedupe).
     */
    async claimIfIdle(community: string, key: string, channelId: string, at: number, idleSince: number): Promise<boolean> {
      return (
        db
          .insert(companionPosts)
          .values({ communityId: community, key, channelId, messageId: '', createdAt: at, updatedAt: at })
          .onConflictDoUpdate({
            target: [companionPosts.communityId, companionPosts.key],
            set: { channelId, messageId: '', createdAt: at, updatedAt: at },
            setWhere: lt(companionPosts.updatedAt, idleSince),
          })
          .run().changes > 0
      );
    },
    async remove(community: string, key: string): Promise<void> {
      db.delete(companionPosts).where(and(eq(companionPosts.communityId, community), eq(companionPosts.key, key))).run();
    },
    async touch(community: string, key: string, at: number): Promise<void> {
      db.update(companionPosts)
        .set({ updatedAt: at })
        .where(and(eq(companionPosts.communityId, community), eq(companionPosts.key, key)))
        .run();
    },
  };
}
