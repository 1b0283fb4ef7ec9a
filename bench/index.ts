/**
 * `npm run bench [-- --sizes 100000,1000000 --queries 300]`
 *
 * For each size: the same synthetic community history (bench/data.ts), written once as a
 * file of Hearth's JSON lines, goes
 *  - through `npm run hearth -- import`'s path: its line reader and validation, then Hearth's
 *    full pipeline (normalise, store, FTS index, reply inference, signals, same-here...), and
 *  - line by line (JSON.parse) straight into a raw better-sqlite3 FTS5 table (bench/raw.ts),
 * then the same questions are asked of Hearth's related-discussion search and of a plain
 * bm25 query. Prints a table and, last, one JSON line with the figures at the largest size.
 * Each phase (raw, Hearth) of each size runs in a process of its own (bench/phase.ts), so the
 * peak RSS reported is that phase's alone; `peak_rss_mb` is the Hearth process's at the
 * largest size (ingest and queries).
 * Benchmarks, not tests: numbers depend on the machine (this one: 2 cores).
 * `npm run bench -- --replay` runs the replay benchmark instead (bench/replay.ts), and
 * `npm run bench -- --recognisers` what the four recognisers cost (bench/recognisers.ts),
 * `npm run bench -- --kill-soak --platform discord` kill -9 rounds (bench/kill-soak.ts), and
 * `npm run bench -- --resolution --data DIR` thread resolution on SemEval-2016 (bench/resolution/semeval.ts).
 * `npm run bench -- --store postgres` adds a row per size for Hearth on PostgreSQL (a new
 * database on HEARTH_DATABASE_URL's server, else a throwaway cluster; the RSS column is the
 * Node process's, not the server's), and `npm run bench -- --semeval --data PATH [--store
 * postgres]` runs the SemEval related-search benchmark (bench/semeval/run.ts) instead.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateMessages } from './data';
import { createDatabase, startCluster } from '../tests/setup/postgres';

// `npm run bench -- --replay [...]`: the replay benchmark (bench/replay.ts) instead.
if (process.argv.includes('--replay')) {
  const { main } = await import('./replay');
  process.exit(await main(process.argv.slice(2).filter((a) => a !== '--replay')));
}

// `npm run bench -- --dashboard [...]`: the dashboard's page times and memory (bench/dashboard.ts) instead.
if (process.argv.includes('--dashboard')) {
  const { main } = await import('./dashboard');
  process.exit(await main(process.argv.slice(2).filter((a) => a !== '--dashboard')));
}
// `npm run bench -- --kill-soak [--rounds 100] [--platform shell|discord|slack|all]`: kill -9 soak (bench/kill-soak.ts) instead.
if (process.argv.includes('--kill-soak')) {
  const { main } = await import('./kill-soak');
  process.exit(await main(process.argv.slice(2).filter((a) => a !== '--kill-soak')));
}

// `npm run bench -- --recognisers [...]`: the recognisers' CPU and memory (bench/recognisers.ts) instead.
if (process.argv.includes('--recognisers')) {
  const { main } = await import('./recognisers');
  process.exit(main(process.argv.slice(2).filter((a) => a !== '--recognisers')));
}

// `npm run bench -- --semeval --data PATH [--store postgres]`: related-search quality (bench/semeval/run.ts) instead.
if (process.argv.includes('--semeval')) {
  const { main } = await import('./semeval/run');
  process.exit(await main(process.argv.slice(2).filter((a) => a !== '--semeval')));
}

// `npm run bench -- --reframe --data DIR`: reframing against the hand labels (bench/reframe/score.ts).
if (process.argv.includes('--reframe')) {
  const { main } = await import('./reframe/score');
  process.exit(await main(process.argv.slice(2).filter((a) => a !== '--reframe')));
}

// `npm run bench -- --resolution --data DIR`: thread resolution against SemEval-2016 (bench/resolution/semeval.ts).
if (process.argv.includes('--resolution')) {
  const { main } = await import('./resolution/semeval');
  process.exit(main(process.argv.slice(2).filter((a) => a !== '--resolution')));
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    queries: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
  },
});
if (values.store !== 'sqlite' && values.store !== 'postgres') {
  console.error('usage: npm run bench -- [--store sqlite|postgres]');
  process.exit(2);
}
const cluster = values.store === 'postgres' && !process.env.HEARTH_DATABASE_URL ? await startCluster() : undefined;
const postgresServer = cluster?.url ?? (values.store === 'postgres' ? process.env.HEARTH_DATABASE_URL : undefined);
const sizes = values.sizes!.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
const queryCount = Number(values.queries);
if (sizes.length === 0 || !Number.isInteger(queryCount) || queryCount < 1) {
  console.error('usage: npm run bench -- [--sizes 100000,1000000] [--queries 300]');
  process.exit(2);
}

interface PhaseResult {
  per_s: number;
  cpu_us: number;
  p50_ms: number;
  p95_ms: number;
  peak_rss_mb: number;
}

const phaseScript = join(dirname(fileURLToPath(import.meta.url)), 'phase.ts');

/** Run one phase in a fresh Node process (same loader flags as this one) and read its JSON line. */
function runPhase(kind: 'hearth' | 'raw', input: string, messages: number, db: string): PhaseResult {
  const args = [phaseScript, '--kind', kind, '--input', input, '--messages', String(messages), '--db', db, '--queries', String(queryCount)];
  const child = spawnSync(process.execPath, [...process.execArgv, ...args], {
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
  store: string;
  ingest_per_s: number;
  raw_insert_per_s: number;
  ingest_cpu_us_per_message: number;
  raw_cpu_us_per_message: number;
  query_p50_ms: number;
  query_p95_ms: number;
  raw_query_p50_ms: number;
  raw_query_p95_ms: number;
  peak_rss_mb: number;
  raw_peak_rss_mb: number;
}

/** The history as JSON lines (one message a line, the import format), written in chunks. */
function writeHistory(path: string, count: number): void {
  const fd = openSync(path, 'w');
  try {
    let chunk: string[] = [];
    for (const message of generateMessages(count)) {
      chunk.push(JSON.stringify(message));
      if (chunk.length === 10_000) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}

const rows: Row[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  try {
    const input = join(dir, 'history.jsonl');
    writeHistory(input, size);
    const raw = runPhase('raw', input, size, join(dir, 'raw.db'));
    const stores: [string, string][] = [['sqlite', join(dir, 'hearth.db')]];
    if (postgresServer) stores.push(['postgres', await createDatabase(postgresServer, `hearth_bench_${size}_${Date.now()}`)]);
    for (const [store, db] of stores) {
      const hearth = runPhase('hearth', input, size, db);
      rows.push({
        messages: size,
        store,
        ingest_per_s: hearth.per_s,
        raw_insert_per_s: raw.per_s,
        ingest_cpu_us_per_message: hearth.cpu_us,
        raw_cpu_us_per_message: raw.cpu_us,
        query_p50_ms: hearth.p50_ms,
        query_p95_ms: hearth.p95_ms,
        raw_query_p50_ms: raw.p50_ms,
        raw_query_p95_ms: raw.p95_ms,
        peak_rss_mb: hearth.peak_rss_mb,
        raw_peak_rss_mb: raw.peak_rss_mb,
      });
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

cluster?.stop();
const header = ['messages', 'store', 'ingest/s', 'raw insert/s', 'CPU µs/msg', 'raw CPU µs', 'query p50 ms', 'query p95 ms', 'raw p50 ms', 'raw p95 ms', 'RSS MB', 'raw RSS MB'];
console.log(header.map((h) => h.padStart(14)).join(''));
for (const r of rows) {
  console.log(
    [
      r.messages,
      r.store,
      r.ingest_per_s,
      r.raw_insert_per_s,
      r.ingest_cpu_us_per_message,
      r.raw_cpu_us_per_message,
      r.query_p50_ms,
      r.query_p95_ms,
      r.raw_query_p50_ms,
      r.raw_query_p95_ms,
      r.peak_rss_mb,
      r.raw_peak_rss_mb,
    ]
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
