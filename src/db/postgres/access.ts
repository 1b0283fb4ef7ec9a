/**
 * PostgreSQL versions of the dashboard's sign-in links and sessions and of the identity links
 * (the SQLite ones: ../repositories/dashboard-access.ts and identity-links.ts, whose comments
 * say why each query is shaped as it is).
 */
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { AccountRef, DashboardAccessRepository, IdentityLinkRow, IdentityLinksRepository } from '../../core/storage';
import { accountColumns, compareAccounts, emailKey, emailMatches, linksTouching } from '../rules';
import type { PgDb } from './connection';
import { dashboardLinks, dashboardSessions, identityLinkCodes, identityLinks, members } from './schema';

const changed = (result: { rowCount: number | null }): number => result.rowCount ?? 0;

export function dashboardAccessRepo(db: PgDb): DashboardAccessRepository {
  return {
    async addLink(community, link) {
      await db.insert(dashboardLinks).values({ ...link, communityId: community });
    },
    getLink: async (tokenHash) => (await db.select().from(dashboardLinks).where(eq(dashboardLinks.tokenHash, tokenHash)))[0],
    async useLink(tokenHash, at) {
      const rows = await db
        .update(dashboardLinks)
        .set({ usedAt: at })
        .where(and(eq(dashboardLinks.tokenHash, tokenHash), isNull(dashboardLinks.usedAt), gt(dashboardLinks.expiresAt, at)))
        .returning();
      return rows[0];
    },
    async addSession(community, session) {
      await db.insert(dashboardSessions).values({ ...session, communityId: community });
    },
    getSession: async (idHash, at) => (await db.select().from(dashboardSessions).where(and(eq(dashboardSessions.idHash, idHash), gt(dashboardSessions.expiresAt, at))))[0],
    async endSession(idHash) {
      await db.delete(dashboardSessions).where(eq(dashboardSessions.idHash, idHash));
    },
    async endAll(community) {
      await db.delete(dashboardLinks).where(and(eq(dashboardLinks.communityId, community), isNull(dashboardLinks.usedAt)));
      return changed(await db.delete(dashboardSessions).where(eq(dashboardSessions.communityId, community)));
    },
    async purgeExpired(community, before) {
      await db.delete(dashboardLinks).where(and(eq(dashboardLinks.communityId, community), lt(dashboardLinks.expiresAt, before)));
      await db.delete(dashboardSessions).where(and(eq(dashboardSessions.communityId, community), lt(dashboardSessions.expiresAt, before)));
    },
    signedInCommunities: async (at) => (await db.selectDistinct({ id: dashboardSessions.communityId }).from(dashboardSessions).where(gt(dashboardSessions.expiresAt, at))).map((r) => r.id),
  };
}

/** Byte order, as SQLite compares text (the database's own collation may differ). */
const bytes = (column: unknown) => sql`${column} collate "C"`;

export function identityLinksRepo(db: PgDb): IdentityLinksRepository {
  const touching = (community: string, memberId: string) => linksTouching(identityLinks, community, memberId);
  const order = [bytes(identityLinks.communityId), bytes(identityLinks.memberId), bytes(identityLinks.linkedCommunityId), bytes(identityLinks.linkedMemberId)];
  return {
    async link(community, memberId, linked, via, at) {
      const [a, b] = [{ communityId: community, memberId }, linked].sort(compareAccounts);
      const result = await db
        .insert(identityLinks)
        .values({ communityId: a.communityId, memberId: a.memberId, linkedCommunityId: b.communityId, linkedMemberId: b.memberId, via, createdAt: at })
        .onConflictDoNothing();
      return changed(result) > 0;
    },
    forMember: (community, memberId): Promise<IdentityLinkRow[]> =>
      db.select().from(identityLinks).where(touching(community, memberId)).orderBy(identityLinks.createdAt, ...order),
    list: (): Promise<IdentityLinkRow[]> => db.select().from(identityLinks).orderBy(...order),
    unlink: async (community, memberId) => changed(await db.delete(identityLinks).where(touching(community, memberId))),
    async accountsWithEmail(email): Promise<AccountRef[]> {
      const wanted = emailKey(email);
      if (!wanted) return [];
      return db
        .select(accountColumns(members))
        .from(members)
        .where(emailMatches(members, wanted))
        .orderBy(bytes(members.communityId), bytes(members.id));
    },
    async addCode(community, code) {
      await db.transaction(async (tx) => {
        await tx.delete(identityLinkCodes).where(lt(identityLinkCodes.expiresAt, code.createdAt));
        await tx
          .delete(identityLinkCodes)
          .where(and(eq(identityLinkCodes.communityId, community), eq(identityLinkCodes.memberId, code.memberId), isNull(identityLinkCodes.usedAt)));
        await tx.insert(identityLinkCodes).values({ ...code, communityId: community });
      });
    },
    getCode: async (codeHash) => (await db.select().from(identityLinkCodes).where(eq(identityLinkCodes.codeHash, codeHash)))[0],
    async useCode(codeHash, at) {
      const rows = await db
        .update(identityLinkCodes)
        .set({ usedAt: at })
        .where(and(eq(identityLinkCodes.codeHash, codeHash), isNull(identityLinkCodes.usedAt), gt(identityLinkCodes.expiresAt, at)))
        .returning();
      return rows[0];
    },
    dropCodes: async (community, memberId) =>
      changed(await db.delete(identityLinkCodes).where(and(eq(identityLinkCodes.communityId, community), eq(identityLinkCodes.memberId, memberId)))),
  };
}
