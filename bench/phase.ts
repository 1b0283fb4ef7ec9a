/**
 * One phase of `npm run bench`, in a process of its own so that its peak RSS is its own
 * (not the harness's, not the other phase's, not the previous size's):
 *
 *   npx tsx bench/phase.ts --kind hearth|raw --messages N --db PATH [--queries Q]
 *
 * hearth: the synthetic history through Hearth's full pipeline, then the questions through
 * related search. raw: the same rows into a plain FTS5 table, then the same questions as a
 * bm25 query. Prints one JSON line: rate, query p50/p95 and the process's peak RSS.
 */
import { parseArgs } from 'node:util';
import { percentile } from '../src/core/text/format';
import { generateMessages, generateQueries, type BenchMessage } from './data';

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    messages: { type: 'string' },
    db: { type: 'string' },
    queries: { type: 'string', default: '300' },
  },
});
const count = Number(values.messages);
const queryCount = Number(values.queries);
if ((values.kind !== 'hearth' && values.kind !== 'raw') || !values.db || !Number.isInteger(count) || count < 1 || !Number.isInteger(queryCount) || queryCount < 1) {
  console.error('usage: npx tsx bench/phase.ts --kind hearth|raw --messages N --db PATH [--queries Q]');
  process.exit(2);
}

/** The history in batches of 10,000 (generated lazily: the whole history never sits in memory). */
function* batches(size: number): Generator<BenchMessage[]> {
  let batch: BenchMessage[] = [];
  for (const message of generateMessages(count)) {
    batch.push(message);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function timeQueries(queries: string[], run: (q: string) => unknown): Promise<{ p50: number; p95: number }> {
  for (const q of queries.slice(0, 20)) await run(q); // warm the page cache and statements
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await run(q);
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const queries = generateQueries(queryCount);
let perSecond: number;
let query: { p50: number; p95: number };
// Each kind loads only its own code: the raw process never holds Hearth's modules.
if (values.kind === 'raw') {
  const { rawDatabase } = await import('./raw');
  const raw = rawDatabase(values.db);
  const t = performance.now();
  for (const batch of batches(10_000)) raw.insertMany(batch);
  perSecond = count / ((performance.now() - t) / 1000);
  query = await timeQueries(queries, (q) => raw.search(q));
  raw.close();
} else {
  const { pipeline, toItem } = await import('./pipeline');
  const hearth = pipeline(values.db);
  let done = 0;
  const t = performance.now();
  for (const batch of batches(10_000)) {
    await hearth.ingest(batch.map(toItem));
    done += batch.length;
    if (process.stderr.isTTY) process.stderr.write(`\r  ${count.toLocaleString('en')} messages: ${done.toLocaleString('en')} ingested`);
  }
  perSecond = count / ((performance.now() - t) / 1000);
  if (process.stderr.isTTY) process.stderr.write('\n');
  query = await timeQueries(queries, (q) => hearth.search(q));
  hearth.close();
}
// maxRSS is the kernel's high-water mark for this process (KiB): no sampling gaps.
console.log(JSON.stringify({ per_s: Math.round(perSecond), p50_ms: +query.p50.toFixed(2), p95_ms: +query.p95.toFixed(2), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
