/**
 * Messages and signals on PostgreSQL (the SQLite ones: ../repositories/messages.ts,
 * signals.ts). A searchable message's index row (related_index) is written in the same
 * statement as the message and goes with it (ON DELETE CASCADE).
 */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, or, sql, type Column, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { SIGNAL_KINDS, type MessageRow, type MessagesRepository, type SignalRow, type SignalsRepository } from '../../core/storage';
import type { BatchScope } from '../repositories/batch-cache';
import { dedupeKeyStartsWith, isSearchable, messageRow, pendingMentor, pick, quietAuthorsStatement, shapeColumns, SIGNAL_TEXT_KEY, signalRow, signalTextBefore, WINDOW_COLUMNS, humanMessageIn, humanPostedBetween } from '../rules';
import type { PgDb } from './connection';
import type { BatchRows } from './batch-rows';
import { indexTerms, type WriteCounter } from './related';
import { once, UNNAMED } from './prepared';
import { members, messages, relatedIndex, signals, toMilliseconds } from './schema';

/** Verdicts stored per statement (setVerdicts). */
const VERDICTS_PER_STATEMENT = 5000;

const changed = (result: { rowCount: number | null }): number => result.rowCount ?? 0;

const humanMessage = (community: string) => humanMessageIn(messages, community);

