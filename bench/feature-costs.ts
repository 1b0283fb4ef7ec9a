/** `npx tsx bench/feature-costs.ts N`: where ingest time goes, per feature and for ingest itself. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureList } from '../src/core/features';
import { recognisersDecide } from '../src/core/models/decisions';
import { RECOGNISERS } from '../src/core/models/weights';
import * as ingestModule from '../src/core/ingest';
import { generateMessages } from './data';
import { pipeline, toItem } from './pipeline';
import '../src/models/installed';

const n = Number(process.argv[2] ?? 5000);
const p = pipeline(join(mkdtempSync(join(tmpdir(), 'hearth-costs-')), 'p.db'));
const costs = new Map<string, number>();
for (const feature of featureList(p.companion.core.features)) {
  const original = feature.onEvent?.bind(feature);
  if (!original) continue;
  const name = feature.constructor.name;
  feature.onEvent = async (event, notes) => {
    const t = performance.now();
    try {
      await original(event, notes);
    } finally {
      costs.set(name, (costs.get(name) ?? 0) + performance.now() - t);
    }
  };
}
void ingestModule;
// Time every repository method too (the features' cost is mostly storage).
const repoCosts = new Map<string, { ms: number; calls: number }>();
const repos = p.companion.core.repos as unknown as Record<string, Record<string, unknown>>;
for (const [repoName, repo] of Object.entries(repos)) {
  if (typeof repo !== 'object' || repo === null) continue;
  for (const [method, fn] of Object.entries(repo)) {
    if (typeof fn !== 'function') continue;
    repo[method] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await (fn as (...a: unknown[]) => unknown).apply(repo, args);
      } finally {
        const key = `${repoName}.${method}`;
        const entry = repoCosts.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += performance.now() - t;
        entry.calls += 1;
        repoCosts.set(key, entry);
      }
    };
  }
}
const settings = p.companion.core.settings as unknown as { get: (c: string) => Promise<unknown> };
const settingsGet = settings.get.bind(settings);
settings.get = async (c: string) => {
  const t = performance.now();
  try {
    return await settingsGet(c);
  } finally {
    const entry = repoCosts.get('settings.get(service)') ?? { ms: 0, calls: 0 };
    entry.ms += performance.now() - t;
    entry.calls += 1;
    repoCosts.set('settings.get(service)', entry);
  }
};
const items = [...generateMessages(n)].map(toItem);
const t0 = performance.now();
await p.ingest(items);
const total = performance.now() - t0;
const features = [...costs.values()].reduce((a, b) => a + b, 0);
console.log(`total ${(total / n * 1000).toFixed(0)} µs/message; ingest+replay ${(((total - features) / n) * 1000).toFixed(0)} µs`);
for (const [name, ms] of [...costs].sort((a, b) => b[1] - a[1])) console.log(`${name.padEnd(20)} ${((ms / n) * 1000).toFixed(0)} µs/message`);
for (const [name, { ms, calls }] of [...repoCosts].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
  console.log(`  ${name.padEnd(32)} ${((ms / n) * 1000).toFixed(0).padStart(5)} µs/message  ${(calls / n).toFixed(2)} calls/message`);
}
// The four recognisers (rules and model) on the same texts, after the ingest warmed them up.
const texts = items.map((item) => (item.kind === 'message' ? item.message.text : ''));
const cpu = process.cpuUsage();
for (const text of texts) for (const name of RECOGNISERS) recognisersDecide[name](text);
const used = process.cpuUsage(cpu);
console.log(`recognisers (all four) ${((used.user + used.system) / texts.length).toFixed(1)} µs CPU/message`);
p.close();
