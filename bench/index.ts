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
 * database on HEARTH_DATABASE_URL's server, else a throwaway cluster with the server's default
 * durability: fsync on; the RSS column is the Node process's, not the server's), and `npm run
 * bench -- --semeval --data PATH [--store postgres]` runs the SemEval related-search benchmark
 * (bench/semeval/run.ts) instead.
 * `--store postgres --copy-tail N` builds the PostgreSQL row the way an operator moving a
 * community would, for sizes too large to import through PostgreSQL's pipeline in a sitting:
 * the SQLite row's database (the size's messages, through the pipeline) is copied by
 * `npm run hearth -- migrate-store` (its rate is reported), then N more messages of the same
 * history go through the pipeline on PostgreSQL (the row's ingest rate is theirs) and the
 * questions are asked of the copy (size + N messages). The history is generated for size + N
 * messages; the raw and SQLite rows read its first `size`.
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
    'copy-tail': { type: 'string' },
  },
});
const copyTail = values['copy-tail'] === undefined ? 0 : Number(values['copy-tail']);
if (!Number.isInteger(copyTail) || copyTail < 0 || (copyTail > 0 && values.store !== 'postgres')) {
  console.error('usage: npm run bench -- --store postgres --copy-tail N (messages through the pipeline on top of the copy)');
  process.exit(2);
}
if (values.store !== 'sqlite' && values.store !== 'postgres') {
  console.error('usage: npm run bench -- [--store sqlite|postgres]');
  process.exit(2);
}
const cluster = values.store === 'postgres' && !process.env.HEARTH_DATABASE_URL ? await startCluster({ durable: true }) : undefined;
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
  if (process.env.BENCH_LOG) console.error(`${new Date().toISOString()} ${kind} phase: ${messages} messages into ${db.replace(/\/\/[^@]*@/, '//')}`);
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

/**
 * `npm run hearth -- migrate-store` from the SQLite file to the PostgreSQL database, as an
 * operator runs it (its own process, tsx start-up included), timed; the counts it checks must match.
 */
function copyStore(from: string, to: string): { seconds: number; rows: number } {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '../src/cli/index.ts');
  const started = performance.now();
  const child = spawnSync(process.execPath, [...process.execArgv, cli, 'migrate-store', '--from', `sqlite:${from}`, '--to', to], {
    stdio: ['ignore', 'pipe', 'ignore'],
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`migrate-store failed (exit ${child.status}): ${child.stdout}`);
  // Lines "table  source -> target", then "every table copied, counts match".
  const rows = [...child.stdout.matchAll(/^\S+\s+(\d+) ->\s+\d+$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { seconds, rows };
}

interface Row {
  messages: number;
  store: string;
  /** How the row was measured: the pipeline, or a migrate-store copy with `copy_tail` messages through the pipeline on top. */
  how: string;
  copy_rows_per_s?: number;
  copy_messages_per_s?: number;
  copy_seconds?: number;
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

/** The history as JSON lines (one message a line, the import format), written in chunks: the first `count` to `path`, the `tail` after them to `tailPath`. */
function writeHistory(path: string, count: number, tail = 0, tailPath = ''): void {
  const fd = openSync(path, 'w');
  const tailFd = tail > 0 ? openSync(tailPath, 'w') : -1;
  try {
    let chunk: string[] = [];
    let written = 0;
    const flush = () => {
      if (chunk.length) writeSync(written <= count ? fd : tailFd, chunk.join('\n') + '\n');
      chunk = [];
    };
    for (const message of generateMessages(count + tail)) {
      chunk.push(JSON.stringify(message));
      written++;
      if (written === count || chunk.length === 10_000) flush();
    }
    flush();
  } finally {
    closeSync(fd);
    if (tailFd >= 0) closeSync(tailFd);
  }
}

const rows: Row[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  try {
    const input = join(dir, 'history.jsonl');
    const tailInput = join(dir, 'tail.jsonl');
    writeHistory(input, size, copyTail, tailInput);
    const raw = runPhase('raw', input, size, join(dir, 'raw.db'));
    const stores: [string, string][] = [['sqlite', join(dir, 'hearth.db')]];
    if (postgresServer) stores.push(['postgres', await createDatabase(postgresServer, `hearth_bench_${size}_${Date.now()}`)]);
    for (const [store, db] of stores) {
      let copy: { seconds: number; rows: number } | undefined;
      if (store === 'postgres' && copyTail > 0) {
        if (process.env.BENCH_LOG) console.error(`${new Date().toISOString()} migrate-store: the SQLite row's database into PostgreSQL`);
        copy = copyStore(join(dir, 'hearth.db'), db);
      }
      const hearth = copy ? runPhase('hearth', tailInput, copyTail, db) : runPhase('hearth', input, size, db);
      rows.push({
        messages: copy ? size + copyTail : size,
        store,
        how: copy ? `migrate-store copy of the SQLite row's ${size}, then ${copyTail} through the pipeline` : 'pipeline',
        ...(copy && {
          copy_rows_per_s: Math.round(copy.rows / copy.seconds),
          copy_messages_per_s: Math.round(size / copy.seconds),
          copy_seconds: Math.round(copy.seconds),
        }),
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
for (const r of rows.filter((r) => r.copy_seconds !== undefined)) {
  console.log(`${r.store} at ${r.messages}: ${r.how}; migrate-store copied ${r.copy_rows_per_s} rows/s (${r.copy_messages_per_s} messages/s, ${r.copy_seconds} s); ingest/s is the last ${copyTail} messages'`);
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
