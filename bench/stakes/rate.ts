/**
 * How often the stakes map (and the typed-request recogniser) fires on ordinary text: the
 * share of lines classified high, per class, and of lines read as asking for a human (run it on GoEmotions, Reddit comments that are almost all low stakes, as
 * a false-alarm proxy; a human reads the printed examples to judge them).
 *
 *   npx tsx bench/stakes/rate.ts --input DIR/goemotions.check.jsonl [--examples 10]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classifyStakes, STAKES_CLASSES, wantsHuman } from '../../src/core/stakes';
import '../../src/models/installed';

const { values } = parseArgs({ options: { input: { type: 'string' }, examples: { type: 'string', default: '0' } } });
if (!values.input) {
  process.stderr.write('usage: tsx bench/stakes/rate.ts --input LINES.jsonl [--examples N]\n');
  process.exit(2);
}
const lines = readFileSync(values.input, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string });
const counts = Object.fromEntries(STAKES_CLASSES.map((c) => [c, 0]));
const examples: string[] = [];
let high = 0;
let human = 0;
for (const { text } of lines) {
  if (wantsHuman(text)) {
    human++;
    examples.push(`wantsHuman: ${text}`);
  }
  const result = classifyStakes(text);
  if (result.level === 'low') continue;
  high++;
  for (const c of result.categories) counts[c]++;
  examples.push(`${result.categories.join(',')}: ${text}`);
}
const pct = (n: number) => `${((100 * n) / lines.length).toFixed(2)}%`;
console.log(`high stakes on ${values.input}: ${high} of ${lines.length} lines (${pct(high)})`);
for (const c of STAKES_CLASSES) console.log(`  ${c.padEnd(18)} ${String(counts[c]).padStart(5)} (${pct(counts[c])})`);
console.log(`wantsHuman: ${human} of ${lines.length} lines (${pct(human)})`);
for (const e of examples.slice(0, Number(values.examples))) console.log(e);
