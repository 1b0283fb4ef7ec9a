/**
 * SQLite FTS5 implementation of the core's `RelatedSearch` (the index and its triggers are
 * in drizzle/0001_related_search.sql). It finds candidate discussions and returns their
 * readable human messages plus per-community statistics; the core ranks them.
 *
 * Safety: the only text that reaches MATCH is built here from letter/digit terms, each
 * double-quoted, so no user input can form FTS syntax. Every query filters on the
 * community and on the channels the asker can read, message by message, so a private
 * thread's replies never leak through a public discussion.
 */
import type { DatabaseHandle } from '../connection';
import type {
  CandidateDiscussion,
  CandidateRequest,
  CandidateResult,
  DiscussionMessage,
  DiscussionSignal,
  RelatedSearch,
} from '../../core/search/types';

/** Indexed = what the triggers put in related_fts. */
const INDEXED = `m.text IS NOT NULL AND m.author_is_bot = 0 AND m.is_companion = 0 AND m.kind = 'message'`;
const READABLE = `m.channel_id IN (SELECT value FROM json_each(@channels))`;
/** Messages read per candidate discussion (its opening): bounds the cost of long threads. */
const MESSAGES_PER_DISCUSSION = 40;
/** Messages scanned to pick candidate discussions (several messages may share one). */
const SCAN_FACTOR = 4;

interface MessageJoinRow {
  id: string;
  discussionId: string;
  channelId: string;
  authorId: string;
  authorName: string | null;
  text: string;
  title: string | null;
  replyTo: string | null;
  createdAt: number;
}

