import { describe, expect, it } from 'vitest';
import { bestFirst } from '../../src/db/repositories/related-search';

/** The order the candidate search wants: score descending, then newest (highest row id) first. */
const reference = (rows: number[], score: (row: number) => number) => [...rows].sort((a, b) => score(b) - score(a) || b - a);

describe('related search: candidate order', () => {
  it('orders rows by score, ties newest first, the same as a comparator sort', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let n = 0; n < 50; n++) {
      // A few distinct scores (sums of IDFs), many rows sharing each.
      const values = Array.from({ length: 1 + (next() % 6) }, () => (next() % 1000) / 97);
      const rows = [...new Set(Array.from({ length: next() % 400 }, () => 1 + (next() % 5000)))];
      const scores = new Map(rows.map((row) => [row, values[next() % values.length]]));
      const score = (row: number) => scores.get(row)!;
      expect(Array.from(bestFirst(rows, score))).toEqual(reference(rows, score));
    }
  });

  it('falls back to a comparator sort for row ids too large to pack', () => {
    const rows = [2 ** 40, 5, 2 ** 33, 7];
    const score = (row: number) => (row === 5 ? 2 : 1);
    expect(Array.from(bestFirst(rows, score))).toEqual([5, 2 ** 40, 2 ** 33, 7]);
    expect(Array.from(bestFirst([], score))).toEqual([]);
  });
});
