import { and, desc, eq, gte, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { Db } from '../connection';
import { escalations, scheduledTasks } from '../schema';
import { escalationStepTask, openEscalationOf } from '../rules';
import type { EscalationRow, EscalationStep, EscalationsRepository, NewEscalation } from '../../core/storage';

export type { EscalationRow, EscalationStep, NewEscalation };

export function escalationsRepo(db: Db): EscalationsRepository {
  const byId = (community: string, id: number) => and(eq(escalations.communityId, community), eq(escalations.id, id));
  return {
    async create(community: string, values: NewEscalation): Promise<EscalationRow> {
      return db.insert(escalations).values({ communityId: community, ...values }).returning().get();
    },
    /**
     * Write an escalation and its durable follow-up steps atomically: either both exist or
     * neither, so a crash right after the write still leaves the ping to be done.
     */
    async createWithSteps(community: string, values: NewEscalation, steps: EscalationStep[]): Promise<EscalationRow> {
      return db.transaction((tx) => {
        const row = tx.insert(escalations).values({ communityId: community, ...values }).returning().get();
        for (const step of steps) {
          tx.insert(scheduledTasks).values(escalationStepTask(community, row.id, step, values.createdAt)).onConflictDoNothing().run();
        }
        return row;
      });
    },
    async get(community: string, id: number): Promise<EscalationRow | undefined> {
      return db.select().from(escalations).where(byId(community, id)).get();
    },
    async update(community: string, id: number, values: Partial<NewEscalation>): Promise<EscalationRow | undefined> {
      return db.update(escalations).set(values).where(byId(community, id)).returning().get();
    },
    /** Conditional transition (e.g. open -> claimed) so two moderators cannot both claim. */
    async transition(community: string, id: number, from: EscalationRow['status'][], values: Partial<NewEscalation>): Promise<EscalationRow | undefined> {
      return db
        .update(escalations)
        .set(values)
        .where(and(byId(community, id), inArray(escalations.status, from)))
        .returning()
        .get();
    },
    /** The requester's still-open request about the same place (for merging repeats). */
    async findOpenFor(community: string, requesterId: string, channelId: string): Promise<EscalationRow | undefined> {
      return db.select().from(escalations).where(openEscalationOf(escalations, community, requesterId, channelId)).orderBy(desc(escalations.createdAt), desc(escalations.id)).get();
    },
    /** Forget-me: keep the request (moderators' workload history) but drop its words. */
    async clearReasonsOf(community: string, requesterId: string): Promise<number> {
      return db
        .update(escalations)
        .set({ reason: null, latestReason: null, resolutionNote: null })
        .where(and(eq(escalations.communityId, community), eq(escalations.requesterId, requesterId)))
        .run().changes;
    },
    /**
     * Retention: drop the words of requests last made before `before` (the member's reasons, a
     * copy of their message for typed and high-stakes requests) and of resolution notes
     * written before it. The requests themselves stay (workload history). Returns how many.
     */
    async purgeTextBefore(community: string, before: number): Promise<number> {
      const reasons = db
        .update(escalations)
        .set({ reason: null, latestReason: null })
        .where(and(eq(escalations.communityId, community), lt(escalations.lastRequestAt, before), or(isNotNull(escalations.reason), isNotNull(escalations.latestReason))))
        .run().changes;
      const notes = db
        .update(escalations)
        .set({ resolutionNote: null })
        .where(and(eq(escalations.communityId, community), lt(escalations.resolvedAt, before), isNotNull(escalations.resolutionNote)))
        .run().changes;
      return reasons + notes;
    },
    async list(community: string, options: { since?: number; status?: EscalationRow['status'][]; messageId?: string } = {}): Promise<EscalationRow[]> {
      const conditions = [eq(escalations.communityId, community)];
      if (options.since !== undefined) conditions.push(gte(escalations.createdAt, options.since));
      if (options.status) conditions.push(inArray(escalations.status, options.status));
      if (options.messageId !== undefined) conditions.push(eq(escalations.messageId, options.messageId));
      return db.select().from(escalations).where(and(...conditions)).orderBy(escalations.createdAt, escalations.id).all();
    },
  };
}
