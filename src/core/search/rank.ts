/**
 * Ranking of candidate discussions for a question: the same code for `/related`, automatic
 * suggestions and the `related-eval` benchmark.
 *
 * Relevance is a BM25F-style score over three fields of a discussion (title, the question
 * that opened it, the replies), each with its own weight and length normalisation, made
 * absolute by dividing by the best score the query could get: 1.0 means every query word
 * appears prominently. Matching query word pairs add a little (phrases matter in questions).
 * Usefulness (a solved / accepted answer, thanked replies, replies from other people,
 * helpers with a record, recency) then lifts a relevant discussion, never an irrelevant one.
 */
import { DAY } from '../clock';
import type { CandidateDiscussion, CandidateResult, DiscussionMessage } from './types';
import { queryTerms, tokens, type Token } from './text';
import { resolveThread } from '../resolution';

export interface RankQuery {
  text: string;
  title?: string | null;
  /** Who asks (their own messages never count as someone else's help). */
  authorId?: string;
}

export interface RankParams {
  k1: number;
  b: number;
  /** Field weights: discussion title, opening question, replies. */
  wTitle: number;
  wBody: number;
  wReplies: number;
  /** Extra weight for query words from the question's own title. */
  queryTitleBoost: number;
  /** Weight of matching adjacent word pairs (fraction of the query's pairs found). */
  pairWeight: number;
  /**
   * Agreement between candidates: a discussion that resembles the other strong matches
   * (character 4-gram cosine of title and question, weighted by their relevance) is more
   * likely on topic than a lone lexical coincidence (the cluster hypothesis).
   */
  agreementWeight: number;
  /** How much usefulness can lift relevance (score = relevance * (1 + usefulnessWeight * u)). */
  usefulnessWeight: number;
  /** Score from which a result is worth showing unasked. */
  surfaceThreshold: number;
}

export const DEFAULT_PARAMS: RankParams = {
  k1: 1.2,
  b: 0.75,
  wTitle: 2,
  wBody: 1,
  wReplies: 0.25,
  queryTitleBoost: 1,
  pairWeight: 0.3,
  agreementWeight: 1.5,
  usefulnessWeight: 0.15,
  surfaceThreshold: 0.2,
};

export interface RankedDiscussion {
  discussion: CandidateDiscussion;
  score: number;
  relevance: number;
  usefulness: number;
  /** Query words found in the discussion, most telling first. */
  matched: string[];
  /** Who gave the accepted / thanked answer, when someone did. */
  solvedBy?: DiscussionMessage;
  /** Distinct people other than the asker who replied. */
  helpers: number;
  /** When the discussion started. */
  startedAt: number;
}

/** Past helps (helped given, thanks received) at which a helper's record counts in full. */
export const HELPER_RECORD_SATURATION = 5;

const FIELD_COUNT = 3;

interface FieldStats {
  tf: Map<string, number>;
  length: number;
}

/** Length of a field and the frequency of the query's stems in it (no other stem is ever looked up). */
function fieldStats(list: readonly Token[], wanted: ReadonlyMap<string, unknown>): FieldStats {
  return addFieldStats({ tf: new Map(), length: 0 }, list, wanted);
}

/** Adds a text's tokens to a field's statistics. */
function addFieldStats(stats: FieldStats, list: readonly Token[], wanted: ReadonlyMap<string, unknown>): FieldStats {
  for (const t of list) if (wanted.has(t.stem)) stats.tf.set(t.stem, (stats.tf.get(t.stem) ?? 0) + 1);
  stats.length += list.length;
  return stats;
}

function pairs(list: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < list.length; i++) if (list[i - 1].stem !== list[i].stem) out.add(`${list[i - 1].stem} ${list[i].stem}`);
  return out;
}

/** How many of the query's adjacent word pairs occur in `list` (only pairs of query stems can). */
function pairHits(list: readonly Token[], queryPairs: ReadonlySet<string>, wanted: ReadonlyMap<string, unknown>): number {
  if (queryPairs.size === 0) return 0;
  const found = new Set<string>();
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1].stem;
    const b = list[i].stem;
    if (a === b || !wanted.has(a) || !wanted.has(b)) continue;
    const pair = `${a} ${b}`;
    if (queryPairs.has(pair)) found.add(pair);
  }
  return found.size;
}

/**
 * Who solved it: the answer of the thread's resolution (src/core/resolution, the pulse's
 * definition too) when someone other than the asker gave it.
 */
export function findSolver(discussion: CandidateDiscussion): DiscussionMessage | undefined {
  const resolution = resolveThread(discussion);
  return resolution && resolution.by !== 'self' ? resolution.answer : undefined;
}

