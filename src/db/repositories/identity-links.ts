import { and, asc, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../connection';
import { identityLinkCodes, identityLinks, members } from '../schema';
import { accountColumns, compareAccounts, emailKey, emailMatches, linksTouching } from '../rules';
import type { AccountRef, IdentityLinkCodeRow, IdentityLinkRow, IdentityLinksRepository, IdentityLinkVia } from '../../core/storage';

/** Which accounts are one person (see the `identity_links` table); reads across communities by design. */
export function identityLinksRepo(db: Db): IdentityLinksRepository {
  const touching = (community: string, memberId: string) => linksTouching(identityLinks, community, memberId);
  const order = [asc(identityLinks.communityId), asc(identityLinks.memberId), asc(identityLinks.linkedCommunityId), asc(identityLinks.linkedMemberId)];
  return {
    async link(community: string, memberId: string, linked: AccountRef, via: IdentityLinkVia, at: number): Promise<boolean> {
      // One row per pair: the smaller account first, so either order finds the same row.
      const [a, b] = [{ communityId: community, memberId }, linked].sort((x, y) => compareAccounts(x, y));
      const result = db
        .insert(identityLinks)
        .values({ communityId: a.communityId, memberId: a.memberId, linkedCommunityId: b.communityId, linkedMemberId: b.memberId, via, createdAt: at })
        .onConflictDoNothing()
        .run();
      return result.changes > 0;
    },
    async forMember(community: string, memberId: string): Promise<IdentityLinkRow[]> {
      return db.select().from(identityLinks).where(touching(community, memberId)).orderBy(asc(identityLinks.createdAt), ...order).all();
    },
    async list(): Promise<IdentityLinkRow[]> {
      return db.select().from(identityLinks).orderBy(...order).all();
    },
    async unlink(community: string, memberId: string): Promise<number> {
      return db.delete(identityLinks).where(touching(community, memberId)).run().changes;
    },
    async accountsWithEmail(email: string): Promise<AccountRef[]> {
      const wanted = emailKey(email);
      if (!wanted) return [];
      return db
        .select(accountColumns(members))
        .from(members)
        .where(emailMatches(members, wanted))
        .orderBy(asc(members.communityId), asc(members.id))
        .all();
    },
    async addCode(community: string, code: Omit<IdentityLinkCodeRow, 'communityId' | 'usedAt'>): Promise<void> {
      db.transaction((tx) => {
        tx.delete(identityLinkCodes).where(lt(identityLinkCodes.expiresAt, code.createdAt)).run();
        tx.delete(identityLinkCodes)
          .where(and(eq(identityLinkCodes.communityId, community), eq(identityLinkCodes.memberId, code.memberId), isNull(identityLinkCodes.usedAt)))
          .run();
        tx.insert(identityLinkCodes).values({ ...code, communityId: community }).run();
      });
    },
    async getCode(codeHash: string): Promise<IdentityLinkCodeRow | undefined> {
      return db.select().from(identityLinkCodes).where(eq(identityLinkCodes.codeHash, codeHash)).get();
    },
    async useCode(codeHash: string, at: number): Promise<IdentityLinkCodeRow | undefined> {
      // One statement: of two confirmations with the same code, only one sees a row come back.
      return db
        .update(identityLinkCodes)
        .set({ usedAt: at })
        .where(and(eq(identityLinkCodes.codeHash, codeHash), isNull(identityLinkCodes.usedAt), gt(identityLinkCodes.expiresAt, at)))
        .returning()
        .get();
    },
    async dropCodes(community: string, memberId: string): Promise<number> {
      return db.delete(identityLinkCodes).where(and(eq(identityLinkCodes.communityId, community), eq(identityLinkCodes.memberId, memberId))).run().changes;
    },
  };
}
