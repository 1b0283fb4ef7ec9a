/**
 * `npm run bench [-- --sizes 100000,1000000 --queries 300]`
 *
 * For each size: the same synthetic community history (bench/data.ts) goes
 *  - through Hearth's full pipeline (normalise, store, FTS index, reply inference, signals,
 *    same-here, stakes...) as an import would, and
 *  - straight into a raw better-sqlite3 FTS5 table (bench/raw.ts),
 * then the same questions are asked of Hearth's related-discussion search and of a plain
 * bm25 query. Prints a table and, last, one JSON line with the figures at the largest size.
 * Each phase (raw, Hearth) of each size runs in a process of its own (bench/phase.ts), so the
 * peak RSS reported is that phase's alone; `peak_rss_mb` is the Hearth process's at the
 * largest size (ingest and queries).
 * Benchmarks, not tests: numbers depend on the machine (this one: 2 cores).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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

interface PhaseResult {
  per_s: number;
  p50_ms: number;
  p95_ms: number;
  peak_rss_mb: number;
}

const phaseScript = join(dirname(fileURLToPath(import.meta.url)), 'phase.ts');

/** Run one phase in a fresh Node process (same loader flags as this one) and read its JSON line. */
function runPhase(kind: 'hearth' | 'raw', messages: number, db: string): PhaseResult {
  const child = spawnSync(process.execPath, [...process.execArgv, phaseScript, '--kind', kind, '--messages', String(messages), '--db', db, '--queries', String(queryCount)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = child.stdout?.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`bench phase ${kind} at ${messages} failed (exit ${child.status}): ${line}`);
  return JSON.parse(line) as PhaseResult;
}

interface Row {
  messages: number;
  ingest_per_s: number;
  raw_insert_per_s: number;
  query_p50_ms: number;
  query_p95_ms: number;
  raw_query_p50_ms: number;
  raw_query_p95_ms: number;
  peak_rss_mb: number;
  raw_peak_rss_mb: number;
}

const rows: Row[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  try {
    const raw = runPhase('raw', size, join(dir, 'raw.db'));
    const hearth = runPhase('hearth', size, join(dir, 'hearth.db'));
    rows.push({
      messages: size,
      ingest_per_s: hearth.per_s,
      raw_insert_per_s: raw.per_s,
      query_p50_ms: hearth.p50_ms,
      query_p95_ms: hearth.p95_ms,
      raw_query_p50_ms: raw.p50_ms,
      raw_query_p95_ms: raw.p95_ms,
      peak_rss_mb: hearth.peak_rss_mb,
      raw_peak_rss_mb: raw.peak_rss_mb,
    });
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

const header = ['messages', 'ingest/s', 'raw insert/s', 'query p50 ms', 'query p95 ms', 'raw p50 ms', 'raw p95 ms', 'RSS MB', 'raw RSS MB'];
console.log(header.map((h) => h.padStart(14)).join(''));
for (const r of rows) {
  console.log(
    [r.messages, r.ingest_per_s, r.raw_insert_per_s, r.query_p50_ms, r.query_p95_ms, r.raw_query_p50_ms, r.raw_query_p95_ms, r.peak_rss_mb, r.raw_peak_rss_mb]
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
    peak_rss_mb: largest.peak_rss_mb,
    raw_peak_rss_mb: largest.raw_peak_rss_mb,
    sizes: rows,
  }),
);