export function rankDiscussions(
  query: RankQuery,
  result: CandidateResult,
  now: number,
  params: RankParams = DEFAULT_PARAMS,
): RankedDiscussion[] {
  // The same capped term list the search backend looked up (and has statistics for).
  const looked = new Set(queryTerms(`${query.title ?? ''}\n${query.text}`).map((t) => t.stem));
  const titleTokens = tokens(query.title ?? '').filter((t) => looked.has(t.stem));
  const bodyTokens = tokens(query.text).filter((t) => looked.has(t.stem));
  const queryWeight = new Map<string, number>();
  const queryWord = new Map<string, string>();
  for (const t of bodyTokens) {
    queryWeight.set(t.stem, 1);
    if (!queryWord.has(t.stem)) queryWord.set(t.stem, t.word);
  }
  for (const t of titleTokens) {
    queryWeight.set(t.stem, 1 + params.queryTitleBoost);
    if (!queryWord.has(t.stem)) queryWord.set(t.stem, t.word);
  }
  const queryPairs = new Set([...pairs(titleTokens), ...pairs(bodyTokens)]);
  const n = Math.max(result.documents, 1);
  const idf = (stem: string) => {
    const df = Math.min(result.documentFrequency[stem] ?? 0, n);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  let best = 0;
  for (const [stem, weight] of queryWeight) best += weight * idf(stem);

  const docs = result.discussions.map((discussion) => {
    const root = discussion.messages[0];
    const title = tokens(root?.title ?? '');
    const body = tokens(root?.text ?? '');
    // The replies count as one field, added up message by message (no concatenated copy).
    const replies: FieldStats = { tf: new Map(), length: 0 };
    for (let i = 1; i < discussion.messages.length; i++) addFieldStats(replies, tokens(discussion.messages[i].text), queryWeight);
    // Pairs run across the title into the question, as one text.
    const opening = title.length ? [...title, ...body] : body;
    return {
      discussion,
      fields: [fieldStats(title, queryWeight), fieldStats(body, queryWeight), replies],
      pairHits: pairHits(opening, queryPairs, queryWeight),
      gramText: opening.map((t) => t.word),
    };
  });
  const averages = Array.from({ length: FIELD_COUNT }, (_, f) => {
    const total = docs.reduce((sum, d) => sum + d.fields[f].length, 0);
    return Math.max(1, total / Math.max(1, docs.length));
  });
  const weights = [params.wTitle, params.wBody, params.wReplies];

  const lexicalRelevance = (fields: FieldStats[], pairHits: number) => {
    let lexical = 0;
    const matched: { word: string; weight: number }[] = [];
    for (const [stem, weight] of queryWeight) {
      let tf = 0;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const raw = fields[f].tf.get(stem) ?? 0;
        if (raw) tf += (weights[f] * raw) / (1 - params.b + (params.b * fields[f].length) / averages[f]);
      }
      if (tf === 0) continue;
      const contribution = weight * idf(stem) * ((tf * (params.k1 + 1)) / (tf + params.k1)) / (params.k1 + 1);
      lexical += contribution;
      matched.push({ word: queryWord.get(stem)!, weight: contribution });
    }
    const relevance =
      (best > 0 ? lexical / best : 0) + (queryPairs.size ? (params.pairWeight * pairHits) / queryPairs.size : 0);
    return { relevance, matched };
  };

  const lexical = docs.map(({ fields, pairHits }) => lexicalRelevance(fields, pairHits));
  const agreement = agreementScores(docs.map((d) => d.gramText), lexical.map((l) => l.relevance));

  const ranked = docs.map(({ discussion }, index) => {
    const { matched } = lexical[index];
    // Agreement only lifts a discussion that shares at least one word with the question.
    const relevance = lexical[index].relevance + (matched.length ? params.agreementWeight * agreement[index] : 0);
    const [root, ...replies] = discussion.messages;
    const asker = root?.authorId;
    const helperIds = new Set(replies.filter((m) => m.authorId !== asker && m.authorId !== query.authorId).map((m) => m.authorId));
    const solvedBy = findSolver(discussion);
    const thankedReplies = discussion.signals.filter((s) => s.kind === 'thanked').length;
    const record = Math.max(0, ...[...helperIds].map((id) => result.helperRecord[id] ?? 0));
    const startedAt = root?.createdAt ?? 0;
    const ageDays = Math.max(0, now - (discussion.messages.at(-1)?.createdAt ?? startedAt)) / DAY;
    const usefulness =
      0.4 * (solvedBy ? 1 : 0) +
      0.15 * Math.min(1, thankedReplies / 2) +
      0.2 * Math.min(1, helperIds.size / 3) +
      0.1 * Math.min(1, record / HELPER_RECORD_SATURATION) +
      0.15 * Math.exp(-ageDays / 365);
    const score = relevance * (1 + params.usefulnessWeight * usefulness);
    return {
      discussion,
      score,
      relevance,
      usefulness,
      matched: matched.sort((a, b) => b.weight - a.weight).map((m) => m.word),
      ...(solvedBy ? { solvedBy } : {}),
      helpers: helperIds.size,
      startedAt,
    } satisfies RankedDiscussion;
  });
  return ranked.sort((a, b) => b.score - a.score || b.startedAt - a.startedAt || tieBreak(a.discussion.id, b.discussion.id));
}

