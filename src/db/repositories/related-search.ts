/**
 * SQLite FTS5 implementation of the core's `RelatedSearch` (the index and its triggers are
 * in drizzle/0001_related_search.sql, per-channel document counts in 0003). It finds
 * candidate discussions and returns their readable human messages plus per-community
 * statistics; the core ranks them.
 *
 * Cost: a query's words are common (their postings run to tens of thousands at a million
 * messages), so nothing here scores or joins every matching message. Candidates are the
 * messages with one of the rarest query words (all of them, up to RARE_POSTINGS) or with a
 * common word next to a rare one; each gets the summed IDF of its words, and only the best
 * ones are looked up in `messages` (community, readable channel, discussion), which groups
 * them by discussion. Document frequencies
 * are counted inside the index, not through `messages`, and kept until the corpus moves on.
 *
 * Safety: the only text that reaches MATCH is built here from letter/digit terms, each
 * double-quoted, so no user input can form FTS syntax. Every candidate is checked against
 * the community and the channels the asker can read, message by message, before any of its
 * text is read, so a private thread's replies never leak through a public discussion.
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
import type { Token } from '../../core/search/text';

/** Indexed = what the triggers put in related_fts. */
const INDEXED = `m.text IS NOT NULL AND m.author_is_bot = 0 AND m.is_companion = 0 AND m.kind = 'message'`;
const READABLE = `m.channel_id IN (SELECT value FROM json_each(@channels))`;
/** Messages read per candidate discussion (its opening): bounds the cost of long threads. */
const MESSAGES_PER_DISCUSSION = 40;
/** Candidate messages checked per round for each discussion wanted (several may share one). */
const SCAN_FACTOR = 4;
/** Postings of the rarest query words read in full: every message with one of them is a candidate. */
const RARE_POSTINGS = 3000;
/** Common query words looked up (only next to a rarer one), rarest first. */
const MAX_COMMON_TERMS = 8;
/** Postings of all query words looked up: commoner words beyond it are left out of the search (not of the ranking). */
const COMMON_POSTINGS = 30_000;
/** Candidate messages checked per discussion wanted (to see several messages of each). */
const CHECK_FACTOR = 8;
/** What a rare word in the opening message's title adds (the ranker weighs titles double). */
const TITLE_EXTRA = 0.5;
/** What a word found only in replies counts for, next to the same word in the opening message. */
const REPLY_SHARE = 0.4;
/** Most candidate messages checked against the asker's scope before the exhaustive search. */
const MAX_CHECKED = 4000;
/** Scoped document frequency: counted exactly up to this many postings, else estimated from the latest this many. */
const FREQUENCY_SAMPLE = 2000;

interface MessageJoinRow {
  id: string;
  discussionId: string;
  channelId: string;
  authorId: string;
  text: string;
  title: string | null;
  replyTo: string | null;
  createdAt: number;
  rowId: number;
  transcribed: number;
}

/** Candidate message row ids, best first, and what the search knows of each. */
interface CandidateRows {
  terms: TermStats[];
  order: Float64Array;
  mask(row: number): number;
  title(row: number): number;
  score(row: number): number;
}

/** A query term with its statistics: postings in the whole index, documents in the asker's scope. */
interface TermStats {
  word: string;
  stem: string;
  match: string;
  postings: number;
  frequency: number;
  /** Counted, not estimated, and none in scope: no candidate can come from it. */
  absent: boolean;
  idf: number;
}

