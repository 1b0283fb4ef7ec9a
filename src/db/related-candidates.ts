/**
 * Related search's candidate finding, shared by every store: which messages to look at
 * (bounded, whatever the corpus size), how they group into discussions, which statistics go
 * to the core's ranker. A store supplies only its index (`CandidateIndex`: SQLite FTS5 in
 * repositories/related-search.ts, PostgreSQL tsvector + GIN in postgres/related.ts), so both
 * find the same candidates for the same corpus and the core ranks them the same way.
 *
 * Cost: a query's words are common (their postings run to tens of thousands at a million
 * messages), so nothing here scores or joins every matching message. Candidates are the
 * messages with one of the rarest query words (all of them, up to RARE_POSTINGS) or with a
 * common word next to a rare one; each gets the summed IDF of its words, and only the best
 * ones are looked up in `messages` (community, readable channel, discussion), which groups
 * them by discussion. Document frequencies are counted inside the index, not through
 * `messages`, and kept until the corpus moves on.
 *
 * Safety: every candidate is checked against the community and the channels the asker can
 * read, message by message, before any of its text is read, so a private thread's replies
 * never leak through a public discussion. Index queries are built by the store from
 * letter/digit terms only.
 */
import type {
  CandidateDiscussion,
  CandidateRequest,
  CandidateResult,
  DiscussionMessage,
  DiscussionSignal,
  RelatedSearch,
} from '../core/search/types';
import type { Token } from '../core/search/text';

/** Messages read per candidate discussion (its opening): bounds the cost of long threads. */
export const MESSAGES_PER_DISCUSSION = 40;
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
export const FREQUENCY_SAMPLE = 2000;

/** Where a search may look: one community, the channels the asker can read. */
export interface Scope {
  community: string;
  channels: string[];
}

/** How much the index has moved: writes seen by this store, and documents indexed by anyone. */
export interface Corpus {
  changes: number;
  documents: number;
}

/** A stored message of a candidate discussion, as the index's store reads it. */
export interface MessageJoinRow {
  id: string;
  discussionId: string;
  channelId: string;
  authorId: string;
  text: string;
  title: string | null;
  replyTo: string | null;
  createdAt: number;
  rowId: number;
  /** An AI transcript of a voice message (shown as such). */
  transcribed: boolean;
}

/**
 * What a store's full-text index answers. Row ids are the messages' own; an index query
 * (`Q`, built only by `word`, `inTitle`, `allOf`, `anyOf`) is the store's own syntax.
 */
export interface CandidateIndex<Q = string> {
  /** Messages with this word (as the core's tokenizer stems it). */
  word(token: Token): Q;
  /** ... in the title. */
  inTitle(word: Q): Q;
  /** ... with this word and one of the others. */
  withAny(word: Q, others: Q[]): Q;
  anyOf(words: Q[]): Q;
  corpus(): Promise<Corpus>;
  /** Indexed messages in the scope. */
  documents(scope: Scope): Promise<number>;
  /** Indexed messages matching, anywhere. */
  count(query: Q): Promise<number>;
  countInScope(query: Q, scope: Scope): Promise<number>;
  /** Of the newest `sample` messages matching anywhere, how many are in the scope. */
  countInScopeOfLatest(query: Q, scope: Scope, sample: number): Promise<number>;
  /** Row ids of every message matching. */
  postings(query: Q): Promise<number[]>;
  /** The newest `limit` row ids matching. */
  latest(query: Q, limit: number): Promise<number[]>;
  /** Of these rows, those in the scope: row id, discussion, whether it opens its discussion. */
  inScope(rows: number[], scope: Scope): Promise<{ rowId: number; discussionId: string | null; opener: boolean }[]>;
  /** The best `limit` discussions matching in the scope, by the index's own relevance (the fallback). */
  bestDiscussions(query: Q, scope: Scope, exclude: string[], limit: number): Promise<string[]>;
  /** The first MESSAGES_PER_DISCUSSION indexed messages of each discussion, in the scope. */
  openings(scope: Scope, discussionIds: string[]): Promise<MessageJoinRow[]>;
  names(community: string, memberIds: string[]): Promise<{ id: string; name: string }[]>;
  /** Thanks and accepted answers (✅) of these messages. */
  usefulness(community: string, messageIds: string[]): Promise<DiscussionSignal[]>;
  /** Helped given plus thanks received, per author, each counted up to `cap` (-1: all). */
  helperRecords(community: string, authors: string[], cap: number): Promise<{ who: string; n: number }[]>;
}

