/**
 * How the risk feature's lexical flags (`lexicalRiskFlags`) behave on real comments: GoEmotions (Reddit, 27 emotion labels;
 * see /work/shared/data/README.md, not shipped with Hearth).
 *   npx tsx bench/risk-flags.ts path/to/goemotions/dev.tsv path/to/labels.txt
 * Proxies (GoEmotions has no "risk" label): frustration ~ anger/annoyance, conflict ~
 * anger/disgust/disapproval, distress ~ sadness/grief/fear/nervousness/remorse. Reports the
 * flag rate, the share of flags on comments with a matching negative label (precision
 * proxy), the flag rate on `neutral`-only comments (noise), and throughput.
 */
import { readFileSync } from 'node:fs';
import { lexicalRiskFlags, type RiskCategory } from '../src/core/risk/lexicon';
import '../src/models/installed';

const [dataPath, labelsPath] = process.argv.slice(2);
if (!dataPath || !labelsPath) {
  process.stderr.write('usage: tsx bench/risk-flags.ts <goemotions dev.tsv> <labels.txt>\n');
  process.exit(2);
}
const names = readFileSync(labelsPath, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
const PROXY: Record<RiskCategory, string[]> = {
  frustration: ['anger', 'annoyance', 'disappointment'],
  conflict: ['anger', 'disgust', 'disapproval', 'annoyance'],
  distress: ['sadness', 'grief', 'fear', 'nervousness', 'remorse'],
};
const NEGATIVE = new Set(Object.values(PROXY).flat().concat(['embarrassment']));

const rows = readFileSync(dataPath, 'utf8')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter((cols) => cols.length >= 2 && cols[0])
  .map(([text, ids]) => ({ text, labels: new Set(ids.split(',').map((i) => names[Number(i)])) }));

const started = performance.now();
const results = rows.map((row) => ({ row, flags: lexicalRiskFlags(row.text) }));
const ms = performance.now() - started;

const flagged = results.filter((r) => r.flags.length);
const neutral = results.filter((r) => r.row.labels.size === 1 && r.row.labels.has('neutral'));
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
process.stdout.write(`comments: ${rows.length}; flagged: ${flagged.length} (${pct(flagged.length, rows.length)})\n`);
process.stdout.write(`flags on comments with any negative label: ${pct(flagged.filter((r) => [...r.row.labels].some((l) => NEGATIVE.has(l))).length, flagged.length)}\n`);
process.stdout.write(`flag rate on neutral-only comments: ${pct(neutral.filter((r) => r.flags.length).length, neutral.length)} of ${neutral.length}\n`);
for (const category of ['distress', 'conflict', 'frustration'] as RiskCategory[]) {
  const mine = results.filter((r) => r.flags.some((f) => f.category === category));
  const proxy = results.filter((r) => PROXY[category].some((l) => r.row.labels.has(l)));
  const hit = mine.filter((r) => PROXY[category].some((l) => r.row.labels.has(l)));
  process.stdout.write(
    `${category}: ${mine.length} flags, precision vs ${PROXY[category].join('/')} ${pct(hit.length, mine.length)}, recall ${pct(hit.length, proxy.length)} of ${proxy.length}\n`,
  );
}
process.stdout.write(`throughput: ${Math.round(rows.length / (ms / 1000)).toLocaleString('en')} messages/s (${ms.toFixed(0)} ms)\n`);