export function relatedSearchRepo(handle: DatabaseHandle): RelatedSearch {
  const { sqlite } = handle;

  // Row ids of a MATCH as one JSON array: about twice as fast as stepping through thousands of rows.
  const postingsStatement = sqlite.prepare('SELECT json_group_array(rowid) FROM related_fts WHERE related_fts MATCH ?').pluck();
  const postings = (match: string): number[] => JSON.parse(postingsStatement.get(match) as string);
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

  // Statistics (document frequencies, helpers' records) cost a walk over postings or index
  // entries: keep them while the corpus has moved by less than 1% (writes through this
  // connection plus documents added or removed by anyone). A small corpus recounts after any
  // write; a large one every few thousand messages.
  type Corpus = { changes: number; documents: number };
  const changesStatement = sqlite.prepare('SELECT total_changes()').pluck();
  const statsCache = new Map<string, { value: number } & Corpus>();
  const corpusNow = (): Corpus => ({ changes: changesStatement.get() as number, documents: allDocumentsStatement.get() as number });
  const cached = (key: string, now: Corpus): number | undefined => {
    const hit = statsCache.get(key);
    if (hit && Math.abs(now.changes - hit.changes) + Math.abs(now.documents - hit.documents) <= hit.documents / 100) return hit.value;
    return undefined;
  };
  const remember = (key: string, now: Corpus, value: number): number => {
    if (statsCache.size >= 50_000) statsCache.clear();
    statsCache.set(key, { value, ...now });
    return value;
  };
  const cachedCount = (key: string, now: Corpus, compute: () => number): number => cached(key, now) ?? remember(key, now, compute());

  /** Per-term statistics in the asker's scope (community and readable channels). */
  function termStats(terms: Token[], community: string, channels: string, now: Corpus): { documents: number; stats: TermStats[] } {
    const documents = documentsStatement.get({ community, channels }) as number;
    // The asker's scope holds the whole index (one community, every channel readable): a
    // word's postings are its document frequency. Otherwise count in scope, or estimate.
    const wholeIndex = documents === now.documents;
    const scope = `${community}\u0000${channels}`;
    const n = Math.max(documents, 1);
    const stats: TermStats[] = [];
    const seen = new Set<string>();
    for (const term of terms) {
      if (seen.has(term.stem)) continue;
      seen.add(term.stem);
      const match = `"${term.word}"`;
      const postings = cachedCount(`all\u0000${term.word}`, now, () => countStatement.get(match) as number);
      let frequency = postings;
      if (!wholeIndex && postings > 0) {
        frequency = cachedCount(`scope\u0000${term.word}\u0000${scope}`, now, () => {
          if (postings <= FREQUENCY_SAMPLE) return scopedCountStatement.get({ match, community, channels }) as number;
          const inScope = sampledCountStatement.get({ match, community, channels }) as number;
          return Math.round((postings * inScope) / FREQUENCY_SAMPLE);
        });
      }
      const df = Math.min(frequency, n);
      const absent = frequency === 0 && (wholeIndex || postings <= FREQUENCY_SAMPLE);
      stats.push({ ...term, match, postings, frequency, absent, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) });
    }
    return { documents, stats };
  }

  /**
   * Candidate messages, best first, with the query words each one has (a bit per term of
   * `terms`): every message with one of the rarest words, and every message with a common
   * word next to a rare one (with no rare word in the query: next to another common one). A
   * message with one common word and nothing else (mask 0) only fills a short list. For each
   * row: `mask`, the rare words in its title (`title`) and its `score`.
   */
  function candidateRows(stats: TermStats[], wanted: number): CandidateRows {
    const live = stats.filter((t) => t.postings > 0 && !t.absent).sort((a, b) => a.postings - b.postings);
    let rare = 0;
    let total = 0;
    for (; rare < live.length && total + live[rare].postings <= RARE_POSTINGS; rare++) total += live[rare].postings;
    // Common words, rarest first, while their postings fit the budget (the very common ones
    // weigh little and cost the most); at least one, so a query of common words finds something.
    let used = rare;
    for (; used < live.length && used - rare < MAX_COMMON_TERMS && (used === rare || total + live[used].postings <= COMMON_POSTINGS); used++) {
      total += live[used].postings;
    }
    const terms = live.slice(0, Math.min(used, 30));
    rare = Math.min(rare, terms.length);
    const masks = new Map<number, number>();
    const mark = (rows: number[], bit: number) => {
      for (const row of rows) masks.set(row, (masks.get(row) ?? 0) | bit);
    };
    // A common word counts in messages with a rare one (FTS5 skips through its postings to
    // those); with no rare word at all, in messages with another common one.
    const partners = (rare > 0 ? terms.slice(0, rare) : terms).map((t) => t.match);
    // Where a rare word is in the title (forum posts, SemEval-style questions), it counts more.
    const titles = new Map<number, number>();
    terms.forEach((term, i) => {
      if (i < rare) {
        for (const row of postings(`{title}: ${term.match}`)) titles.set(row, (titles.get(row) ?? 0) | (1 << i));
        return mark(postings(term.match), 1 << i);
      }
      const others = partners.filter((m) => m !== term.match);
      if (others.length) mark(postings(`${term.match} AND (${others.join(' OR ')})`), 1 << i);
    });
    const common = terms.slice(rare);
    const floor = common.length ? Math.min(...common.map((t) => t.idf)) : 0;
    if (masks.size < wanted && common.length) {
      for (const row of recentStatement.all(common.map((t) => t.match).join(' OR '), wanted) as number[]) if (!masks.has(row)) masks.set(row, 0);
    }
    // Scores repeat (a few query words, so few masks): each computed once per mask.
    const byMask = new Map<number, number>();
    const score = (row: number): number => {
      const mask = masks.get(row)!;
      if (mask === 0) return floor;
      const title = titles.get(row) ?? 0;
      if (title) return maskIdf(terms, mask) + TITLE_EXTRA * maskIdf(terms, title);
      let s = byMask.get(mask);
      if (s === undefined) byMask.set(mask, (s = maskIdf(terms, mask)));
      return s;
    };
    return { terms, order: bestFirst([...masks.keys()], score), mask: (row: number) => masks.get(row)!, title: (row: number) => titles.get(row) ?? 0, score };
  }

  /**
   * The best discussions for the candidate messages in scope: each scored on its opening
   * message's words, plus a share for words only its replies have (as the ranker weighs them).
   */
  function searchDiscussions(stats: TermStats[], community: string, channels: string, exclude: Set<string>, limit: number): string[] {
    const { terms, order, mask, title, score: rowScore } = candidateRows(stats, limit * SCAN_FACTOR);
    const found = new Map<string, { opener: number; title: number; replies: number; floor: number; first: number }>();
    let checked = 0;
    let inScopeRows = 0;
    // Past the first limit × CHECK_FACTOR, go on only while too few discussions turned up
    // because most candidates were out of scope (another community's, unreadable channels).
    const mostlyOutOfScope = () => inScopeRows * 2 < checked;
    while (checked < order.length && checked < MAX_CHECKED && (checked < limit * CHECK_FACTOR || (found.size < limit && mostlyOutOfScope()))) {
      // The rows always checked go in one statement, later rounds in smaller ones. Row ids in
      // ascending order: neighbouring lookups share B-tree pages (about 30% cheaper at 1M).
      const slice = order.subarray(checked, checked + (checked === 0 ? limit * CHECK_FACTOR : limit * SCAN_FACTOR));
      const ids = Float64Array.from(slice).sort();
      const inScope = new Map(
        (scopeStatement.all({ rows: JSON.stringify(Array.from(ids)), community, channels }) as [number, string | null, number][]).map(
          ([row, discussion, opener]) => [row, { discussion, opener }],
        ),
      );
      slice.forEach((row, i) => {
        const hit = inScope.get(row);
        if (!hit?.discussion) return;
        inScopeRows++;
        if (exclude.has(hit.discussion)) return;
        let d = found.get(hit.discussion);
        if (!d) found.set(hit.discussion, (d = { opener: 0, title: 0, replies: 0, floor: 0, first: checked + i }));
        const bits = mask(row);
        if (bits === 0) d.floor = Math.max(d.floor, rowScore(row));
        else if (hit.opener) {
          d.opener |= bits;
          d.title |= title(row);
        } else d.replies |= bits;
      });
      checked += slice.length;
    }
    const score = (d: { opener: number; title: number; replies: number; floor: number }) =>
      Math.max(d.floor, maskIdf(terms, d.opener) + TITLE_EXTRA * maskIdf(terms, d.title) + REPLY_SHARE * maskIdf(terms, d.replies & ~d.opener));
    const best = [...found]
      .map(([id, d]) => ({ id, score: score(d), first: d.first }))
      .sort((a, b) => b.score - a.score || a.first - b.first)
      .slice(0, limit)
      .map((d) => d.id);
    if (best.length < limit && checked < order.length && mostlyOutOfScope()) {
      const match = stats.filter((t) => t.postings > 0).map((t) => t.match).join(' OR ');
      const more = exhaustiveStatement.all({ match, community, channels, exclude: JSON.stringify([...exclude]), scan: limit * SCAN_FACTOR }) as { discussionId: string | null }[];
      for (const { discussionId } of more) if (discussionId && best.length < limit && !best.includes(discussionId)) best.push(discussionId);
    }
    return best;
  }

  function readSignals(community: string, messageIds: string[]): DiscussionSignal[] {
    return (signalsStatement.all({ community, messages: JSON.stringify(messageIds) }) as (Omit<DiscussionSignal, 'accepted'> & { accepted: number })[]).map(
      (signal): DiscussionSignal => ({ ...signal, accepted: signal.accepted === 1 }),
    );
  }

  /** Helped given plus thanks received per author, each up to `cap` (-1: no cap), from the cache when fresh. */
  function readHelperRecords(community: string, authors: string[], cap: number, now: Corpus): Record<string, number> {
    const record: Record<string, number> = {};
    const key = (author: string) => `record\u0000${cap}\u0000${community}\u0000${author}`;
    const unknown: string[] = [];
    for (const author of authors) {
      const known = cached(key(author), now);
      if (known === undefined) unknown.push(author);
      else if (known > 0) record[author] = known;
    }
    if (unknown.length === 0) return record;
    const counted = new Map(
      (recordStatement.all({ community, authors: JSON.stringify(unknown), cap }) as { who: string; n: number }[]).map((r) => [r.who, cap < 0 ? r.n : Math.min(r.n, cap)]),
    );
    for (const author of unknown) {
      const n = remember(key(author), now, counted.get(author) ?? 0);
      if (n > 0) record[author] = n;
    }
    return record;
  }

  return {
    async candidates(request: CandidateRequest): Promise<CandidateResult> {
      const empty: CandidateResult = { discussions: [], documents: 0, documentFrequency: {}, helperRecord: {} };
      const channels = JSON.stringify([...request.readableChannelIds]);
      if (request.readableChannelIds.size === 0) return empty;
      const community = request.community;
      const exclude = new Set(request.excludeDiscussionIds ?? []);
      const terms = request.terms.filter((t) => /^[\p{L}\p{N}]+$/u.test(t.word));
      if (!request.onlyDiscussionIds && (terms.length === 0 || request.limit <= 0)) return empty;
      const now = corpusNow();
      const { documents, stats } = termStats(terms, community, channels, now);

      const discussionIds = request.onlyDiscussionIds
        ? [...new Set(request.onlyDiscussionIds)].filter((id) => !exclude.has(id))
        : searchDiscussions(stats, community, channels, exclude, request.limit);
      if (discussionIds.length === 0) return empty;

      const rows = (messagesStatement.all({ community, channels, discussions: JSON.stringify(discussionIds) }) as MessageJoinRow[]).sort(
        (a, b) => a.createdAt - b.createdAt || a.rowId - b.rowId,
      );
      const authors = [...new Set(rows.map((r) => r.authorId))];
      const names = new Map((namesStatement.all({ community, authors: JSON.stringify(authors) }) as { id: string; name: string }[]).map((m) => [m.id, m.name]));
      const byDiscussion = new Map<string, CandidateDiscussion>();
      for (const id of discussionIds) byDiscussion.set(id, { id, channelId: '', messages: [], signals: [] });
      for (const row of rows) {
        const discussion = byDiscussion.get(row.discussionId)!;
        if (discussion.messages.length === 0) discussion.channelId = row.channelId;
        discussion.messages.push(toMessage(row, names.get(row.authorId)));
      }
      const discussions = [...byDiscussion.values()].filter((d) => d.messages.length > 0);
      const discussionOf = new Map(rows.map((r) => [r.id, byDiscussion.get(r.discussionId)!]));
      for (const signal of readSignals(community, rows.map((r) => r.id))) discussionOf.get(signal.messageId!)?.signals.push(signal);
      // Records only count for people who replied to someone else's question (the ranker's helpers).
      const helpers = new Set<string>();
      for (const { messages } of discussions) for (const m of messages.slice(1)) if (m.authorId !== messages[0].authorId) helpers.add(m.authorId);
      const helperRecord = readHelperRecords(community, [...helpers], request.helperRecordCap ?? -1, now);

      const documentFrequency: Record<string, number> = {};
      for (const term of stats) documentFrequency[term.stem] = term.frequency;
      return { discussions, documents, documentFrequency, helperRecord };
    },
  };
}

