import { and, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import { sameHere } from '../schema';
import type { SameHereRepository } from '../../core/storage';

export function sameHereRepo(db: Db): SameHereRepository {
  return {
    /** Add a validation; the same member on the same message counts once. Returns true if new. */
    async add(community: string, messageId: string, memberId: string, via: string, at: number): Promise<boolean> {
      return (
        db.insert(sameHere).values({ communityId: community, messageId, memberId, via, at }).onConflictDoNothing().run()
          .changes > 0
      );
    },
    /** Take back a validation made one way (an un-reaction); one made another way stays. Returns true if removed. */
    async removeVia(community: string, messageId: string, memberId: string, via: string): Promise<boolean> {
      return (
        db
          .delete(sameHere)
          .where(and(eq(sameHere.communityId, community), eq(sameHere.messageId, messageId), eq(sameHere.memberId, memberId), eq(sameHere.via, via)))
          .run().changes > 0
      );
    },
    async count(community: string, messageId: string): Promise<number> {
      const row = db
        .select({ n: sql<number>`count(*)` })
        .from(sameHere)
        .where(and(eq(sameHere.communityId, community), eq(sameHere.messageId, messageId)))
        .get();
      return row?.n ?? 0;
    },
    /** Forget-me: the member's validations, and validations of the given messages (theirs). */
    async deleteForMember(community: string, memberId: string, messageIds: string[] = []): Promise<number> {
      const about = messageIds.length ? inArray(sameHere.messageId, messageIds) : undefined;
      return db
        .delete(sameHere)
        .where(and(eq(sameHere.communityId, community), about ? or(eq(sameHere.memberId, memberId), about) : eq(sameHere.memberId, memberId)))
        .run().changes;
    },
    async forMember(community: string, memberId: string) {
      return db.select().from(sameHere).where(and(eq(sameHere.communityId, community), eq(sameHere.memberId, memberId))).all();
    },
    async since(community: string, since: number) {
      return db
        .select()
        .from(sameHere)
        .where(and(eq(sameHere.communityId, community), gte(sameHere.at, since)))
        .all();
    },
  };
}
