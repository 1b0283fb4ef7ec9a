/**
 * What the four recognisers cost, on real chat lines.
 *
 *   npm run bench -- --recognisers [--data ../shared/data] [--passes 2]
 *   npx tsx bench/recognisers.ts --data ../shared/data
 *
 * Lines: the Ubuntu IRC dev logs (`irc-disentanglement/dev`, messages only) and the GoEmotions
 * dev comments. After a warm-up pass, each row is the CPU time (process.cpuUsage: user +
 * system, so garbage collection counts) per message of one stage over every line: feature
 * extraction alone, the four linear scores over already extracted features, each recogniser's
 * whole decision (rules and model, as `recognisersDecide` calls it), and all four in a row on
 * each message (what a live message pays). Memory: two child processes import the same code,
 * both run every line through the four recognisers, one with
 * the models loaded, the other with one-weight stand-ins that never fire; the difference in RSS is what the models add.
 * Issue 19's budget: all four ≤ 30 µs per message on one core, models ≤ 30 MB of RSS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { installRecognisers, type Recognisers } from '../src/core/models';
import { extractFeatures } from '../src/core/models/features';
import { LinearModel } from '../src/core/models/linear';
import { recognisersDecide } from '../src/core/models/decisions';
import { RECOGNISERS } from '../src/core/models/weights';
import { loadRecognisers, readRecognisers } from '../src/models/load';
import { loadSplit } from './irc/convert';

/** The benchmark's lines: IRC dev messages, then GoEmotions dev comments. */
export function benchLines(dataDir: string): string[] {
  const irc = loadSplit(join(dataDir, 'irc-disentanglement'), 'dev')
    .filter((l) => l.kind === 'message')
    .map((l) => l.text);
  const goEmotions = readFileSync(join(dataDir, 'goemotions', 'dev.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((row) => row.split('\t')[0]!);
  return [...irc, ...goEmotions];
}

/** CPU µs per message of `run` over every line, `passes` times (the first pass is not counted). */
function cpuPerMessage(lines: readonly string[], passes: number, run: (text: string) => unknown): number {
  for (const text of lines) run(text);
  const start = process.cpuUsage();
  for (let p = 0; p < passes; p++) for (const text of lines) run(text);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (lines.length * passes);
}

function stubRecognisers(): Recognisers {
  const stub = new LinearModel(new Float32Array(1), 0, false);
  return {
    models: { sameHere: stub, wantsHuman: stub, money: stub, distress: stub },
    thresholds: { sameHere: 2, wantsHuman: 2, money: 2, distress: 2 },
    bytes: [],
    identity: 'stub',
  };
}

/** Child process: RSS (MB) after importing the recognisers, with or without loading and using the models. */
function rssChild(mode: 'without' | 'with', dataDir: string): void {
  const lines = benchLines(dataDir);
  // Without: one-weight models that never fire, so the phrase rules do the same work in both.
  if (mode === 'with') loadRecognisers();
  else installRecognisers(stubRecognisers());
  for (const text of lines) for (const name of RECOGNISERS) recognisersDecide[name](text);
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ rss_mb: process.memoryUsage().rss / 2 ** 20 })}\n`);
}

function measureRss(mode: 'without' | 'with', dataDir: string): number {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', script, '--rss-child', mode, '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const line = child.stdout?.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`RSS child (${mode}) failed (exit ${child.status}): ${line}`);
  return (JSON.parse(line) as { rss_mb: number }).rss_mb;
}

export interface RecogniserCosts {
  messages: number;
  /** CPU µs per message, by stage. */
  cpu_us: Record<string, number>;
  rss_without_mb: number;
  rss_with_mb: number;
}

export function measure(dataDir: string, passes: number): RecogniserCosts {
  const lines = benchLines(dataDir);
  loadRecognisers();
  const { models } = readRecognisers();
  const cpu: Record<string, number> = {};
  cpu['feature extraction'] = cpuPerMessage(lines, passes, (text) => extractFeatures(text));
  const extracted = lines.map((text) => extractFeatures(text));
  let i = 0;
  cpu['four model scores'] = cpuPerMessage(lines, passes, () => {
    const features = extracted[i++ % extracted.length]!;
    for (const name of RECOGNISERS) models[name].score(features, false);
  });
  for (const name of RECOGNISERS) cpu[`${name} (rules + model)`] = cpuPerMessage(lines, passes, (text) => recognisersDecide[name](text));
  cpu['all four together'] = cpuPerMessage(lines, passes, (text) => {
    for (const name of RECOGNISERS) recognisersDecide[name](text);
  });
  return { messages: lines.length, cpu_us: cpu, rss_without_mb: measureRss('without', dataDir), rss_with_mb: measureRss('with', dataDir) };
}

export function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: '../shared/data' },
      passes: { type: 'string', default: '2' },
      'rss-child': { type: 'string' },
    },
  });
  const dataDir = values.data!;
  if (values['rss-child'] === 'with' || values['rss-child'] === 'without') {
    rssChild(values['rss-child'], dataDir);
    return 0;
  }
  const passes = Number(values.passes);
  if (!Number.isInteger(passes) || passes < 1) {
    console.error('usage: npx tsx bench/recognisers.ts [--data ../shared/data] [--passes 2]');
    return 2;
  }
  const costs = measure(dataDir, passes);
  console.log(`${costs.messages} lines (IRC dev + GoEmotions dev), ${passes} passes after a warm-up, one core`);
  console.log(`${'stage'.padEnd(28)}${'CPU µs/message'.padStart(16)}`);
  for (const [stage, us] of Object.entries(costs.cpu_us)) console.log(`${stage.padEnd(28)}${us.toFixed(1).padStart(16)}`);
  const added = costs.rss_with_mb - costs.rss_without_mb;
  console.log(`RSS without models ${costs.rss_without_mb.toFixed(1)} MB, with models ${costs.rss_with_mb.toFixed(1)} MB: the models add ${added.toFixed(1)} MB`);
  console.log(JSON.stringify(costs));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
