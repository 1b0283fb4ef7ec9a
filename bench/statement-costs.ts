/**
 * `npx tsx bench/statement-costs.ts [N=20000]`: ingest N bench messages through the pipeline
 * and print the SQL statements that took the most time (µs per message), by timing every
 * better-sqlite3 statement call. Finds the queries that grow with history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateMessages } from './data';
import { pipeline, toItem } from './pipeline';

const n = Number(process.argv[2] ?? 20_000);
const costs = new Map<string, { ms: number; calls: number }>();
const sources = new Map<string, string>();
const proto = (Database.prototype as unknown as { prepare(sql: string): object }).prepare;
const statementProto = Object.getPrototypeOf(proto.call(new Database(':memory:'), 'select 1'));
for (const method of ['get', 'run', 'all', 'iterate'] as const) {
  const original = statementProto[method];
  statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = `${method} ${this.source.replace(/\s+/g, ' ').slice(0, 160)}`;
      sources.set(key, this.source);
      const cost = costs.get(key) ?? { ms: 0, calls: 0 };
      cost.ms += performance.now() - started;
      cost.calls++;
      costs.set(key, cost);
    }
  };
}

const dir = mkdtempSync(join(tmpdir(), 'hearth-stmt-'));
try {
  const p = pipeline(join(dir, 'p.db'));
  const started = performance.now();
  await p.ingest([...generateMessages(n)].map(toItem));
  const seconds = (performance.now() - started) / 1000;
  if (process.env.PLANS) {
    for (const [key] of [...costs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)) {
      const source = sources.get(key)!;
      if (!/^\s*select/i.test(source)) continue;
      const params = (source.match(/\?/g) ?? []).map(() => 1);
      console.log(key.slice(0, 60), '\n   ', p.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params).map((r) => (r as { detail: string }).detail).join(' | '));
    }
  }
  p.close();
  console.log(`${n} messages, ${Math.round(n / seconds)}/s`);
  for (const [sql, c] of [...costs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.log(`${((c.ms * 1000) / n).toFixed(1).padStart(7)} µs/msg ${(c.calls / n).toFixed(2).padStart(5)} calls/msg  ${sql}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
