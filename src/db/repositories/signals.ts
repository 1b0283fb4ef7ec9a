import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/sqlite-core';
import type { Db } from '../connection';
import { signals } from '../schema';
import { dedupeKeyStartsWith, pendingMentor, SIGNAL_TEXT_KEY, signalRow, signalTextBefore } from '../rules';
import { SIGNAL_KINDS, type CompactColumns, type CompactSignal, type NewSignal, type SignalKind, type SignalPairCount, type SignalRow, type SignalsRepository } from '../../core/storage';

export { SIGNAL_KINDS };
export type { NewSignal, SignalKind, SignalRow };

/**
 * Ids of the signals with this member as actor or subject, through the (kind, actor) and
 * (kind, subject) indexes: every kind is listed, so each side is an index lookup. (Indexes
 * on the member alone were dropped in drizzle/0008: two more random-order B-tree writes for
 * every signal, to serve only forget-me and opt-out.)
 */
const idsOfMember = (db: Db, community: string, memberId: string) =>
  unionAll(
    db
      .select({ id: signals.id })
      .from(signals)
      .where(and(eq(signals.communityId, community), inArray(signals.kind, [...SIGNAL_KINDS]), eq(signals.actorId, memberId))),
    db
      .select({ id: signals.id })
      .from(signals)
      .where(and(eq(signals.communityId, community), inArray(signals.kind, [...SIGNAL_KINDS]), eq(signals.subjectId, memberId))),
  );

