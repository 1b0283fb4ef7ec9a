import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import { signals } from '../schema';

export type SignalRow = typeof signals.$inferSelect;

export type SignalKind =
  | 'welcome_given'
  | 'same_here'
  | 'helped'
  | 'thanked'
  | 'returned_to_help'
  | 'repair'
  | 'escalation_claimed'
  | 'mentorship'
  /** Bookkeeping, not a relationship signal: the companion asked this welcomer to greet a newcomer. */
  | 'welcomer_asked';

export interface NewSignal {
  kind: SignalKind;
  actorId: string;
  subjectId?: string | null;
  messageId?: string | null;
  channelId?: string | null;
  at: number;
  data?: Record<string, unknown>;
  /** Same key twice -> recorded once. */
  dedupeKey?: string;
}

export function signalsRepo(db: Db) {
  return {
    /** Record a signal; returns false when the dedupe key was already recorded. */
    async record(community: string, signal: NewSignal): Promise<boolean> {
      const result = db
        .insert(signals)
        .values({ communityId: community, ...signal, dedupeKey: signal.dedupeKey ?? null })
        .onConflictDoNothing()
        .run();
      return result.changes > 0;
    },
    async list(community: string, options: { kind?: SignalKind; since?: number; until?: number } = {}): Promise<SignalRow[]> {
      const conditions = [eq(signals.communityId, community)];
      if (options.kind) conditions.push(eq(signals.kind, options.kind));
      if (options.since !== undefined) conditions.push(gte(signals.at, options.since));
      if (options.until !== undefined) conditions.push(lt(signals.at, options.until));
      return db.select().from(signals).where(and(...conditions)).orderBy(asc(signals.at), asc(signals.id)).all();
    },
    /** How many signals of these kinds this member was the actor of since `since` (workload). */
    async countByActor(community: string, actorId: string, kinds: SignalKind[], since: number): Promise<number> {
      if (kinds.length === 0) return 0;
      const row = db
        .select({ n: sql<number>`count(*)` })
        .from(signals)
        .where(and(eq(signals.communityId, community), eq(signals.actorId, actorId), inArray(signals.kind, kinds), gte(signals.at, since)))
        .get();
      return row?.n ?? 0;
    },
    async forSubject(community: string, kind: SignalKind, subjectId: string): Promise<SignalRow[]> {
      return db
        .select()
        .from(signals)
        .where(and(eq(signals.communityId, community), eq(signals.kind, kind), eq(signals.subjectId, subjectId)))
        .orderBy(asc(signals.at))
        .all();
    },
  };
}
