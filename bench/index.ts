/**
 * `npm run bench [-- --sizes 100000,1000000 --queries 300]`
 *
 * For each size: the same synthetic community history (bench/data.ts) goes
 *  - through Hearth's full pipeline (normalise, store, FTS index, reply inference, signals,
 *    same-here, stakes...) as an import would, and
 *  - straight into a raw better-sqlite3 FTS5 table (bench/raw.ts),
 * then the same questions are asked of Hearth's related-discussion search and of a plain
 * bm25 query. Prints a table and, last, one JSON line with the figures at the largest size.
 * Benchmarks, not tests: numbers depend on the machine (this one: 2 cores).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../src/core/text/format';
import { generateMessages, generateQueries, type BenchMessage } from './data';
import { pipeline, toItem } from './pipeline';
import { rawDatabase } from './raw';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    queries: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes!.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const queryCount = Number(values.queries);
if (sizes.length === 0 || !Number.isInteger(queryCount) || queryCount < 1) {
  console.error('usage: npm run bench -- [--sizes 100000,1000000] [--queries 300]');
  process.exit(2);
}

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 200);
rssTimer.unref();

function* batches(count: number, size: number): Generator<BenchMessage[]> {
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
    sampleRss();
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

interface Row {
  messages: number;
  ingest_per_s: number;
  raw_insert_per_s: number;
  query_p50_ms: number;
  query_p95_ms: number;
  raw_query_p50_ms: number;
  raw_query_p95_ms: number;
}

const rows: Row[] = [];
const queries = generateQueries(queryCount);
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  try {
    // Raw FTS5 insert of the same rows.
    const raw = rawDatabase(join(dir, 'raw.db'));
    let t = performance.now();
    for (const batch of batches(size, 10_000)) raw.insertMany(batch);
    const rawSeconds = (performance.now() - t) / 1000;
    const rawQuery = await timeQueries(queries, (q) => raw.search(q));
    raw.close();
    sampleRss();

    // Hearth's full pipeline.
    const hearth = pipeline(join(dir, 'hearth.db'));
    let done = 0;
    t = performance.now();
    for (const batch of batches(size, 10_000)) {
      await hearth.ingest(batch.map(toItem));
      sampleRss();
      done += batch.length;
      process.stderr.write(`\r  ${size.toLocaleString('en')} messages: ${done.toLocaleString('en')} ingested`);
    }
    const seconds = (performance.now() - t) / 1000;
    process.stderr.write('\n');
    const query = await timeQueries(queries, (q) => hearth.search(q));
    hearth.close();

    rows.push({
      messages: size,
      ingest_per_s: Math.round(size / seconds),
      raw_insert_per_s: Math.round(size / rawSeconds),
      query_p50_ms: +query.p50.toFixed(2),
      query_p95_ms: +query.p95.toFixed(2),
      raw_query_p50_ms: +rawQuery.p50.toFixed(2),
      raw_query_p95_ms: +rawQuery.p95.toFixed(2),
    });
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
sampleRss();

const header = ['messages', 'ingest/s', 'raw insert/s', 'query p50 ms', 'query p95 ms', 'raw p50 ms', 'raw p95 ms'];
console.log(header.map((h) => h.padStart(14)).join(''));
for (const r of rows) {
  console.log(
    [r.messages, r.ingest_per_s, r.raw_insert_per_s, r.query_p50_ms, r.query_p95_ms, r.raw_query_p50_ms, r.raw_query_p95_ms]
      .map((v) => String(v).padStart(14))
      .join(''),
  );
}
const largest = rows.at(-1)!;
console.log(
  JSON.stringify({
    messages: largest.messages,
    ingest_per_s: largest.ingest_per_s,
    raw_insert_per_s: largest.raw_insert_per_s,
    query_p50_ms: largest.query_p50_ms,
    query_p95_ms: largest.query_p95_ms,
    raw_query_p95_ms: largest.raw_query_p95_ms,
    peak_rss_mb: Math.round(peakRss / 1024 / 1024),
    sizes: rows,
  }),
);
