/**
 * Hybrid ranking for related discussions: the lexical (FTS) results, re-ranked with the
 * cosine similarity of embeddings and fused by reciprocal rank fusion. Lexical search stays
 * the default and the candidate generator: hybrid only re-orders what it found, and only
 * when an embeddings model is configured and answers. Any failure -> lexical order.
 *
 * Seam for the related feature: `core.features.embeddings.rerank(community, query, hits)`
 * with `hits` in lexical order (best first); it returns them (same set) in final order.
 */
import type { AiPort } from '../ai/port';
import { canEmbed } from '../ai/port';

export interface LexicalHit {
  discussionId: string;
  /** The lexical engine's score (only the order matters here). */
  score: number;
}

export interface RankedHit extends LexicalHit {
  /** Fused score (higher is better); equals the lexical RRF score in lexical mode. */
  fused: number;
  /** 1-based rank in the lexical list. */
  lexicalRank: number;
  /** 1-based rank by similarity among hits with a vector, or null without a vector. */
  vectorRank: number | null;
  similarity: number | null;
}

export interface RankOutcome {
  mode: 'hybrid' | 'lexical';
  hits: RankedHit[];
}

/**
 * Reciprocal rank fusion (Cormack et al. 2009): score(d) = Σ 1 / (k + rank_i(d)) over the
 * lists containing d (ranks 1-based). Pure; ties keep the order of first appearance.
 */
/** One list's contribution to a document's RRF score (rank 1-based). */
export function rrfTerm(rank: number, k = 60): number {
  return 1 / (k + rank);
}

export function reciprocalRankFusion(lists: string[][], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach((id, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + rrfTerm(index + 1, k));
    });
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Vectors are stored as little-endian float32 blobs. */
export function encodeVector(vector: ArrayLike<number>): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatLE(vector[i], i * 4);
  return buffer;
}

export function decodeVector(blob: Buffer): Float32Array {
  const out = new Float32Array(Math.floor(blob.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}

export interface VectorStore {
  get(community: string, model: string, discussionIds: string[]): Promise<Map<string, { vector: Buffer }>>;
  put(community: string, model: string, discussionId: string, vector: Buffer, at: number): Promise<void>;
}

export interface HybridRankerDeps {
  ai: AiPort | undefined;
  store: VectorStore;
  /** The text to embed for a discussion, or undefined when it must not be embedded (private). */
  documentText(community: string, discussionId: string): Promise<string | undefined>;
  now(): number;
  /** Discussions without a stored vector embedded on the fly per query (default 20). */
  maxLazy?: number;
  /** RRF constant (default 60). */
  k?: number;
}

export class HybridRanker {
  constructor(private readonly deps: HybridRankerDeps) {}

  /** True when an embeddings model is configured: `rank` will try the hybrid order. */
  get enabled(): boolean {
    return canEmbed(this.deps.ai);
  }

  /**
   * Re-rank lexical hits. One embeddings request per query: the query plus the candidates
   * that have no stored vector yet (stored for next time). Candidates without a vector
   * (private, or beyond `maxLazy`) keep their lexical rank in both lists, so they are
   * neither pushed down nor lifted by missing data.
   */
  async rank(community: string, query: string, hits: LexicalHit[]): Promise<RankOutcome> {
    const k = this.deps.k ?? 60;
    const lexical = (): RankOutcome => ({
      mode: 'lexical',
      hits: hits.map((hit, i) => ({ ...hit, fused: rrfTerm(i + 1, k), lexicalRank: i + 1, vectorRank: null, similarity: null })),
    });
    const ai = this.deps.ai;
    if (!canEmbed(ai) || hits.length === 0 || !query.trim()) return lexical();
    const model = ai.info.embeddingModel!;
    const ids = hits.map((h) => h.discussionId);
    const vectors = new Map<string, ArrayLike<number>>();
    for (const [id, row] of await this.deps.store.get(community, model, ids)) vectors.set(id, decodeVector(row.vector));

    const missing: { id: string; text: string }[] = [];
    for (const id of ids) {
      if (vectors.has(id) || missing.length >= (this.deps.maxLazy ?? 20)) continue;
      const text = await this.deps.documentText(community, id);
      if (text?.trim()) missing.push({ id, text });
    }
    const embedded = await ai.embed([query.slice(0, 2000), ...missing.map((m) => m.text)]);
    if (!embedded.ok) return lexical();
    const [queryVector, ...fresh] = embedded.value;
    const now = this.deps.now();
    for (const [i, item] of missing.entries()) {
      vectors.set(item.id, fresh[i]);
      await this.deps.store.put(community, model, item.id, encodeVector(fresh[i]), now);
    }

    const similarity = new Map<string, number>();
    for (const id of ids) {
      const vector = vectors.get(id);
      if (vector && vector.length === queryVector.length) similarity.set(id, cosineSimilarity(queryVector, vector));
    }
    const byVector = [...similarity.entries()].sort((a, b) => b[1] - a[1] || ids.indexOf(a[0]) - ids.indexOf(b[0])).map(([id]) => id);
    const vectorRank = new Map(byVector.map((id, i) => [id, i + 1]));
    // Without a vector, a hit's lexical rank stands in for its vector rank.
    const fused = new Map<string, number>();
    ids.forEach((id, i) => fused.set(id, rrfTerm(i + 1, k) + rrfTerm(vectorRank.get(id) ?? i + 1, k)));
    const ranked = hits
      .map((hit, i) => ({
        ...hit,
        fused: fused.get(hit.discussionId)!,
        lexicalRank: i + 1,
        vectorRank: vectorRank.get(hit.discussionId) ?? null,
        similarity: similarity.get(hit.discussionId) ?? null,
      }))
      .sort((a, b) => b.fused - a.fused || a.lexicalRank - b.lexicalRank);
    return { mode: 'hybrid', hits: ranked };
  }
}
