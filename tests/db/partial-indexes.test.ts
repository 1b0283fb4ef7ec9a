/**
 * Partial indexes must not compare a column with a literal through `=`, `<`, `IN`, `IS`...:
 * SQLite then checks every statement with `column = ?` against the index's condition using
 * the bound value, and marks the statement to be re-prepared whenever that parameter is bound
 * again (sqlite3ExprCompare -> exprCompareVariable). With `kind = 'thanked'` in
 * signals_related_idx, each signal lookup by kind was compiled afresh at every call (3x
 * slower). `+column = literal` (the unary plus that keeps a term from index lookups) has a
 * different shape and does not trigger it; the related-search query repeats it word for word.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';

describe('partial indexes', () => {
  it('compare no column with a literal by equality or order (statements binding it would be re-prepared)', () => {
    const handle = openDatabase(':memory:');
    try {
      const indexes = handle.sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'").all() as { name: string; sql: string }[];
      expect(indexes.map((i) => i.name)).toContain('signals_related_idx');
      for (const index of indexes) {
        const condition = index.sql.slice(index.sql.search(/\sWHERE\s/i)).replaceAll('"', '').replaceAll('`', '');
        // No bare column (`kind`, `signals.kind`) on the left of a comparison: `+kind` is fine.
        const bareComparison = /(?<![+.\w])[a-z_]\w*(?:\.\w+)?\s*(?:==?|!=|<>|<=?|>=?|\bIN\b|\bIS\b|\bBETWEEN\b|\bLIKE\b)/i;
        expect(condition, index.name).not.toMatch(bareComparison);
        expect(`WHERE signals.kind = 'thanked'`).toMatch(bareComparison);
      }
    } finally {
      handle.close();
    }
  });

  it('still serve the thanks and accepted answers related search reads', async () => {
    const handle = openDatabase(':memory:');
    try {
      const repos = createRepositories(handle);
      const c = 'test:c1';
      await repos.signals.record(c, { kind: 'thanked', actorId: 'a', subjectId: 'b', messageId: 'm1', at: 1, dedupeKey: 'thanked:m1:b' });
      await repos.signals.record(c, { kind: 'helped', actorId: 'b', subjectId: 'a', messageId: 'm1', at: 2, dedupeKey: 'helped:accepted:m1' });
      await repos.signals.record(c, { kind: 'helped', actorId: 'b', subjectId: 'a', messageId: 'm1', at: 3, dedupeKey: 'helped:q1:b' });
      const plan = handle.sqlite
        .prepare(
          "EXPLAIN QUERY PLAN SELECT s.message_id FROM json_each(?) j CROSS JOIN signals s ON s.community_id = ? AND s.message_id = j.value WHERE (+s.kind = 'thanked' OR s.dedupe_key GLOB 'helped:accepted:*')",
        )
        .all('["m1"]', c) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('signals_related_idx');
      const rows = handle.sqlite
        .prepare("SELECT dedupe_key AS k FROM signals INDEXED BY signals_related_idx WHERE community_id = ? AND message_id = ? AND (+kind = 'thanked' OR dedupe_key GLOB 'helped:accepted:*') ORDER BY k")
        .all(c, 'm1');
      expect(rows).toEqual([{ k: 'helped:accepted:m1' }, { k: 'thanked:m1:b' }]);
    } finally {
      handle.close();
    }
  });
});