/** `cached`: rows remembered during a batch (reply inference reads the same ones again and again). */
export function messagesRepo(db: PgDb, counter: WriteCounter, cached: BatchRows<MessageRow>): MessagesRepository {
  const key = (community: string, id: string) => `${community}\u0000${id}`;
  const byId = (community: string, id: string) => and(eq(messages.communityId, community), eq(messages.id, id));
  const inCommunity = (community: string) => eq(messages.communityId, community);
  /** Index (or re-index, or un-index) a stored message as it now is. */
  const reindex = async (tx: PgDb, row: MessageRow) => {
    if (!isSearchable(row)) {
      await tx.delete(relatedIndex).where(eq(relatedIndex.rowId, row.rowId));
      return;
    }
    const terms = indexTerms(row.title, row.text!);
    await tx
      .insert(relatedIndex)
      .values({ rowId: row.rowId, communityId: row.communityId, channelId: row.channelId, terms })
      .onConflictDoUpdate({ target: relatedIndex.rowId, set: { terms } });
  };
  return {
    async insert(community, message) {
      counter.writes++;
      const row = messageRow(community, message);
      const terms = isSearchable(row) ? indexTerms(row.title, row.text!) : null;
      // One round trip: the message, and its index row when it is new and searchable.
      const result = await db.execute<{ row_id: string }>(sql`
        WITH inserted AS (
          INSERT INTO messages (community_id, id, channel_id, author_id, author_is_bot, is_companion, kind, text, title, thread_id, reply_to, reply_inferred, discussion_id, created_at, edited_at, transcribed)
          VALUES (${row.communityId}, ${row.id}, ${row.channelId}, ${row.authorId}, ${row.authorIsBot}, ${row.isCompanion}, ${row.kind}, ${row.text}, ${row.title},
                  ${row.threadId}, ${row.replyTo}, ${row.replyInferred}, ${row.discussionId}, ${toMilliseconds(row.createdAt)}, ${toMilliseconds(row.editedAt)}, ${row.transcribed})
          ON CONFLICT DO NOTHING RETURNING row_id)
        , indexed AS (
          INSERT INTO related_index (row_id, community_id, channel_id, terms)
          SELECT row_id, ${community}, ${row.channelId}, ${terms}::tsvector FROM inserted WHERE ${terms}::tsvector IS NOT NULL)
        SELECT row_id FROM inserted`);
      const inserted = result.rows[0];
      if (!inserted) return undefined;
      const stored: MessageRow = { rowId: Number(inserted.row_id), ...row };
      cached.set(key(community, row.id), stored);
      return stored;
    },
    get: (community, id) => cached.get(key(community, id), async () => (await db.select().from(messages).where(byId(community, id)))[0]),
    updateText: (community, id, text, title, at) =>
      db.transaction(async (tx) => {
        counter.writes++;
        cached.drop(key(community, id));
        const [row] = await tx
          .update(messages)
          .set({ text, editedAt: at, verdicts: null, ...(title !== undefined ? { title } : {}) })
          .where(byId(community, id))
          .returning();
        if (row) await reindex(tx, row);
        return row !== undefined;
      }),
    setTranscript: (community, id, text) =>
      db.transaction(async (tx) => {
        counter.writes++;
        cached.drop(key(community, id));
        const [row] = await tx.update(messages).set({ text, transcribed: true, verdicts: null }).where(and(byId(community, id), eq(messages.transcribed, false))).returning();
        if (row) await reindex(tx, row);
        return row !== undefined;
      }),
    async setReply(community, id, replyTo, inferred, discussionId) {
      cached.update(key(community, id), (row) => ({ ...row, replyTo, replyInferred: inferred, discussionId }));
      await db.update(messages).set({ replyTo, replyInferred: inferred, discussionId }).where(byId(community, id));
    },
    async delete(community, id) {
      counter.writes++;
      cached.drop(key(community, id));
      return (await db.delete(messages).where(byId(community, id)).returning())[0];
    },
    recentInChannel: (community, channelId, since, limit = 50) =>
      db
        .select()
        .from(messages)
        .where(and(inCommunity(community), eq(messages.channelId, channelId), gte(messages.createdAt, since)))
        .orderBy(desc(messages.createdAt), desc(messages.rowId))
        .limit(limit),
    before: (community, channelId, message, since, limit = 50) =>
      db
        .select({ ...pick(messages, WINDOW_COLUMNS), authorName: members.name })
        .from(messages)
        .leftJoin(members, and(eq(members.communityId, messages.communityId), eq(members.id, messages.authorId)))
        .where(
          and(
            inCommunity(community),
            eq(messages.channelId, channelId),
            gte(messages.createdAt, since),
            or(lt(messages.createdAt, message.createdAt), and(eq(messages.createdAt, message.createdAt), lt(messages.rowId, message.rowId))),
          ),
        )
        .orderBy(desc(messages.createdAt), desc(messages.rowId))
        .limit(limit),
    inDiscussion: (community, discussionId) =>
      db
        .select()
        .from(messages)
        .where(and(inCommunity(community), or(eq(messages.discussionId, discussionId), eq(messages.id, discussionId), eq(messages.threadId, discussionId))))
        .orderBy(messages.createdAt, messages.rowId),
    repliesTo: (community, id) =>
      db
        .select()
        .from(messages)
        .where(and(inCommunity(community), or(eq(messages.replyTo, id), eq(messages.threadId, id))))
        .orderBy(messages.createdAt, messages.rowId),
    async discussionsTouchedAfter(community, afterRowId, since, limit) {
      const lastRowId = sql<number>`max(${messages.rowId})`.mapWith(Number);
      const rows = await db
        .select({ discussionId: messages.discussionId, lastRowId })
        .from(messages)
        .where(and(inCommunity(community), gt(messages.rowId, afterRowId), gte(messages.createdAt, since), eq(messages.authorIsBot, false), isNotNull(messages.discussionId)))
        .groupBy(messages.discussionId)
        .orderBy(asc(lastRowId))
        .limit(limit);
      return rows.filter((r): r is { discussionId: string; lastRowId: number } => r.discussionId !== null);
    },
    byAuthor: (community, authorId) => db.select().from(messages).where(and(inCommunity(community), eq(messages.authorId, authorId))),
    companionPostsNaming: (community, memberId) =>
      db
        .select()
        .from(messages)
        .where(
          and(
            inCommunity(community),
            eq(messages.isCompanion, true),
            or(sql`strpos(${messages.text}, ${`<@${memberId}>`}) > 0`, sql`strpos(${messages.text}, ${`<@${memberId}|`}) > 0`),
          ),
        ),
    inWindow: (community, since, until) =>
      db
        .select()
        .from(messages)
        .where(and(inCommunity(community), gte(messages.createdAt, since), lt(messages.createdAt, until)))
        .orderBy(messages.createdAt, messages.rowId),
    shapesInWindow: (community, since, until, { judgedWith } = {}) =>
      db
        .select(shapeColumns(messages, judgedWith === undefined ? undefined : sql`${judgedWith}::int`))
        .from(messages)
        .where(and(inCommunity(community), gte(messages.createdAt, since), lt(messages.createdAt, until), eq(messages.kind, 'message'), eq(messages.authorIsBot, false)))
        .orderBy(messages.createdAt, messages.rowId),
    async setVerdicts(community, judged) {
      // One statement per few thousand, the rows as arrays (unnest), each kept only if its text is unchanged.
      for (let start = 0; start < judged.length; start += VERDICTS_PER_STATEMENT) {
        const part = judged.slice(start, start + VERDICTS_PER_STATEMENT);
        counter.writes++;
        await db.execute(sql`
          UPDATE messages m SET verdicts = j.verdicts
          FROM unnest(${sql.param(part.map((j) => j.rowId))}::bigint[], ${sql.param(part.map((j) => j.text))}::text[], ${sql.param(part.map((j) => j.verdicts))}::int[]) AS j(row_id, text, verdicts)
          WHERE m.row_id = j.row_id AND m.community_id = ${community} AND m.text = j.text`);
      }
    },
    countByAuthor: (community, since, until) =>
      db
        .select({ authorId: messages.authorId, count: sql<number>`count(*)::int` })
        .from(messages)
        .where(humanPostedBetween(messages, community, since, until))
        .groupBy(messages.authorId),
    async quietAuthors(community, rule) {
      const result = await db.execute<{ author_id: string }>(quietAuthorsStatement(messages, alias(messages, 'later'), community, rule));
      return result.rows.map((r) => r.author_id);
    },
    async authorsBackAfterFirstPost(community, minGap, maxGap, memberId) {
      const rows = await db
        .selectDistinct({ authorId: messages.authorId })
        .from(members)
        .innerJoin(messages, and(eq(messages.communityId, members.communityId), eq(messages.authorId, members.id)))
        .where(
          and(
            eq(members.communityId, community),
            memberId === undefined ? undefined : eq(members.id, memberId),
            isNotNull(members.firstPostAt),
            humanMessage(community),
            gte(messages.createdAt, sql`${members.firstPostAt} + ${toMilliseconds(minGap)}`),
            lte(messages.createdAt, sql`${members.firstPostAt} + ${toMilliseconds(maxGap)}`),
          ),
        );
      return rows.map((r) => r.authorId);
    },
    async span(community) {
      const [row] = await db
        .select({ first: sql<number | null>`min(${messages.createdAt})`.mapWith(Number), last: sql<number | null>`max(${messages.createdAt})`.mapWith(Number) })
        .from(messages)
        .where(inCommunity(community));
      return row?.first != null && row.last != null ? { first: row.first, last: row.last } : null;
    },
    async purgeTextBefore(community, before) {
      counter.writes++;
      cached.clear();
      // The text and its index row go in one statement.
      const result = await db.execute<{ n: number }>(sql`
        WITH purged AS (
          UPDATE messages SET text = NULL, title = NULL, verdicts = NULL
          WHERE community_id = ${community} AND created_at < ${toMilliseconds(before)} AND text IS NOT NULL RETURNING row_id)
        , unindexed AS (DELETE FROM related_index WHERE row_id IN (SELECT row_id FROM purged))
        SELECT count(*)::int AS n FROM purged`);
      return result.rows[0].n;
    },
  };
}

