/**
 * The baseline: the same rows straight into a better-sqlite3 FTS5 table (no normalisation,
 * no features), and a plain bm25 query. Hearth's pipeline is measured against this.
 */
import Database from 'better-sqlite3';
import type { BenchMessage } from './data';

export function rawDatabase(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create virtual table if not exists raw_fts using fts5(text, channel unindexed, author unindexed, tokenize = 'porter unicode61')`);
  const insert = db.prepare('insert into raw_fts(text, channel, author) values (?, ?, ?)');
  const insertMany = db.transaction((rows: BenchMessage[]) => {
    for (const row of rows) insert.run(row.text, row.channel, row.author);
  });
  const query = db.prepare('select rowid, bm25(raw_fts) as score from raw_fts where raw_fts match ? order by score limit 10');
  return {
    db,
    insertMany,
    /** bm25 over the OR of the query's words (quoted, so any text is valid FTS syntax). */
    search(text: string) {
      const terms = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 16);
      if (terms.length === 0) return [];
      return query.all(terms.map((t) => `"${t}"`).join(' OR '));
    },
    close: () => db.close(),
  };
}