/**
 * Row ids by score, best first, ties newest first. Scores are few distinct values: each row
 * sorts as (rank of its score, row id) packed in one number, a native numeric sort instead of
 * a comparator over thousands of objects.
 */
export function bestFirst(rows: number[], score: (row: number) => number): Float64Array {
  const scores = rows.map(score);
  const ranks = new Map([...new Set(scores)].sort((a, b) => a - b).map((s, i) => [s, i]));
  const keys = new Float64Array(rows.length);
  if (rows.every((row) => Number.isInteger(row) && row >= 0 && row < 2 ** 32) && ranks.size < 2 ** 20) {
    rows.forEach((row, i) => (keys[i] = ranks.get(scores[i])! * 2 ** 32 + row));
    keys.sort().reverse();
    return keys.map((key) => key % 2 ** 32);
  }
  const order = rows.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || rows[b] - rows[a]);
  order.forEach((index, i) => (keys[i] = rows[index]));
  return keys;
}

/** Summed IDF of the terms whose bits are set. */
function maskIdf(terms: TermStats[], mask: number): number {
  let sum = 0;
  for (let i = 0; i < terms.length; i++) if (mask & (1 << i)) sum += terms[i].idf;
  return sum;
}

function toMessage(row: MessageJoinRow, authorName: string | undefined): DiscussionMessage {
  return {
    id: row.id,
    authorId: row.authorId,
    authorName: authorName ?? row.authorId,
    text: row.text,
    title: row.title,
    replyTo: row.replyTo,
    createdAt: row.createdAt,
    ...(row.transcribed ? { transcribed: true } : {}),
  };
}
