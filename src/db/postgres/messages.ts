/**
 * Messages and signals on PostgreSQL (the SQLite ones: ../repositories/messages.ts,
 * signals.ts). A searchable message's index row (related_index) is written in the same
 * statement as the message and goes with it (ON DELETE CASCADE).
 */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, notExists, or, sql, type Column, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { SIGNAL_KINDS, type MessageRow, type MessagesRepository, type SignalsRepository } from '../../core/storage';
import { isSearchable, messageRow, pendingMentor, pick, shapeColumns, signalRow, WINDOW_COLUMNS, humanMessageIn, humanPostedBetween } from '../rules';
import type { PgDb } from './connection';
import type { BatchRows } from './batch-rows';
import { indexTerms, type WriteCounter } from './related';
import { members, messages, relatedIndex, signals, toMilliseconds } from './schema';

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
          .set({ text, editedAt: at, ...(title !== undefined ? { title } : {}) })
          .where(byId(community, id))
          .returning();
        if (row) await reindex(tx, row);
        return row !== undefined;
      }),
    setTranscript: (community, id, text) =>
      db.transaction(async (tx) => {
        counter.writes++;
        cached.drop(key(community, id));
        const [row] = await tx.update(messages).set({ text, transcribed: true }).where(and(byId(community, id), eq(messages.transcribed, false))).returning();
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
    shapesInWindow: (community, since, until) =>
      db
        .select(shapeColumns(messages))
        .from(messages)
        .where(and(inCommunity(community), gte(messages.createdAt, since), lt(messages.createdAt, until), eq(messages.kind, 'message'), eq(messages.authorIsBot, false)))
        .orderBy(messages.createdAt, messages.rowId),
    countByAuthor: (community, since, until) =>
      db
        .select({ authorId: messages.authorId, count: sql<number>`count(*)::int` })
        .from(messages)
        .where(humanPostedBetween(messages, community, since, until))
        .groupBy(messages.authorId),
    async quietAuthors(community, { since, quietSince, until, atLeast, authorId }) {
      const regulars = db
        .select({ authorId: messages.authorId })
        .from(messages)
        .where(and(humanPostedBetween(messages, community, since, quietSince), authorId === undefined ? undefined : eq(messages.authorId, authorId)))
        .groupBy(messages.authorId)
        .having(sql`count(*) >= ${atLeast}`)
        .as('regulars');
      // One probe of messages_author_time_idx per regular, not a second count of every author.
      const later = alias(messages, 'later');
      const rows = await db
        .select({ authorId: regulars.authorId })
        .from(regulars)
        .where(notExists(db.select({ one: sql`1` }).from(later).where(and(humanPostedBetween(later, community, quietSince, until), eq(later.authorId, regulars.authorId)))));
      return rows.map((r) => r.authorId);
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
          UPDATE messages SET text = NULL, title = NULL
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

export function signalsRepo(db: PgDb): SignalsRepository {
  const inCommunity = (community: string) => eq(signals.communityId, community);
  const helpReceived = (community: string, mentee: string, ...conditions: SQL[]) =>
    db
      .select({ actorId: signals.actorId })
      .from(signals)
      .where(and(inCommunity(community), eq(signals.kind, 'helped'), eq(signals.subjectId, mentee), ...conditions));
  return {
    record: async (community, signal) =>
      changed(
        await db
          .insert(signals)
          .values(signalRow(community, signal))
          .onConflictDoNothing(),
      ) > 0,
    async mentorsOf(community, mentee, recipient, previous, before) {
      const since = previous?.at ?? 0;
      const pending = pendingMentor(recipient, previous);
      const rows = await helpReceived(community, mentee, gte(signals.at, since), lt(signals.at, before), sql`${signals.actorId} <> ${recipient}`).unionAll(
        helpReceived(community, mentee, eq(signals.actorId, pending ?? ''), lt(signals.at, since), sql`${pending !== null}`),
      );
      return [...new Set(rows.map((r) => r.actorId))];
    },
    list(community, options = {}) {
      const conditions = [inCommunity(community)];
      if (options.kind) conditions.push(eq(signals.kind, options.kind));
      if (options.since !== undefined) conditions.push(gte(signals.at, options.since));
      if (options.until !== undefined) conditions.push(lt(signals.at, options.until));
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
    latestBy: async (community, kind, actorId, before) =>
      (
        await db
          .select({ at: signals.at, subjectId: signals.subjectId })
          .from(signals)
          .where(and(inCommunity(community), eq(signals.kind, kind), eq(signals.actorId, actorId), lt(signals.at, before)))
          .orderBy(desc(signals.at), sql`${signals.subjectId} DESC NULLS LAST`)
          .limit(1)
      )[0],
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
    involving: (community, kind, memberId, since, until) =>
      db
        .select()
        .from(signals)
        .where(and(inCommunity(community), eq(signals.kind, kind), or(eq(signals.actorId, memberId), eq(signals.subjectId, memberId)), gte(signals.at, since), lt(signals.at, until)))
        .orderBy(desc(signals.at), desc(signals.id)),
    deleteForMember: async (community, memberId) => changed(await db.delete(signals).where(inArray(signals.id, idsOfMember(db, community, memberId)))),
    forMember: (community, memberId) => db.select().from(signals).where(inArray(signals.id, idsOfMember(db, community, memberId))),
    forSubject: (community, kind, subjectId) =>
      db
        .select()
        .from(signals)
        .where(and(inCommunity(community), eq(signals.kind, kind), eq(signals.subjectId, subjectId)))
        .orderBy(asc(signals.at)),
  };
}
