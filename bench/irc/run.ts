/**
 * Reply-inference benchmark on real chat: Ubuntu IRC dev logs with gold reply links.
 * Converts the logs, runs the `links` CLI on them (same code path as operators use),
 * and prints link precision / recall / F1 next to the "link to the previous message"
 * baseline computed by the same scorer.
 *
 *   npx tsx bench/irc/run.ts --data ../shared/data/irc-disentanglement [--split dev] [--weights '{"self":2}']
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { run as links } from '../../src/cli/commands/links';
import { ReplyLinker, type Weights } from '../../src/core/threads';
import { loadSplit } from './convert';
import { goldFiles, predictedPairs, readGold, score, type Score } from './score';
import '../../src/models/installed';

const { values } = parseArgs({
  options: { data: { type: 'string' }, split: { type: 'string', default: 'dev' }, weights: { type: 'string' } },
});
if (!values.data) {
  console.error('Usage: npx tsx bench/irc/run.ts --data ../shared/data/irc-disentanglement [--split dev]');
  process.exit(2);
}
const messages = loadSplit(values.data, values.split);
const gold = readGold(readFileSync(join(values.data, `gold.${values.split}.graphs.txt`), 'utf8'));
const files = goldFiles(gold);
const show = (name: string, s: Score) =>
  console.log(`${name.padEnd(31)} P ${s.precision.toFixed(1).padStart(5)}  R ${s.recall.toFixed(1).padStart(5)}  F1 ${s.f1.toFixed(1).padStart(5)}`);

// Baseline: every message answers the line before it (first line of a file starts one).
const previous = messages.map((m, i) => ({ id: m.id, replyTo: i > 0 && messages[i - 1].channel === m.channel ? messages[i - 1].id : null }));
show('previous message (baseline)', score(gold, predictedPairs(previous, files)));
// A kinder variant: joins start nothing, chat lines answer the previous chat line.
let lastChat: (typeof messages)[number] | undefined;
const previousChat = messages.map((m) => {
  if (lastChat?.channel !== m.channel) lastChat = undefined;
  const replyTo = m.kind === 'message' ? lastChat?.id ?? null : null;
  if (m.kind === 'message') lastChat = m;
  return { id: m.id, replyTo };
});
show('previous chat line, joins self', score(gold, predictedPairs(previousChat, files)));

let predicted: { id: string; replyTo: string | null }[];
const started = performance.now();
if (values.weights) {
  // Tuning: call the linker directly with other weights.
  const linker = new ReplyLinker({ weights: JSON.parse(values.weights) as Partial<Weights> });
  predicted = messages.map((m) => ({ id: m.id, replyTo: linker.link(m.channel, m) }));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-irc-'));
  try {
    const input = join(dir, 'messages.jsonl');
    writeFileSync(input, messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
    const out: string[] = [];
    const code = await links(['--input', input], { out: (l) => out.push(l), err: (l) => console.error(l), stdin: process.stdin });
    if (code !== 0) throw new Error(`links exited with ${code}`);
    predicted = out.map((l) => JSON.parse(l) as { id: string; replyTo: string | null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const ms = performance.now() - started;
show('hearth links', score(gold, predictedPairs(predicted, files)));
console.log(`${messages.length} messages in ${ms.toFixed(0)} ms (${((1000 * ms) / messages.length).toFixed(0)} µs per message)`);
