/**
 * How much the bounded candidate search of related discussions misses, on a database filled
 * by bench/query-latency.ts:
 *
 *   npx tsx bench/related-recall.ts --db /tmp/hearth-q-100k.db [--queries 100] [--limit 40]
 *
 * For each bench question, the reference is computed the slow way: every discussion sharing a
 * word with it is ranked (lexical relevance alone, then the full ranker over the 200 best).
 * Printed: the share of the lexical top 10 among the `--limit` candidates the search returns,
 * and the overlap of the final top 10 (ranked from those candidates) with the reference's.
 * References are cached next to the database (`<db>.ref<queries>.json`): at a million
 * messages they take minutes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PARAMS, rankDiscussions } from '../src/core/search/rank';
import { queryTerms } from '../src/core/search/text';
import { openDatabase } from '../src/db/connection';
import { createRepositories } from '../src/db/repositories';
import { generateQueries } from './data';
import { BENCH_COMMUNITY } from './pipeline';
import '../src/models/installed';

const { values } = parseArgs({
  options: { db: { type: 'string' }, queries: { type: 'string', default: '100' }, limit: { type: 'string', default: '40' } },
});
const count = Number(values.queries);
const limit = Number(values.limit);
if (!values.db || !existsSync(values.db) || !Number.isInteger(count) || count < 1 || !Number.isInteger(limit) || limit < 1) {
  console.error('usage: npx tsx bench/related-recall.ts --db PATH (filled by bench/query-latency.ts) [--queries 100] [--limit 40]');
  process.exit(2);
}
const handle = openDatabase(values.db);
const repos = createRepositories(handle);
const channels = new Set(handle.sqlite.prepare('SELECT id FROM channels WHERE community_id = ?').pluck().all(BENCH_COMMUNITY) as string[]);
const everyMatch = handle.sqlite
  .prepare('SELECT DISTINCT m.discussion_id FROM related_fts f JOIN messages m ON m.row_id = f.rowid WHERE related_fts MATCH ? AND m.community_id = ?')
  .pluck();
const lexicalOnly = { ...DEFAULT_PARAMS, agreementWeight: 0, usefulnessWeight: 0 };
const now = Date.UTC(2026, 0, 1);
const referencePath = `${values.db}.ref${count}.json`;
const references: Record<string, { lexical: string[]; final: string[] }> = existsSync(referencePath) ? JSON.parse(readFileSync(referencePath, 'utf8')) : {};

let lexicalFound = 0;
let lexicalTotal = 0;
let finalFound = 0;
let finalTotal = 0;
let sameFirst = 0;
let asked = 0;
for (const text of generateQueries(count)) {
  const terms = queryTerms(text);
  if (terms.length === 0) continue;
  asked++;
  const request = { community: BENCH_COMMUNITY, terms, readableChannelIds: channels };
  if (!references[text]) {
    const all = everyMatch.all(terms.map((t) => `"${t.word}"`).join(' OR '), BENCH_COMMUNITY) as string[];
    const lexical = rankDiscussions({ text }, await repos.related.candidates({ ...request, limit: 0, onlyDiscussionIds: all }), now, lexicalOnly);
    const pool = await repos.related.candidates({ ...request, limit: 0, onlyDiscussionIds: lexical.slice(0, 200).map((r) => r.discussion.id) });
    references[text] = {
      lexical: lexical.slice(0, 10).map((r) => r.discussion.id),
      final: rankDiscussions({ text }, pool, now).slice(0, 10).map((r) => r.discussion.id),
    };
  }
  const reference = references[text];
  const found = await repos.related.candidates({ ...request, limit });
  const candidates = new Set(found.discussions.map((d) => d.id));
  const top = rankDiscussions({ text }, found, now).slice(0, 10).map((r) => r.discussion.id);
  lexicalFound += reference.lexical.filter((id) => candidates.has(id)).length;
  lexicalTotal += reference.lexical.length;
  finalFound += reference.final.filter((id) => top.includes(id)).length;
  finalTotal += reference.final.length;
  if (top[0] !== undefined && top[0] === reference.final[0]) sameFirst++;
}
writeFileSync(referencePath, JSON.stringify(references));
handle.close();
const pct = (a: number, b: number) => ((100 * a) / Math.max(1, b)).toFixed(1);
console.log(
  `${asked} queries, ${limit} candidates: lexical top-10 found ${pct(lexicalFound, lexicalTotal)}%  ` +
    `final top-10 overlap ${pct(finalFound, finalTotal)}%  same first ${sameFirst}/${asked}`,
);