// Character 4-grams of a word (with word boundaries) as small integer ids, memoised: the
// same words come back in every search, and number keys are cheap to count and compare.
const gramIds = new Map<string, number>();
const wordGrams = new Map<string, number[]>();
let gramCounts = new Int32Array(1 << 16);
let gramWeights = new Float64Array(1 << 16);

function gramsOf(word: string): number[] {
  let ids = wordGrams.get(word);
  if (!ids) {
    const padded = ` ${word} `;
    const keys = padded.length <= 4 ? [padded] : Array.from({ length: padded.length - 3 }, (_, i) => padded.slice(i, i + 4));
    ids = keys.map((key) => {
      let id = gramIds.get(key);
      if (id === undefined) gramIds.set(key, (id = gramIds.size));
      return id;
    });
    wordGrams.set(word, ids);
  }
  return ids;
}

/**
 * For each candidate: the relevance-weighted mean similarity to the other candidates
 * (TF-IDF cosine of character 4-grams, IDF over the candidate set).
 */
function agreementScores(texts: string[][], relevances: number[]): number[] {
  if (texts.length < 3) return texts.map(() => 0);
  // Bounded memo, emptied only between calls so ids stay consistent within one.
  if (wordGrams.size > 100_000) {
    wordGrams.clear();
    gramIds.clear();
  }
  // Each candidate's distinct grams and their counts, then document frequencies, counted in
  // scratch arrays indexed by gram id (left zeroed for the next call).
  const grams = texts.map((words) => words.map(gramsOf));
  if (gramCounts.length < gramIds.size) {
    gramCounts = new Int32Array(gramIds.size * 2);
    gramWeights = new Float64Array(gramIds.size * 2);
  }
  const docs = grams.map((lists) => {
    const distinct: number[] = [];
    for (const list of lists) for (const gram of list) if (gramCounts[gram]++ === 0) distinct.push(gram);
    const counts = distinct.map((gram) => gramCounts[gram]);
    for (const gram of distinct) gramCounts[gram] = 0;
    return { distinct, counts };
  });
  for (const d of docs) for (const gram of d.distinct) gramCounts[gram]++;
  const vectors = docs.map(({ distinct, counts }) => {
    const weights = new Float64Array(distinct.length);
    let norm = 0;
    for (let k = 0; k < distinct.length; k++) {
      const w = (1 + Math.log(counts[k])) * Math.log(1 + texts.length / gramCounts[distinct[k]]);
      weights[k] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] /= norm;
    return { distinct, weights };
  });
  for (const d of docs) for (const gram of d.distinct) gramCounts[gram] = 0;
  const total = relevances.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0) return texts.map(() => 0);
  // Σ_j≠i cos(v_i, v_j)·r_j = v_i·(Σ_j r_j·v_j) − r_i·(v_i·v_i): one pass over the
  // relevance-weighted centroid instead of comparing every pair of candidates.
  const centroid = gramWeights;
  vectors.forEach(({ distinct, weights }, j) => {
    const r = Math.max(0, relevances[j]);
    for (let k = 0; k < distinct.length; k++) centroid[distinct[k]] += r * weights[k];
  });
  const scores = vectors.map(({ distinct, weights }, i) => {
    let dot = 0;
    let self = 0;
    for (let k = 0; k < distinct.length; k++) {
      dot += weights[k] * centroid[distinct[k]];
      self += weights[k] * weights[k];
    }
    return Math.max(0, dot - Math.max(0, relevances[i]) * self) / total;
  });
  for (const { distinct } of vectors) for (const gram of distinct) centroid[gram] = 0;
  return scores;
}

/** A stable order for exact ties that does not follow how ids were assigned. */
function tieBreak(a: string, b: string): number {
  return hash(a) - hash(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
