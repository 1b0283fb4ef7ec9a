import { and, asc, eq, gte, lt, lte } from 'drizzle-orm';
import type { Db } from '../connection';
import { pulseWeeks } from '../schema';
import type { PulseWeekRow, PulseWeeksRepository } from '../../core/storage';

/** Closed weeks' pulse figures (see the `pulse_weeks` table). */
export function pulseWeeksRepo(db: Db): PulseWeeksRepository {
  return {
    async list(community: string, fromUntil: number, toUntil: number): Promise<PulseWeekRow[]> {
      return db
        .select()
        .from(pulseWeeks)
        .where(and(eq(pulseWeeks.communityId, community), gte(pulseWeeks.weekUntil, fromUntil), lte(pulseWeeks.weekUntil, toUntil)))
        .orderBy(asc(pulseWeeks.weekUntil))
        .all();
    },
    async put(community: string, week: Omit<PulseWeekRow, 'communityId'>, dropBefore: number): Promise<void> {
      const { weekUntil, computedAt, notCounted, figures } = week;
      db.insert(pulseWeeks)
        .values({ communityId: community, weekUntil, computedAt, notCounted, figures })
        .onConflictDoUpdate({ target: [pulseWeeks.communityId, pulseWeeks.weekUntil], set: { computedAt, notCounted, figures } })
        .run();
      db.delete(pulseWeeks).where(and(eq(pulseWeeks.communityId, community), lt(pulseWeeks.weekUntil, dropBefore))).run();
    },
    async clear(community: string): Promise<number> {
      return db.delete(pulseWeeks).where(eq(pulseWeeks.communityId, community)).run().changes;
    },
  };
}