/** Ids of the signals with this member as actor or subject (through the kind-first indexes, as on SQLite). */
const idsOfMember = (db: PgDb, community: string, memberId: string) =>
  db
    .select({ id: signals.id })
    .from(signals)
    .where(and(eq(signals.communityId, community), inArray(signals.kind, [...SIGNAL_KINDS]), or(eq(signals.actorId, memberId), eq(signals.subjectId, memberId))));

/** More signals of a kind than a batch keeps in memory for `involving` (then it asks the database each time, as outside a batch). */
const RECENT_LIMIT = 10_000;

/**
 * During a batch (history import): the signals of a kind in a community from a time on, read
 * once and kept with what the batch records. Reframing asks for every message whether its
 * author clashed with anyone lately (`involving`, conflicts); clashes are rare, so the answer
 * is almost always "no one", and asking the server costs a round trip and a plan a message.
 * Safe for the reason the batch's row caches are (../repositories/batch-cache.ts): every
 * signal write of the batch goes through this store, which records or drops here what it
 * writes; emptied when the batch ends or anything rolls back.
 */
export class RecentSignals {
  /** `rows: null`: more than RECENT_LIMIT from `from` on (asked of the database each time, not loaded again). */
  private readonly kinds = new Map<string, { from: number; rows: SignalRow[] | null }>();

  constructor(
    private readonly scope: BatchScope,
    private readonly limit = RECENT_LIMIT,
  ) {
    scope.defer({ flush: () => {}, discard: () => this.kinds.clear() });
  }

  get active(): boolean {
    return this.scope.active;
  }

