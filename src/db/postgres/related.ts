/**
 * Related search on PostgreSQL: `related_index` holds each searchable message's stems as a
 * weighted tsvector (title A, body B) under a GIN index, and `related_documents` (kept by
 * triggers, drizzle-postgres/0001) counts them per channel. The stems are the core's own
 * (src/core/search/text.ts: unicode61-style words, stop words, Porter stems), written as a
 * tsvector literal, so a word matches here exactly when the ranker counts it and the
 * candidates are the ones SQLite's FTS5 index gives. The search itself is shared
 * (../related-candidates.ts).
 *
 * Safety: stems are letters and digits only, each quoted; no user text reaches a tsquery
 * otherwise.
 */
import { sql, type SQL } from 'drizzle-orm';
import { tokens, type Token } from '../../core/search/text';
import type { DiscussionSignal, RelatedSearch } from '../../core/search/types';
import { MESSAGES_PER_DISCUSSION, relatedSearch, type CandidateIndex, type MessageJoinRow, type Scope } from '../related-candidates';
import type { PgDb } from './connection';

/** tsvector positions stop at 16383; later words keep that position (only presence matters here). */
const MAX_POSITION = 16_383;

/** The tsvector literal of a message: its title's stems weighted A, its body's B. */
export function indexTerms(title: string | null, text: string): string {
  const lexemes: string[] = [];
  let position = 0;
  for (const [part, weight] of [[title ?? '', 'A'], [text, 'B']] as const) {
    for (const token of tokens(part)) lexemes.push(`'${token.stem}':${Math.min(++position, MAX_POSITION)}${weight}`);
  }
  return lexemes.join(' ');
}

/** Writes to messages through this process: with the document count, when statistics are stale. */
export interface WriteCounter {
  writes: number;
}

