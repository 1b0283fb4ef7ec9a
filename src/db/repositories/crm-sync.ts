import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../connection';
import { crmSync } from '../schema';
import type { CrmSyncRepository, CrmSyncRow } from '../../core/storage';

/** What each CRM sink last sent about each member (see the `crm_sync` table). */
export function crmSyncRepo(db: Db): CrmSyncRepository {
  const row = (community: string, sink: string, memberId: string) =>
    and(eq(crmSync.communityId, community), eq(crmSync.sink, sink), eq(crmSync.memberId, memberId));
  return {
    async list(community: string, sink: string): Promise<CrmSyncRow[]> {
      return db.select().from(crmSync).where(and(eq(crmSync.communityId, community), eq(crmSync.sink, sink))).orderBy(asc(crmSync.memberId)).all();
    },
    async put(community: string, sink: string, memberId: string, fingerprint: string, externalId: string | null, at: number): Promise<void> {
      const values = { fingerprint, externalId, syncedAt: at };
      db.insert(crmSync)
        .values({ communityId: community, sink, memberId, ...values })
        .onConflictDoUpdate({ target: [crmSync.communityId, crmSync.sink, crmSync.memberId], set: values })
        .run();
    },
    async remove(community: string, sink: string, memberId: string): Promise<void> {
      db.delete(crmSync).where(row(community, sink, memberId)).run();
    },
  };
}