  /** The kept rows from `from` on; null when there are too many to keep; undefined when not read that far back. */
  from(community: string, kind: string, from: number): SignalRow[] | null | undefined {
    const known = this.kinds.get(`${community}\u0000${kind}`);
    return known && known.from <= from ? known.rows : undefined;
  }

  keep(community: string, kind: string, from: number, rows: SignalRow[]): void {
    this.kinds.set(`${community}\u0000${kind}`, { from, rows: rows.length <= this.limit ? rows : null });
  }

  /** A signal the batch recorded. */
  add(row: SignalRow): void {
    const known = this.kinds.get(`${row.communityId}\u0000${row.kind}`);
    if (!known?.rows || row.at < known.from) return;
    known.rows.push(row);
    if (known.rows.length > this.limit) known.rows = null;
  }

  clear(): void {
    this.kinds.clear();
  }
}

export function signalsRepo(db: PgDb, recent: RecentSignals): SignalsRepository {
  const inCommunity = (community: string) => eq(signals.communityId, community);
  const p = sql.placeholder;
  // The statements a message runs (recording, help and mentorship, reframing): built once (./prepared.ts).
  const insertOne = once(() =>
    db
      .insert(signals)
      .values({ communityId: p('communityId'), kind: p('kind'), actorId: p('actorId'), subjectId: p('subjectId'), messageId: p('messageId'), channelId: p('channelId'), at: p('at'), data: sql`${p('data')}::jsonb`, dedupeKey: p('dedupeKey') })
      .onConflictDoNothing()
      .returning()
      .prepare(UNNAMED),
  );
  const helpReceived = (...conditions: SQL[]) =>
    db
      .select({ actorId: signals.actorId })
      .from(signals)
      .where(and(eq(signals.communityId, p('community')), eq(signals.kind, 'helped'), eq(signals.subjectId, p('mentee')), ...conditions));
  const mentorsBetween = once(() =>
    helpReceived(gte(signals.at, p('since')), lt(signals.at, p('before')), sql`${signals.actorId} <> ${p('recipient')}`)
      .unionAll(helpReceived(eq(signals.actorId, p('pending')), lt(signals.at, p('since')), sql`${p('hasPending')}::boolean`))
      .prepare(UNNAMED),
  );
  const latestOne = once(() =>
    db
      .select({ at: signals.at, subjectId: signals.subjectId })
      .from(signals)
      .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), eq(signals.actorId, p('actorId')), lt(signals.at, p('before'))))
      .orderBy(desc(signals.at), sql`${signals.subjectId} DESC NULLS LAST`)
      .limit(1)
      .prepare(UNNAMED),
  );
  const involvingIn = once(() =>
    db
      .select()
      .from(signals)
      .where(
        and(
          eq(signals.communityId, p('community')),
          eq(signals.kind, p('kind')),
          or(eq(signals.actorId, p('member')), eq(signals.subjectId, p('member'))),
          gte(signals.at, p('since')),
          lt(signals.at, p('until')),
        ),
      )
      .orderBy(desc(signals.at), desc(signals.id))
      .prepare(UNNAMED),
  );
  // A batch's window of one kind: everything from `since` on (bounded: RECENT_LIMIT + 1 tells "too many").
  const kindFrom = once(() =>
    db
      .select()
      .from(signals)
      .where(and(eq(signals.communityId, p('community')), eq(signals.kind, p('kind')), gte(signals.at, p('since'))))
      .limit(RECENT_LIMIT + 1)
      .prepare(UNNAMED),
  );
  return {
    async record(community, signal) {
      const row = signalRow(community, signal);
      // jsonb by hand: a placeholder's encoder would store SQL NULL as the JSON value null.
      const [inserted] = await insertOne().execute({ ...row, data: row.data === null ? null : JSON.stringify(row.data) });
      if (inserted && recent.active) recent.add(inserted);
      return inserted !== undefined;
    },
    async mentorsOf(community, mentee, recipient, previous, before) {
      const pending = pendingMentor(recipient, previous);
      const rows = await mentorsBetween().execute({
        community,
        mentee,
        since: toMilliseconds(previous?.at ?? 0),
        before: toMilliseconds(before),
        recipient,
        pending: pending ?? '',
        hasPending: pending !== null,
      });
      return [...new Set(rows.map((r) => r.actorId))];
    },
    list(community, options = {}) {
      const conditions = [inCommunity(community)];
      if (options.kind) conditions.push(eq(signals.kind, options.kind));
      if (options.since !== undefined) conditions.push(gte(signals.at, options.since));
      if (options.until !== undefined) conditions.push(lt(signals.at, options.until));
      if (options.dedupeKeyPrefix !== undefined) conditions.push(dedupeKeyStartsWith(signals, options.dedupeKeyPrefix));
      return db.select().from(signals).where(and(...conditions)).orderBy(asc(signals.at), asc(signals.id));
    },
    compact: (community, kind, since, until) =>
      db
        .select({ actorId: signals.actorId, subjectId: signals.subjectId, at: signals.at })
        .from(signals)
        .where(and(inCommunity(community), eq(signals.kind, kind), gte(signals.at, since), lt(signals.at, until)))
        .orderBy(asc(signals.at), asc(signals.id)),
    // The same as three JSON arrays: one row, not 100,000s (json_agg gives null over none).
    async compactColumns(community, kind, since, until) {
      const column = (c: Column) => sql<string>`coalesce(json_agg(${c} order by ${signals.at}, ${signals.id}), '[]')::text`;
      const [row] = await db
        .select({ actorId: column(signals.actorId), subjectId: column(signals.subjectId), at: column(signals.at) })
        .from(signals)
        .where(and(inCommunity(community), eq(signals.kind, kind), gte(signals.at, since), lt(signals.at, until)));
      return { actorId: JSON.parse(row.actorId), subjectId: JSON.parse(row.subjectId), at: JSON.parse(row.at) };
    },
    countByPair(community, options = {}) {
      const conditions = [inCommunity(community)];
      if (options.until !== undefined) conditions.push(lt(signals.at, options.until));
      return db
        .select({
          kind: signals.kind,
          actorId: signals.actorId,
          subjectId: signals.subjectId,
          count: sql<number>`count(*)::int`,
          lastAt: sql<number>`max(${signals.at})`.mapWith(Number),
        })
        .from(signals)
        .where(and(...conditions))
        .groupBy(signals.kind, signals.actorId, signals.subjectId);
    },
    async countByActor(community, actorId, kinds, since) {
      if (kinds.length === 0) return 0;
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(signals)
        .where(and(inCommunity(community), eq(signals.actorId, actorId), inArray(signals.kind, kinds), gte(signals.at, since)));
      return row.n;
    },
    latestBy: async (community, kind, actorId, before) => (await latestOne().execute({ community, kind, actorId, before: toMilliseconds(before) }))[0],
    between: (community, kind, a, b, since) =>
      db
        .select()
        .from(signals)
        .where(
          and(
            inCommunity(community),
            eq(signals.kind, kind),
            gte(signals.at, since),
            or(and(eq(signals.actorId, a), eq(signals.subjectId, b)), and(eq(signals.actorId, b), eq(signals.subjectId, a))),
          ),
        )
        .orderBy(desc(signals.at), desc(signals.id)),
    async involving(community, kind, memberId, since, until) {
      const [from, to] = [toMilliseconds(since), toMilliseconds(until)];
      if (!recent.active) return involvingIn().execute({ community, kind, member: memberId, since: from, until: to });
      let rows = recent.from(community, kind, from);
      if (rows === undefined) {
        recent.keep(community, kind, from, await kindFrom().execute({ community, kind, since: from }));
        rows = recent.from(community, kind, from);
      }
      if (!rows) return involvingIn().execute({ community, kind, member: memberId, since: from, until: to });
      return rows
        .filter((r) => (r.actorId === memberId || r.subjectId === memberId) && r.at >= from && r.at < to)
        .sort((a, b) => b.at - a.at || b.id - a.id);
    },
    async deleteForMember(community, memberId) {
      recent.clear();
      return changed(await db.delete(signals).where(inArray(signals.id, idsOfMember(db, community, memberId))));
    },
    forMember: (community, memberId) => db.select().from(signals).where(inArray(signals.id, idsOfMember(db, community, memberId))),
    forSubject: (community, kind, subjectId) =>
      db
        .select()
        .from(signals)
        .where(and(inCommunity(community), eq(signals.kind, kind), eq(signals.subjectId, subjectId)))
        .orderBy(asc(signals.at)),
    async purgeTextBefore(community, before) {
      recent.clear();
      return changed(
        await db
          .update(signals)
          .set({ data: sql`${signals.data} - ${SIGNAL_TEXT_KEY}::text` })
          .where(and(signalTextBefore(signals, community, before), sql`${signals.data} -> ${SIGNAL_TEXT_KEY}::text is not null`)),
      );
    },
  };
}