export function relatedSearchRepo(db: PgDb, counter: WriteCounter): RelatedSearch {
  const rows = async <T>(query: SQL): Promise<T[]> => (await db.execute(query)).rows as T[];
  const one = async (query: SQL): Promise<number> => Number(Object.values((await rows<Record<string, unknown>>(query))[0])[0]);
  const tsquery = (query: string) => sql`${query}::tsquery`;
  const inScope = (scope: Scope, alias = 'r') => sql`${sql.raw(alias)}.community_id = ${scope.community} AND ${sql.raw(alias)}.channel_id = ANY(${sql.param(scope.channels)}::text[])`;

  const index: CandidateIndex = {
    word: (token: Token) => `'${token.stem}'`,
    inTitle: (word) => `${word}:A`,
    withAny: (word, others) => `${word} & (${others.join(' | ')})`,
    anyOf: (words) => words.join(' | '),
    corpus: async () => ({ changes: counter.writes, documents: await one(sql`SELECT coalesce(sum(documents), 0)::int8 FROM related_documents`) }),
    documents: (scope) => one(sql`SELECT coalesce(sum(documents), 0)::int8 FROM related_documents r WHERE ${inScope(scope)}`),
    count: (query) => one(sql`SELECT count(*) FROM related_index WHERE terms @@ ${tsquery(query)}`),
    countInScope: (query, scope) => one(sql`SELECT count(*) FROM related_index r WHERE terms @@ ${tsquery(query)} AND ${inScope(scope)}`),
    countInScopeOfLatest: (query, scope, sample) =>
      one(sql`SELECT count(*) FROM (SELECT community_id, channel_id FROM related_index WHERE terms @@ ${tsquery(query)} ORDER BY row_id DESC LIMIT ${sample}) r WHERE ${inScope(scope)}`),
    // One JSON array: node-postgres would hand back int8 values as strings.
    postings: async (query) => (await rows<{ ids: number[] }>(sql`SELECT coalesce(json_agg(row_id), '[]') AS ids FROM related_index WHERE terms @@ ${tsquery(query)}`))[0].ids,
    latest: async (query, limit) =>
      (await rows<{ ids: number[] }>(sql`SELECT coalesce(json_agg(row_id), '[]') AS ids FROM (SELECT row_id FROM related_index WHERE terms @@ ${tsquery(query)} ORDER BY row_id DESC LIMIT ${limit}) r`))[0].ids,
    inScope: async (candidates, scope) =>
      (
        await rows<{ row_id: string; discussion_id: string | null; opener: boolean }>(sql`
          SELECT m.row_id, m.discussion_id, m.id = m.discussion_id AS opener FROM messages m
          WHERE m.row_id = ANY(${sql.param(candidates)}::int8[]) AND ${inScope(scope, 'm')}`)
      ).map((r) => ({ rowId: Number(r.row_id), discussionId: r.discussion_id, opener: r.opener === true })),
    // Title words count double, as bm25(2.0, 1.0) weighs them on SQLite.
    bestDiscussions: async (query, scope, exclude, limit) =>
      (
        await rows<{ discussion_id: string }>(sql`
          SELECT m.discussion_id FROM related_index r JOIN messages m ON m.row_id = r.row_id
          WHERE r.terms @@ ${tsquery(query)} AND ${inScope(scope)} AND m.discussion_id <> ALL(${sql.param(exclude)}::text[])
          ORDER BY ts_rank('{0, 0, 0.5, 1}', r.terms, ${tsquery(query)}) DESC, r.row_id DESC
          LIMIT ${limit}`)
      ).map((r) => r.discussion_id),
    openings: async (scope, discussionIds) =>
      (
        await rows<MessageJoinRow & { createdAt: string; rowId: string }>(sql`
          SELECT id, "discussionId", "channelId", "authorId", text, title, "replyTo", "createdAt", "rowId", transcribed FROM (
            SELECT m.id, m.discussion_id AS "discussionId", m.channel_id AS "channelId", m.author_id AS "authorId",
                   m.text, m.title, m.reply_to AS "replyTo", m.created_at AS "createdAt", m.row_id AS "rowId", m.transcribed,
                   row_number() OVER (PARTITION BY m.discussion_id ORDER BY m.created_at, m.row_id) AS position
            FROM related_index r JOIN messages m ON m.row_id = r.row_id
            WHERE ${inScope(scope)} AND m.community_id = ${scope.community} AND m.discussion_id = ANY(${sql.param(discussionIds)}::text[])
          ) d WHERE position <= ${MESSAGES_PER_DISCUSSION}`)
      ).map((r) => ({ ...r, createdAt: Number(r.createdAt), rowId: Number(r.rowId) })),
    names: (community, authors) => rows(sql`SELECT id, name FROM members WHERE community_id = ${community} AND id = ANY(${sql.param(authors)}::text[])`),
    // The condition is signals_related_idx's own.
    usefulness: (community, messageIds) =>
      rows<DiscussionSignal>(sql`
        SELECT kind, actor_id AS "actorId", subject_id AS "subjectId", message_id AS "messageId", kind = 'helped' AS accepted
        FROM signals WHERE community_id = ${community} AND message_id = ANY(${sql.param(messageIds)}::text[])
          AND (kind = 'thanked' OR dedupe_key LIKE 'helped:accepted:%')`),
    // Per author, two index range counts, each stopped at the cap (LIMIT NULL: all).
    helperRecords: async (community, authors, cap) =>
      (
        await rows<{ who: string; n: string }>(sql`
          SELECT a.who,
            (SELECT count(*) FROM (SELECT 1 FROM signals WHERE community_id = ${community} AND kind = 'helped' AND actor_id = a.who LIMIT ${cap < 0 ? null : cap}) h)
            + (SELECT count(*) FROM (SELECT 1 FROM signals WHERE community_id = ${community} AND kind = 'thanked' AND subject_id = a.who LIMIT ${cap < 0 ? null : cap}) t) AS n
          FROM unnest(${sql.param(authors)}::text[]) AS a(who)`)
      ).map((r) => ({ who: r.who, n: Number(r.n) })),
  };
  return relatedSearch(index);
}
