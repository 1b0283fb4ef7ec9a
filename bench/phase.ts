/**
 * One phase of `npm run bench`, in a process of its own so that its peak RSS is its own
 * (not the harness's, not the other phase's, not the previous size's):
 *
 *   npx tsx bench/phase.ts --kind hearth|raw --input HISTORY.jsonl --messages N --db PATH [--queries Q]
 *
 * Both read the same history file (Hearth's JSON lines, written by bench/index.ts).
 * hearth: the file imported as `npm run hearth -- import` does (the import's line reader and
 * validation, then Hearth's full pipeline), then the questions through related search. raw:
 * each line JSON.parse'd into a plain FTS5 table, then the same questions as a bm25 query.
 * Prints one JSON line: rate, CPU time per message, query p50/p95 and the process's peak RSS.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { percentile } from '../src/core/text/format';
import type { ImportItem } from '../src/import/types';
import { generateQueries, type BenchMessage } from './data';
import '../src/models/installed';

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    input: { type: 'string' },
    messages: { type: 'string' },
    db: { type: 'string' },
    queries: { type: 'string', default: '300' },
  },
});
const count = Number(values.messages);
const queryCount = Number(values.queries);
if ((values.kind !== 'hearth' && values.kind !== 'raw') || !values.input || !values.db || !Number.isInteger(count) || count < 1 || !Number.isInteger(queryCount) || queryCount < 1) {
  console.error('usage: npx tsx bench/phase.ts --kind hearth|raw --input HISTORY.jsonl --messages N --db PATH [--queries Q]');
  process.exit(2);
}

const input = values.input;
const progress = (done: number) => {
  if (process.stderr.isTTY && done % 10_000 === 0) process.stderr.write(`\r  ${count.toLocaleString('en')} messages: ${done.toLocaleString('en')} ingested`);
};

/** The raw side's reading: each line parsed, in batches of 10,000 (the file is never held whole). */
async function* rawBatches(size: number): AsyncGenerator<BenchMessage[]> {
  let batch: BenchMessage[] = [];
  for await (const line of createInterface({ input: createReadStream(input, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(JSON.parse(line) as BenchMessage);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function* counted(items: AsyncIterable<ImportItem>): AsyncGenerator<ImportItem> {
  let done = 0;
  for await (const item of items) {
    yield item;
    progress(++done);
  }
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
let stored = 0;
let query: { p50: number; p95: number };
// The clock runs from the first line read to the last message stored (code loaded, database open).
let started = 0;
let cpuBefore = process.cpuUsage();
let seconds = 0;
let cpu = { user: 0, system: 0 };
const startClock = () => {
  started = performance.now();
  cpuBefore = process.cpuUsage();
};
const stopClock = () => {
  seconds = (performance.now() - started) / 1000;
  cpu = process.cpuUsage(cpuBefore);
  if (process.stderr.isTTY) process.stderr.write('\n');
};
// Each kind loads only its own code: the raw process never holds Hearth's modules.
if (values.kind === 'raw') {
  const { rawDatabase } = await import('./raw');
  const raw = rawDatabase(values.db);
  startClock();
  for await (const batch of rawBatches(10_000)) {
    raw.insertMany(batch);
    stored += batch.length;
    progress(stored);
  }
  stopClock();
  query = await timeQueries(queries, (q) => raw.search(q));
  raw.close();
} else {
  const [{ openPipeline }, { readMessageLines }] = await Promise.all([import('./pipeline'), import('../src/import/formats/jsonl')]);
  // --db: a SQLite path, or a postgres:// URL (bench/index.ts --store postgres).
  const hearth = await openPipeline(values.db);
  startClock();
  const stats = await hearth.ingest(counted(readMessageLines(input)));
  if (stats.errors > 0) throw new Error(`${stats.errors} history lines were rejected`);
  stored = stats.messages;
  stopClock();
  query = await timeQueries(queries, (q) => hearth.search(q));
  await hearth.close();
}
if (stored !== count) throw new Error(`stored ${stored} of ${count} messages`);
// maxRSS is the kernel's high-water mark for this process (KiB): no sampling gaps.
console.log(
  JSON.stringify({
    per_s: Math.round(stored / seconds),
    // CPU time per message (all the process's threads: SQLite's and V8's helpers count too):
    // steadier than wall time on a busy machine.
    cpu_us: Math.round((cpu.user + cpu.system) / stored),
    p50_ms: +query.p50.toFixed(2),
    p95_ms: +query.p95.toFixed(2),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
