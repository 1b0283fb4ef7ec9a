import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../connection';
import { dashboardLinks, dashboardSessions } from '../schema';
import type { DashboardAccessRepository } from '../../core/storage';

/** Dashboard sign-in links and sessions (see DashboardAccessRepository). */
export function dashboardAccessRepo(db: Db): DashboardAccessRepository {
  return {
    async addLink(community, link) {
      db.insert(dashboardLinks).values({ ...link, communityId: community }).run();
    },
    async getLink(tokenHash) {
      return db.select().from(dashboardLinks).where(eq(dashboardLinks.tokenHash, tokenHash)).get();
    },
    async useLink(tokenHash, at) {
      // One statement: of two requests with the same link, only one sees a row come back.
      return db
        .update(dashboardLinks)
        .set({ usedAt: at })
        .where(and(eq(dashboardLinks.tokenHash, tokenHash), isNull(dashboardLinks.usedAt), gt(dashboardLinks.expiresAt, at)))
        .returning()
        .get();
    },
    async addSession(community, session) {
      db.insert(dashboardSessions).values({ ...session, communityId: community }).run();
    },
    async getSession(idHash, at) {
      return db
        .select()
        .from(dashboardSessions)
        .where(and(eq(dashboardSessions.idHash, idHash), gt(dashboardSessions.expiresAt, at)))
        .get();
    },
    async endSession(idHash) {
      db.delete(dashboardSessions).where(eq(dashboardSessions.idHash, idHash)).run();
    },
    async endAll(community) {
      db.delete(dashboardLinks).where(and(eq(dashboardLinks.communityId, community), isNull(dashboardLinks.usedAt))).run();
      return db.delete(dashboardSessions).where(eq(dashboardSessions.communityId, community)).run().changes;
    },
    async purgeExpired(community, before) {
      db.delete(dashboardLinks).where(and(eq(dashboardLinks.communityId, community), lt(dashboardLinks.expiresAt, before))).run();
      db.delete(dashboardSessions).where(and(eq(dashboardSessions.communityId, community), lt(dashboardSessions.expiresAt, before))).run();
    },
    async signedInCommunities(at) {
      return db.selectDistinct({ id: dashboardSessions.communityId }).from(dashboardSessions).where(gt(dashboardSessions.expiresAt, at)).all().map((r) => r.id);
    },
  };
}
