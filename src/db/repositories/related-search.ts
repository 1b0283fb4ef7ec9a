/**
 * Related search on SQLite: the FTS5 index (drizzle/0001_related_search.sql, rebuilt in
 * 0015; per-channel document counts in `related_documents`) behind the shared candidate
 * search (../related-candidates.ts), which the core's ranker reads.
 *
 * Safety: the only text that reaches MATCH is built here from letter/digit terms, each
 * double-quoted, so no user input can form FTS syntax.
 */
import type { DatabaseHandle } from '../connection';
import type { DiscussionSignal, RelatedSearch } from '../../core/search/types';
import { FREQUENCY_SAMPLE, MESSAGES_PER_DISCUSSION, relatedSearch, type CandidateIndex, type MessageJoinRow, type Scope } from '../related-candidates';

export { bestFirst } from '../related-candidates';

/** Indexed = what the triggers put in related_fts. */
const INDEXED = `m.text IS NOT NULL AND m.author_is_bot = 0 AND m.is_companion = 0 AND m.kind = 'message'`;
const READABLE = `m.channel_id IN (SELECT value FROM json_each(@channels))`;

export function relatedSearchRepo(handle: DatabaseHandle): RelatedSearch {
  const { sqlite } = handle;
  const bind = (scope: Scope) => ({ community: scope.community, channels: JSON.stringify(scope.channels) });

  // Row ids of a MATCH as one JSON array: about twice as fast as stepping through thousands of rows.
  const postingsStatement = sqlite.prepare('SELECT json_group_array(rowid) FROM related_fts WHERE related_fts MATCH ?').pluck();
  const recentStatement = sqlite.prepare('SELECT rowid FROM related_fts WHERE related_fts MATCH ? ORDER BY rowid DESC LIMIT ?').pluck();
  const countStatement = sqlite.prepare('SELECT count(*) FROM related_fts WHERE related_fts MATCH ?').pluck();
  // The scope check: community, readable channel, discussion of candidate messages. CROSS
  // JOIN keeps SQLite looking messages up by row id, never scanning the community's channels.
  const scopeStatement = sqlite.prepare(`
    SELECT m.row_id, m.discussion_id, m.id = m.discussion_id
    FROM json_each(@rows) r CROSS JOIN messages m ON m.row_id = r.value
    WHERE m.community_id = @community AND ${READABLE}`).raw();
  // Exhaustive fallback (the scope check found too little among the best candidates, e.g. a
  // small community whose words are common in another one sharing the database).
  const exhaustiveStatement = sqlite.prepare(`
    SELECT m.discussion_id AS discussionId
    FROM related_fts f JOIN messages m ON m.row_id = f.rowid
    WHERE related_fts MATCH @match AND m.community_id = @community AND ${READABLE}
      AND m.discussion_id NOT IN (SELECT value FROM json_each(@exclude))
    ORDER BY bm25(related_fts, 2.0, 1.0)
    LIMIT @scan`);
  // The opening of each discussion (question + first replies) is what ranking and the
  // one-line explanation need; a very long thread is cut at MESSAGES_PER_DISCUSSION so one
  // busy discussion cannot make every search slow. Sorted and named in JS (cheaper than a
  // final ORDER BY and a members join per row).
  const messagesStatement = sqlite.prepare(`
    SELECT id, discussionId, channelId, authorId, text, title, replyTo, createdAt, rowId, transcribed FROM (
      SELECT m.id, m.discussion_id AS discussionId, m.channel_id AS channelId, m.author_id AS authorId,
             m.text, m.title, m.reply_to AS replyTo, m.created_at AS createdAt, m.row_id AS rowId, m.transcribed,
             row_number() OVER (PARTITION BY m.discussion_id ORDER BY m.created_at, m.row_id) AS position
      FROM json_each(@discussions) d CROSS JOIN messages m ON m.community_id = @community AND m.discussion_id = d.value
      WHERE ${INDEXED} AND ${READABLE}
    ) WHERE position <= ${MESSAGES_PER_DISCUSSION}`);
  const namesStatement = sqlite.prepare(`
    SELECT mem.id, mem.name FROM json_each(@authors) a CROSS JOIN members mem ON mem.community_id = @community AND mem.id = a.value`);
  // Thanks and accepted answers (✅), by message: the partial index signals_related_idx
  // (the ranker has no use for the helped signal nearly every reply carries). The condition
  // is the index's own, word for word, or SQLite would not use the index.
  const signalsStatement = sqlite.prepare(`
    SELECT s.kind, s.actor_id AS actorId, s.subject_id AS subjectId, s.message_id AS messageId, s.kind = 'helped' AS accepted
    FROM json_each(@messages) j CROSS JOIN signals s ON s.community_id = @community AND s.message_id = j.value
    WHERE (+s.kind = 'thanked' OR s.dedupe_key GLOB 'helped:accepted:*')`);
  // Per author, two index range counts, each stopped at the cap (prolific helpers have thousands).
  // Zeros are dropped in JS: an outer `WHERE n > 0` made SQLite evaluate both counts twice.
  const recordStatement = sqlite.prepare(`
    SELECT a.value AS who,
      (SELECT count(*) FROM (SELECT 1 FROM signals WHERE community_id = @community AND kind = 'helped' AND actor_id = a.value LIMIT @cap))
      + (SELECT count(*) FROM (SELECT 1 FROM signals WHERE community_id = @community AND kind = 'thanked' AND subject_id = a.value LIMIT @cap)) AS n
    FROM json_each(@authors) a`);
  const documentsStatement = sqlite
    .prepare('SELECT coalesce(sum(documents), 0) FROM related_documents WHERE community_id = @community AND channel_id IN (SELECT value FROM json_each(@channels))')
    .pluck();
  const allDocumentsStatement = sqlite.prepare('SELECT coalesce(sum(documents), 0) FROM related_documents').pluck();
  const scopedCountStatement = sqlite
    .prepare(`SELECT count(*) FROM related_fts f JOIN messages m ON m.row_id = f.rowid WHERE related_fts MATCH @match AND m.community_id = @community AND ${READABLE}`)
    .pluck();
  const sampledCountStatement = sqlite
    .prepare(`
      SELECT count(*) FROM (SELECT rowid FROM related_fts WHERE related_fts MATCH @match ORDER BY rowid DESC LIMIT ${FREQUENCY_SAMPLE}) f
      JOIN messages m ON m.row_id = f.rowid WHERE m.community_id = @community AND ${READABLE}`)
    .pluck();
  const changesStatement = sqlite.prepare('SELECT total_changes()').pluck();

  const index: CandidateIndex = {
    word: (token) => `"${token.word}"`,
    inTitle: (word) => `{title}: ${word}`,
    withAny: (word, others) => `${word} AND (${others.join(' OR ')})`,
    anyOf: (words) => words.join(' OR '),
    corpus: async () => ({ changes: changesStatement.get() as number, documents: allDocumentsStatement.get() as number }),
    documents: async (scope) => documentsStatement.get(bind(scope)) as number,
    count: async (match) => countStatement.get(match) as number,
    countInScope: async (match, scope) => scopedCountStatement.get({ match, ...bind(scope) }) as number,
    countInScopeOfLatest: async (match, scope) => sampledCountStatement.get({ match, ...bind(scope) }) as number,
    postings: async (match) => JSON.parse(postingsStatement.get(match) as string),
    latest: async (match, limit) => recentStatement.all(match, limit) as number[],
    inScope: async (rows, scope) =>
      (scopeStatement.all({ rows: JSON.stringify(rows), ...bind(scope) }) as [number, string | null, number][]).map(([rowId, discussionId, opener]) => ({
        rowId,
        discussionId,
        opener: opener === 1,
      })),
    bestDiscussions: async (match, scope, exclude, limit) =>
      (exhaustiveStatement.all({ match, ...bind(scope), exclude: JSON.stringify(exclude), scan: limit }) as { discussionId: string | null }[])
        .map((r) => r.discussionId)
        .filter((id): id is string => id !== null),
    openings: async (scope, discussionIds) =>
      (messagesStatement.all({ ...bind(scope), discussions: JSON.stringify(discussionIds) }) as (Omit<MessageJoinRow, 'transcribed'> & { transcribed: number })[]).map((row) => ({
        ...row,
        transcribed: row.transcribed === 1,
      })),
    names: async (community, authors) => namesStatement.all({ community, authors: JSON.stringify(authors) }) as { id: string; name: string }[],
    usefulness: async (community, messageIds) =>
      (signalsStatement.all({ community, messages: JSON.stringify(messageIds) }) as (Omit<DiscussionSignal, 'accepted'> & { accepted: number })[]).map(
        (signal): DiscussionSignal => ({ ...signal, accepted: signal.accepted === 1 }),
      ),
    helperRecords: async (community, authors, cap) => recordStatement.all({ community, authors: JSON.stringify(authors), cap }) as { who: string; n: number }[],
  };
  return relatedSearch(index);
}
