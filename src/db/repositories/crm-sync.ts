import { and, asc, eq, sql } from 'drizzle-orm';
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
    async put(community: string, sink: string, memberId: string, values: Pick<CrmSyncRow, 'fingerprint' | 'externalId' | 'createdBySink'>, at: number): Promise<void> {
      const { fingerprint, externalId, createdBySink } = values;
      db.insert(crmSync)
        .values({ communityId: community, sink, memberId, fingerprint, externalId, createdBySink, syncedAt: at })
        .onConflictDoUpdate({
          target: [crmSync.communityId, crmSync.sink, crmSync.memberId],
          // Once Hearth created the sink's record, it stays Hearth's (that record: not another one the member moved to).
          set: { fingerprint, externalId, syncedAt: at, createdBySink: sql`(${crmSync.externalId} is ${externalId} and ${crmSync.createdBySink}) or ${createdBySink ? 1 : 0}` },
        })
        .run();
    },
    async remove(community: string, sink: string, memberId: string): Promise<void> {
      db.delete(crmSync).where(row(community, sink, memberId)).run();
    },
  };
}