export function relatedSearchRepo(handle: DatabaseHandle): RelatedSearch {
  const { sqlite } = handle;

  const searchStatement = sqlite.prepare(`
    SELECT m.discussion_id AS discussionId
    FROM related_fts f JOIN messages m ON m.row_id = f.rowid
    WHERE related_fts MATCH @match AND m.community_id = @community AND ${READABLE}
      AND m.discussion_id NOT IN (SELECT value FROM json_each(@exclude))
    ORDER BY bm25(related_fts, 2.0, 1.0)
    LIMIT @scan`);
  // The opening of each discussion (question + first replies) is what ranking and the
  // one-line explanation need; a very long thread is cut at MESSAGES_PER_DISCUSSION so one
  // busy discussion cannot make every search slow.
  const messagesStatement = sqlite.prepare(`
    SELECT id, discussionId, channelId, authorId, authorName, text, title, replyTo, createdAt FROM (
      SELECT m.id, m.discussion_id AS discussionId, m.channel_id AS channelId, m.author_id AS authorId,
             mem.name AS authorName, m.text, m.title, m.reply_to AS replyTo, m.created_at AS createdAt, m.row_id AS rowId,
             row_number() OVER (PARTITION BY m.discussion_id ORDER BY m.created_at, m.row_id) AS position
      FROM messages m LEFT JOIN members mem ON mem.community_id = m.community_id AND mem.id = m.author_id
      WHERE m.community_id = @community AND m.discussion_id IN (SELECT value FROM json_each(@discussions))
        AND ${INDEXED} AND ${READABLE}
    ) WHERE position <= ${MESSAGES_PER_DISCUSSION}
    ORDER BY createdAt, rowId`);
  const signalsStatement = sqlite.prepare(`
    SELECT kind, actor_id AS actorId, subject_id AS subjectId, message_id AS messageId,
           (dedupe_key LIKE 'helped:accepted:%') AS accepted
    FROM signals
    WHERE community_id = @community AND kind IN ('thanked', 'helped')
      AND message_id IN (SELECT value FROM json_each(@messages))`);
  const recordStatement = sqlite.prepare(`
    SELECT who, count(*) AS n FROM (
      SELECT actor_id AS who FROM signals WHERE community_id = @community AND kind = 'helped'
      UNION ALL
      SELECT subject_id AS who FROM signals WHERE community_id = @community AND kind = 'thanked'
    ) WHERE who IN (SELECT value FROM json_each(@authors)) GROUP BY who`);
  const documentsStatement = sqlite.prepare(`
    SELECT count(*) AS n FROM messages m WHERE m.community_id = @community AND ${INDEXED} AND ${READABLE}`);
  const frequencyStatement = sqlite.prepare(`
    SELECT count(*) AS n FROM related_fts f JOIN messages m ON m.row_id = f.rowid
    WHERE related_fts MATCH @match AND m.community_id = @community AND ${READABLE}`);

  // Corpus statistics (for IDF) cost a scan of every matching message: keep them until the
  // database changes (total_changes() moves on any write through this connection).
  const changesStatement = sqlite.prepare('SELECT total_changes() AS n');
  let statsVersion = -1;
  const statsCache = new Map<string, number>();
  const cachedCount = (key: string, compute: () => number): number => {
    const version = (changesStatement.get() as { n: number }).n;
    if (version !== statsVersion) {
      statsVersion = version;
      statsCache.clear();
    }
    let value = statsCache.get(key);
    if (value === undefined) {
      value = compute();
      if (statsCache.size > 10_000) statsCache.clear();
      statsCache.set(key, value);
    }
    return value;
  };

  return {
    async candidates(request: CandidateRequest): Promise<CandidateResult> {
      const empty: CandidateResult = { discussions: [], documents: 0, documentFrequency: {}, helperRecord: {} };
      const channels = JSON.stringify([...request.readableChannelIds]);
      if (request.readableChannelIds.size === 0) return empty;
      const community = request.community;
      const exclude = new Set(request.excludeDiscussionIds ?? []);
      const terms = request.terms.filter((t) => /^[\p{L}\p{N}]+$/u.test(t.word));

      let discussionIds: string[];
      if (request.onlyDiscussionIds) {
        discussionIds = [...new Set(request.onlyDiscussionIds)].filter((id) => !exclude.has(id));
      } else {
        if (terms.length === 0 || request.limit <= 0) return empty;
        const match = terms.map((t) => `"${t.word}"`).join(' OR ');
        const rows = searchStatement.all({
          match,
          community,
          channels,
          exclude: JSON.stringify([...exclude]),
          scan: request.limit * SCAN_FACTOR,
        }) as { discussionId: string }[];
        discussionIds = [...new Set(rows.map((r) => r.discussionId))].slice(0, request.limit);
      }
      if (discussionIds.length === 0) return empty;

      const rows = messagesStatement.all({ community, channels, discussions: JSON.stringify(discussionIds) }) as MessageJoinRow[];
      const byDiscussion = new Map<string, CandidateDiscussion>();
      for (const id of discussionIds) byDiscussion.set(id, { id, channelId: '', messages: [], signals: [] });
      for (const row of rows) {
        const discussion = byDiscussion.get(row.discussionId)!;
        if (discussion.messages.length === 0) discussion.channelId = row.channelId;
        discussion.messages.push(toMessage(row));
      }
      const discussions = [...byDiscussion.values()].filter((d) => d.messages.length > 0);

      const messageIds = rows.map((r) => r.id);
      const discussionOf = new Map(rows.map((r) => [r.id, byDiscussion.get(r.discussionId)!]));
      const signals = (signalsStatement.all({ community, messages: JSON.stringify(messageIds) }) as (Omit<DiscussionSignal, 'accepted'> & { accepted: number })[]).map(
        (signal): DiscussionSignal => ({ ...signal, accepted: signal.accepted === 1 }),
      );
      for (const signal of signals) discussionOf.get(signal.messageId!)?.signals.push(signal);

      const authors = [...new Set(rows.map((r) => r.authorId))];
      const helperRecord: Record<string, number> = {};
      for (const r of recordStatement.all({ community, authors: JSON.stringify(authors) }) as { who: string; n: number }[]) {
        helperRecord[r.who] = r.n;
      }

      const scope = `${community}\u0000${channels}`;
      const documents = cachedCount(`docs\u0000${scope}`, () => (documentsStatement.get({ community, channels }) as { n: number }).n);
      const documentFrequency: Record<string, number> = {};
      for (const term of terms) {
        if (term.stem in documentFrequency) continue;
        documentFrequency[term.stem] = cachedCount(
          `df\u0000${term.word}\u0000${scope}`,
          () => (frequencyStatement.get({ match: `"${term.word}"`, community, channels }) as { n: number }).n,
        );
      }
      return { discussions, documents, documentFrequency, helperRecord };
    },
  };
}

function toMessage(row: MessageJoinRow): DiscussionMessage {
  return {
    id: row.id,
    authorId: row.authorId,
    authorName: row.authorName ?? row.authorId,
    text: row.text,
    title: row.title,
    replyTo: row.replyTo,
    createdAt: row.createdAt,
  };
}
