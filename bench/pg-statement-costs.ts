/**
 * `npx tsx bench/pg-statement-costs.ts [N=5000]`: ingest N bench messages through the pipeline
 * on PostgreSQL (a throwaway cluster, or HEARTH_DATABASE_URL's server: a new database) and
 * print the round trips a message costs: every node-postgres query counted and timed (wall
 * time, the round trip included), busiest first; then, on the throwaway cluster, the server's
 * own execution and planning time per statement (pg_stat_statements). The PostgreSQL
 * counterpart of bench/statement-costs.ts. `AUTONAME=1` names every statement (server-side
 * prepared), to see what that would save.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { generateMessages } from './data';
import { openPipeline, toItem } from './pipeline';
import { createDatabase, startCluster } from '../tests/setup/postgres';

const n = Number(process.argv[2] ?? 5_000);
const costs = new Map<string, { ms: number; calls: number }>();
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
let counting = false;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : (first?.text ?? '?');
  if (process.env.AUTONAME && typeof first === 'object' && first && !('name' in first && (first as { name?: string }).name) && (first as { values?: unknown[] }).values?.length) {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    args[0] = { ...first, name: `h${h >>> 0}` };
  }
  const result = original.apply(this, args);
  if (!counting || !(result instanceof Promise)) return result;
  const started = performance.now();
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 600);
  const done = () => {
    const cost = costs.get(key) ?? { ms: 0, calls: 0 };
    cost.ms += performance.now() - started;
    cost.calls++;
    costs.set(key, cost);
  };
  result.then(done, done);
  return result;
};

/** CPU seconds of this database's server processes (their titles name it), from /proc. */
function serverCpu(database: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(database)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

const cluster = process.env.HEARTH_DATABASE_URL
  ? undefined
  : await startCluster({ settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all', 'pg_stat_statements.track_planning=on'] });
try {
  const name = `hearth_stmt_${Date.now()}`;
  const url = await createDatabase(cluster?.url ?? process.env.HEARTH_DATABASE_URL!, name);
  const p = await openPipeline(url);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const statistics = cluster !== undefined;
  if (statistics) await admin.query('CREATE EXTENSION pg_stat_statements');
  const items = [...generateMessages(n)].map(toItem);
  if (statistics) await admin.query('SELECT pg_stat_statements_reset()');
  counting = true;
  const cpu = process.cpuUsage();
  const serverBefore = serverCpu(name);
  const started = performance.now();
  await p.ingest(items);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const server = serverCpu(name) - serverBefore;
  counting = false;
  await p.close();
  const calls = [...costs.values()].reduce((s, c) => s + c.calls, 0);
  console.log(`${n} messages, ${Math.round(n / seconds)}/s, ${(calls / n).toFixed(2)} round trips a message, Node CPU ${Math.round((used.user + used.system) / n)} µs a message (system ${Math.round(used.system / n)}), server CPU ${Math.round((server * 1e6) / n)} µs a message (its processes on this database)`);
  for (const [text, c] of [...costs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) {
    console.log(`${((c.ms * 1000) / n).toFixed(0).padStart(7)} µs/msg ${(c.calls / n).toFixed(3).padStart(6)} calls/msg  ${text}`);
  }
  if (statistics) {
    console.log('server side (pg_stat_statements): µs a message executing, planning; calls');
    const { rows } = await admin.query(
      `SELECT calls, round(total_exec_time::numeric * 1000 / $1) AS exec, round(total_plan_time::numeric * 1000 / $1) AS plan, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS q
       FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time + total_plan_time DESC LIMIT 15`,
      [n],
    );
    for (const r of rows) console.log(`${String(r.exec).padStart(7)} ${String(r.plan).padStart(6)} ${String(r.calls).padStart(7)}  ${r.q}`);
  }
  await admin.end();
} finally {
  cluster?.stop();
}
