import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
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
  | 'welcomer_asked'
  /** A heated message from actor to subject (the denominator of "repair after conflict"). */
  | 'conflict';

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
  // Hot paths (every message, live and replayed) as prepared statements: no query building per call.
  const p = sql.placeholder;
  const insert = (withData: boolean) =>
    db
      .insert(signals)
      .values({
        communityId: p('communityId'),
        kind: p('kind'),
        actorId: p('actorId'),
        subjectId: p('subjectId'),
        messageId: p('messageId'),
        channelId: p('channelId'),
        at: p('at'),
        // The column's JSON mapping applies to the placeholder too; without data the column stays NULL.
        ...(withData ? { data: p('data') } : {}),
        dedupeKey: p('dedupeKey'),
      })
      .onConflictDoNothing()
      .prepare();
  const insertWithData = insert(true);
  const insertWithoutData = insert(false);
  const latestOne = db
    .select()
    .from(signals)
    .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), eq(signals.actorId, p('actorId')), lt(signals.at, p('before'))))
    .orderBy(desc(signals.at), desc(signals.id))
    .limit(1)
    .prepare();
  const bySubject = db
    .select()
    .from(signals)
    .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), eq(signals.subjectId, p('subjectId'))))
    .orderBy(asc(signals.at))
    .prepare();
  return {
    /** Record a signal; returns false when the dedupe key was already recorded. */
    async record(community: string, signal: NewSignal): Promise<boolean> {
      const values = {
        communityId: community,
        kind: signal.kind,
        actorId: signal.actorId,
        subjectId: signal.subjectId ?? null,
        messageId: signal.messageId ?? null,
        channelId: signal.channelId ?? null,
        at: signal.at,
        dedupeKey: signal.dedupeKey ?? null,
      };
      const result = signal.data == null ? insertWithoutData.run(values) : insertWithData.run({ ...values, data: signal.data });
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
    /** The actor's most recent signal of a kind strictly before `before`. */
    async latestBy(community: string, kind: SignalKind, actorId: string, before: number): Promise<SignalRow | undefined> {
      return latestOne.get({ community, kind, actorId, before });
    },
    /** Signals of a kind between two members (either direction) since a time, newest first. */
    async between(community: string, kind: SignalKind, a: string, b: string, since: number): Promise<SignalRow[]> {
      return db
        .select()
        .from(signals)
        .where(
          and(
            eq(signals.communityId, community),
            eq(signals.kind, kind),
            gte(signals.at, since),
            or(and(eq(signals.actorId, a), eq(signals.subjectId, b)), and(eq(signals.actorId, b), eq(signals.subjectId, a))),
          ),
        )
        .orderBy(desc(signals.at), desc(signals.id))
        .all();
    },
    /** Signals with this member as actor or subject (privacy: opt-out and forget-me). */
    async deleteForMember(community: string, memberId: string): Promise<number> {
      return db
        .delete(signals)
        .where(and(eq(signals.communityId, community), or(eq(signals.actorId, memberId), eq(signals.subjectId, memberId))))
        .run().changes;
    },
    async forMember(community: string, memberId: string): Promise<SignalRow[]> {
      return db
        .select()
        .from(signals)
        .where(and(eq(signals.communityId, community), or(eq(signals.actorId, memberId), eq(signals.subjectId, memberId))))
        .all();
    },
    async forSubject(community: string, kind: SignalKind, subjectId: string): Promise<SignalRow[]> {
      return bySubject.all({ community, kind, subjectId });
    },
  };
}