/** Candidate message row ids, best first, and what the search knows of each. */
interface CandidateRows {
  terms: TermStats<unknown>[];
  order: Float64Array;
  mask(row: number): number;
  title(row: number): number;
  score(row: number): number;
}

/** A query term with its statistics: postings in the whole index, documents in the asker's scope. */
interface TermStats<Q> {
  word: string;
  stem: string;
  match: Q;
  postings: number;
  frequency: number;
  /** Counted, not estimated, and none in scope: no candidate can come from it. */
  absent: boolean;
  idf: number;
}

export function relatedSearch<Q>(index: CandidateIndex<Q>): RelatedSearch {
  // Statistics (document frequencies, helpers' records) cost a walk over postings or index
  // entries: keep them while the corpus has moved by less than 1% (writes through this
  // store plus documents added or removed by anyone). A small corpus recounts after any
  // write; a large one every few thousand messages.
  const statsCache = new Map<string, { value: number } & Corpus>();
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
  const cachedCount = async (key: string, now: Corpus, compute: () => Promise<number>): Promise<number> => cached(key, now) ?? remember(key, now, await compute());

  /** Per-term statistics in the asker's scope (community and readable channels). */
  async function termStats(terms: Token[], scope: Scope, now: Corpus): Promise<{ documents: number; stats: TermStats<Q>[] }> {
    const documents = await index.documents(scope);
    // The asker's scope holds the whole index (one community, every channel readable): a
    // word's postings are its document frequency. Otherwise count in scope, or estimate.
    const wholeIndex = documents === now.documents;
    const scopeKey = `${scope.community}\u0000${scope.channels.join('\u0000')}`;
    const n = Math.max(documents, 1);
    const unique = terms.filter((term, i) => terms.findIndex((t) => t.stem === term.stem) === i);
    const stats = await Promise.all(
      unique.map(async (term): Promise<TermStats<Q>> => {
        const match = index.word(term);
        const postings = await cachedCount(`all\u0000${term.word}`, now, () => index.count(match));
        let frequency = postings;
        if (!wholeIndex && postings > 0) {
          frequency = await cachedCount(`scope\u0000${term.word}\u0000${scopeKey}`, now, async () => {
            if (postings <= FREQUENCY_SAMPLE) return index.countInScope(match, scope);
            const inScope = await index.countInScopeOfLatest(match, scope, FREQUENCY_SAMPLE);
            return Math.round((postings * inScope) / FREQUENCY_SAMPLE);
          });
        }
        const df = Math.min(frequency, n);
        const absent = frequency === 0 && (wholeIndex || postings <= FREQUENCY_SAMPLE);
        return { ...term, match, postings, frequency, absent, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) };
      }),
    );
    return { documents, stats };
  }

  /**
   * Candidate messages, best first, with the query words each one has (a bit per term of
   * `terms`): every message with one of the rarest words, and every message with a common
   * word next to a rare one (with no rare word in the query: next to another common one). A
   * message with one common word and nothing else (mask 0) only fills a short list. For each
   * row: `mask`, the rare words in its title (`title`) and its `score`.
   */
  async function candidateRows(stats: TermStats<Q>[], wanted: number): Promise<CandidateRows> {
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
    // A common word counts in messages with a rare one (the index skips through its postings
    // to those); with no rare word at all, in messages with another common one.
    const partners = (rare > 0 ? terms.slice(0, rare) : terms).map((t) => t.match);
    // Where a rare word is in the title (forum posts, SemEval-style questions), it counts more.
    const titles = new Map<number, number>();
    await Promise.all(
      terms.map(async (term, i) => {
        if (i < rare) {
          const [inTitle, anywhere] = await Promise.all([index.postings(index.inTitle(term.match)), index.postings(term.match)]);
          for (const row of inTitle) titles.set(row, (titles.get(row) ?? 0) | (1 << i));
          return mark(anywhere, 1 << i);
        }
        const others = partners.filter((m) => m !== term.match);
        if (others.length) mark(await index.postings(index.withAny(term.match, others)), 1 << i);
      }),
    );
    const common = terms.slice(rare);
    const floor = common.length ? Math.min(...common.map((t) => t.idf)) : 0;
    if (masks.size < wanted && common.length) {
      for (const row of await index.latest(index.anyOf(common.map((t) => t.match)), wanted)) if (!masks.has(row)) masks.set(row, 0);
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
  async function searchDiscussions(stats: TermStats<Q>[], scope: Scope, exclude: Set<string>, limit: number): Promise<string[]> {
    const { terms, order, mask, title, score: rowScore } = await candidateRows(stats, limit * SCAN_FACTOR);
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
      const inScope = new Map((await index.inScope(Array.from(ids), scope)).map((hit) => [hit.rowId, hit]));
      slice.forEach((row, i) => {
        const hit = inScope.get(row);
        if (!hit?.discussionId) return;
        inScopeRows++;
        if (exclude.has(hit.discussionId)) return;
        let d = found.get(hit.discussionId);
        if (!d) found.set(hit.discussionId, (d = { opener: 0, title: 0, replies: 0, floor: 0, first: checked + i }));
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
      const match = index.anyOf(stats.filter((t) => t.postings > 0).map((t) => t.match));
      for (const id of await index.bestDiscussions(match, scope, [...exclude], limit * SCAN_FACTOR)) if (best.length < limit && !best.includes(id)) best.push(id);
    }
    return best;
  }

  /** Helped given plus thanks received per author, each up to `cap` (-1: no cap), from the cache when fresh. */
  async function readHelperRecords(community: string, authors: string[], cap: number, now: Corpus): Promise<Record<string, number>> {
    const record: Record<string, number> = {};
    const key = (author: string) => `record\u0000${cap}\u0000${community}\u0000${author}`;
    const unknown: string[] = [];
    for (const author of authors) {
      const known = cached(key(author), now);
      if (known === undefined) unknown.push(author);
      else if (known > 0) record[author] = known;
    }
    if (unknown.length === 0) return record;
    const counted = new Map((await index.helperRecords(community, unknown, cap)).map((r) => [r.who, cap < 0 ? r.n : Math.min(r.n, cap)]));
    for (const author of unknown) {
      const n = remember(key(author), now, counted.get(author) ?? 0);
      if (n > 0) record[author] = n;
    }
    return record;
  }

  return {
    async candidates(request: CandidateRequest): Promise<CandidateResult> {
      const empty: CandidateResult = { discussions: [], documents: 0, documentFrequency: {}, helperRecord: {} };
      if (request.readableChannelIds.size === 0) return empty;
      const scope: Scope = { community: request.community, channels: [...request.readableChannelIds] };
      const exclude = new Set(request.excludeDiscussionIds ?? []);
      const terms = request.terms.filter((t) => /^[\p{L}\p{N}]+$/u.test(t.word));
      if (!request.onlyDiscussionIds && (terms.length === 0 || request.limit <= 0)) return empty;
      const now = await index.corpus();
      const { documents, stats } = await termStats(terms, scope, now);

      const discussionIds = request.onlyDiscussionIds
        ? [...new Set(request.onlyDiscussionIds)].filter((id) => !exclude.has(id))
        : await searchDiscussions(stats, scope, exclude, request.limit);
      if (discussionIds.length === 0) return empty;

      const rows = (await index.openings(scope, discussionIds)).sort((a, b) => a.createdAt - b.createdAt || a.rowId - b.rowId);
      const authors = [...new Set(rows.map((r) => r.authorId))];
      const names = new Map((await index.names(scope.community, authors)).map((m) => [m.id, m.name]));
      const byDiscussion = new Map<string, CandidateDiscussion>();
      for (const id of discussionIds) byDiscussion.set(id, { id, channelId: '', messages: [], signals: [] });
      for (const row of rows) {
        const discussion = byDiscussion.get(row.discussionId)!;
        if (discussion.messages.length === 0) discussion.channelId = row.channelId;
        discussion.messages.push(toMessage(row, names.get(row.authorId)));
      }
      const discussions = [...byDiscussion.values()].filter((d) => d.messages.length > 0);
      const discussionOf = new Map(rows.map((r) => [r.id, byDiscussion.get(r.discussionId)!]));
      for (const signal of await index.usefulness(scope.community, rows.map((r) => r.id))) discussionOf.get(signal.messageId!)?.signals.push(signal);
      // Records only count for people who replied to someone else's question (the ranker's helpers).
      const helpers = new Set<string>();
      for (const { messages } of discussions) for (const m of messages.slice(1)) if (m.authorId !== messages[0].authorId) helpers.add(m.authorId);
      const helperRecord = await readHelperRecords(scope.community, [...helpers], request.helperRecordCap ?? -1, now);

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
function maskIdf(terms: { idf: number }[], mask: number): number {
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
