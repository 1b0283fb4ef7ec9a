/**
 * SemEval-2016 Task 3 subtask B scoring, the official way (the task's ev.py / metrics.py):
 * per original question, its 10 related questions in the system's order; PerfectMatch and
 * Relevant are relevant. MAP averages, over all questions, the precision at each relevant
 * position (a question with no relevant candidate scores 0 for every system); MRR uses the
 * first relevant position; P@1 is the share of questions whose first result is relevant.
 * Surface P/R/F1 compare `surface: true` with the gold label over all (question, candidate)
 * pairs, like the official classification scores.
 */
import type { Qrel } from './convert';

export interface RankedLine {
  query: string;
  results: { id: string; score: number; surface: boolean }[];
}

export interface Scores {
  queries: number;
  map: number;
  mrr: number;
  p1: number;
  surface: { precision: number; recall: number; f1: number; shown: number };
}

const CUTOFF = 10;

export function score(qrels: Qrel[], ranked: RankedLine[]): Scores {
  const gold = new Map<string, Map<string, boolean>>();
  for (const q of qrels) {
    if (!gold.has(q.query)) gold.set(q.query, new Map());
    gold.get(q.query)!.set(q.id, q.relevant);
  }
  const byQuery = new Map(ranked.map((r) => [r.query, r]));
  let map = 0;
  let mrr = 0;
  let p1 = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [query, labels] of gold) {
    const results = byQuery.get(query)?.results ?? [];
    const ids = new Set(results.map((r) => r.id));
    for (const id of labels.keys()) if (!ids.has(id)) throw new Error(`query ${query}: candidate ${id} missing from the system output`);
    const order = results.filter((r) => labels.has(r.id)).map((r) => labels.get(r.id)!);
    const precisions: number[] = [];
    order.slice(0, CUTOFF).forEach((relevant, i) => {
      if (relevant) precisions.push((precisions.length + 1) / (i + 1));
    });
    map += precisions.length ? precisions.reduce((a, b) => a + b, 0) / precisions.length : 0;
    const first = order.slice(0, CUTOFF).indexOf(true);
    if (first >= 0) mrr += 1 / (first + 1);
    if (order[0]) p1 += 1;
    for (const r of results) {
      if (!labels.has(r.id)) continue;
      const relevant = labels.get(r.id)!;
      if (r.surface && relevant) tp++;
      else if (r.surface) fp++;
      else if (relevant) fn++;
    }
  }
  const n = gold.size;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const pct = (x: number) => Math.round(x * 10000) / 100;
  return {
    queries: n,
    map: pct(map / n),
    mrr: pct(mrr / n),
    p1: pct(p1 / n),
    surface: { precision: pct(precision), recall: pct(recall), f1: pct(precision + recall ? (2 * precision * recall) / (precision + recall) : 0), shown: tp + fp },
  };
}

/** The search engine's own order (RELQ_RANKING_ORDER), scored the same way, for reference. */
export function engineBaseline(qrels: Qrel[]): RankedLine[] {
  const byQuery = new Map<string, Qrel[]>();
  for (const q of qrels) byQuery.set(q.query, [...(byQuery.get(q.query) ?? []), q]);
  return [...byQuery].map(([query, list]) => ({
    query,
    results: [...list].sort((a, b) => a.engineRank - b.engineRank).map((q) => ({ id: q.id, score: -q.engineRank, surface: false })),
  }));
}