export function signalsRepo(db: Db): SignalsRepository {
  const p = sql.placeholder;
  // Hot paths (every message may record several signals): prepared once.
  const insertOne = db
    .insert(signals)
    .values({
      communityId: p('communityId'),
      kind: p('kind'),
      actorId: p('actorId'),
      subjectId: p('subjectId'),
      messageId: p('messageId'),
      channelId: p('channelId'),
      at: p('at'),
      data: p('data'),
      dedupeKey: p('dedupeKey'),
    })
    .onConflictDoNothing()
    .prepare();
  const latestOne = db
    .select({ at: signals.at, subjectId: signals.subjectId })
    .from(signals)
    .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), eq(signals.actorId, p('actorId')), lt(signals.at, p('before'))))
    // Exactly the order of signals_kind_actor_time_idx: the first index entry is the answer
    // (an extra tie-break column would make SQLite sort every earlier signal of the actor).
    // No LIMIT: `.get()` steps once and stops, and drizzle binds a LIMIT as a parameter, which
    // SQLite's planner reads, so the statement would be re-prepared at every call (3x slower).
    .orderBy(desc(signals.at), desc(signals.subjectId))
    .prepare();
  // Candidate mentors of a member who just helped someone (see mentorsOf), in one statement:
  // who helped them since their previous help (except its recipient), and whether that
  // previous help's recipient had helped them before it. UNION ALL (deduplicated in JS):
  // UNION would sort both sides through temporary B-trees.
  const helpReceived = (...conditions: SQL[]) =>
    db
      .select({ actorId: signals.actorId })
      .from(signals)
      .where(and(eq(signals.communityId, p('community')), eq(signals.kind, 'helped'), eq(signals.subjectId, p('mentee')), ...conditions));
  const mentorsBetween = unionAll(
    helpReceived(gte(signals.at, p('since')), lt(signals.at, p('before')), sql`${signals.actorId} <> ${p('recipient')}`),
    helpReceived(eq(signals.actorId, p('pending')), lt(signals.at, p('since'))),
  ).prepare();
  // Every message by a member asks whether they clashed with anyone lately (reframing): prepared once.
  const involvingSide = (column: typeof signals.actorId | typeof signals.subjectId) =>
    db
      .select()
      .from(signals)
      .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), eq(column, p('member')), gte(signals.at, p('since')), lt(signals.at, p('until'))))
      .prepare();
  // Help graphs and loads over weeks (the dashboard): who and when only, through signals_kind_time_idx.
  const compactSelect = db
    .select({ actorId: signals.actorId, subjectId: signals.subjectId, at: signals.at })
    .from(signals)
    .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), gte(signals.at, p('since')), lt(signals.at, p('until'))))
    .orderBy(asc(signals.at), asc(signals.id));
  const compactIn = compactSelect.prepare();
  // The same as three JSON arrays: one row, parsed in three calls, not 100,000s of rows. The
  // rows are fed to the arrays in the index's order, (at, id): no sort (an ORDER BY inside
  // each aggregate sorted the rows three times, and cost three times the query).
  const inOrder = compactSelect.as('compact');
  const compactColumnsIn = db
    .select({
      actorId: sql<string>`json_group_array(${inOrder.actorId})`,
      subjectId: sql<string>`json_group_array(${inOrder.subjectId})`,
      at: sql<string>`json_group_array(${inOrder.at})`,
    })
    .from(inOrder)
    .prepare();
  const involvingAsActor = involvingSide(signals.actorId);
  const involvingAsSubject = involvingSide(signals.subjectId);
  return {
    /** Record a signal; returns false when the dedupe key was already recorded. */
    async record(community: string, signal: NewSignal): Promise<boolean> {
      const result = insertOne.run(signalRow(community, signal));
      return result.changes > 0;
    },
    /**
     * Candidate mentors of `mentee`, who has just helped `recipient` at `before`: members who
     * helped the mentee since the mentee's previous help (`previous`, or ever when there is
     * none), other than `recipient` (helping someone back is not mentorship); plus the
     * previous help's own recipient when they had helped the mentee before it (that help was
     * not yet passed on). Looking only at what is new since the previous help keeps the
     * query small however much help a member received.
     */
    async mentorsOf(community: string, mentee: string, recipient: string, previous: { at: number; subjectId: string | null } | undefined, before: number): Promise<string[]> {
      const pending = pendingMentor(recipient, previous);
      const rows = mentorsBetween.all({ community, mentee, recipient, since: previous?.at ?? 0, before, pending });
      return [...new Set(rows.map((r) => r.actorId))];
    },
    async list(community: string, options: { kind?: SignalKind; since?: number; until?: number; dedupeKeyPrefix?: string } = {}): Promise<SignalRow[]> {
      const conditions = [eq(signals.communityId, community)];
      if (options.kind) conditions.push(eq(signals.kind, options.kind));
      if (options.since !== undefined) conditions.push(gte(signals.at, options.since));
      if (options.until !== undefined) conditions.push(lt(signals.at, options.until));
      if (options.dedupeKeyPrefix !== undefined) conditions.push(dedupeKeyStartsWith(signals, options.dedupeKeyPrefix));
      return db.select().from(signals).where(and(...conditions)).orderBy(asc(signals.at), asc(signals.id)).all();
    },
    async compact(community: string, kind: SignalKind, since: number, until: number): Promise<CompactSignal[]> {
      // Rows as arrays, made objects here: drizzle's row mapping would double the cost.
      return (compactIn.values({ community, kind, since, until }) as Array<[string, string | null, number]>).map(([actorId, subjectId, at]) => ({ actorId, subjectId, at }));
    },
    async compactColumns(community: string, kind: SignalKind, since: number, until: number): Promise<CompactColumns> {
      const [[actorId, subjectId, at]] = compactColumnsIn.values({ community, kind, since, until }) as Array<[string, string, string]>;
      return { actorId: JSON.parse(actorId), subjectId: JSON.parse(subjectId), at: JSON.parse(at) };
    },
    /** Signals counted per (kind, actor, subject): one row per pair, for per-member totals. */
    async countByPair(community: string, options: { until?: number } = {}): Promise<SignalPairCount[]> {
      const conditions = [eq(signals.communityId, community)];
      if (options.until !== undefined) conditions.push(lt(signals.at, options.until));
      return db
        .select({ kind: signals.kind, actorId: signals.actorId, subjectId: signals.subjectId, count: sql<number>`count(*)`, lastAt: sql<number>`max(${signals.at})` })
        .from(signals)
        .where(and(...conditions))
        .groupBy(signals.kind, signals.actorId, signals.subjectId)
        .all();
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
    /** When the actor's most recent signal of a kind strictly before `before` was, and about whom. */
    async latestBy(community: string, kind: SignalKind, actorId: string, before: number): Promise<Pick<SignalRow, 'at' | 'subjectId'> | undefined> {
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
    async involving(community: string, kind: SignalKind, memberId: string, since: number, until: number): Promise<SignalRow[]> {
      // Two index range reads (by actor, by subject) rather than one OR the planner might scan for.
      const params = { community, kind, member: memberId, since, until };
      const rows = new Map([...involvingAsActor.all(params), ...involvingAsSubject.all(params)].map((r) => [r.id, r]));
      return [...rows.values()].sort((x, y) => y.at - x.at || y.id - x.id);
    },
    /** Signals with this member as actor or subject (privacy: opt-out and forget-me). */
    async deleteForMember(community: string, memberId: string): Promise<number> {
      return db.delete(signals).where(inArray(signals.id, idsOfMember(db, community, memberId))).run().changes;
    },
    async forMember(community: string, memberId: string): Promise<SignalRow[]> {
      return db.select().from(signals).where(inArray(signals.id, idsOfMember(db, community, memberId))).all();
    },
    async forSubject(community: string, kind: SignalKind, subjectId: string): Promise<SignalRow[]> {
      return db
        .select()
        .from(signals)
        .where(and(eq(signals.communityId, community), eq(signals.kind, kind), eq(signals.subjectId, subjectId)))
        .orderBy(asc(signals.at))
        .all();
    },
    async purgeTextBefore(community: string, before: number): Promise<number> {
      const path = `$.${SIGNAL_TEXT_KEY}`;
      return db
        .update(signals)
        .set({ data: sql`json_remove(${signals.data}, ${path})` })
        .where(and(signalTextBefore(signals, community, before), sql`json_type(${signals.data}, ${path}) is not null`))
        .run().changes;
    },
  };
}
