/**
 * Score the stakes classifier and risk flags against gold lines from convert.ts.
 *
 *   npx tsx bench/stakes/score.ts --input DIR/banking77.check.jsonl [--errors 20]
 *
 * Stakes: precision / recall of "high" overall and per class (a predicted class counts as
 * correct when it is one of the line's acceptable classes; recall counts the primary class).
 * Risk: precision / recall per flag, for lines carrying risk gold (GoEmotions).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classifyStakes, riskFlags, RISK_FLAGS, STAKES_CLASSES } from '../../src/core/stakes';
import type { GoldLine } from './gold';
import '../../src/models/installed';

const { values } = parseArgs({ options: { input: { type: 'string' }, errors: { type: 'string', default: '0' } } });
if (!values.input) {
  process.stderr.write('usage: tsx bench/stakes/score.ts --input GOLD.jsonl [--errors N]\n');
  process.exit(2);
}
const lines = readFileSync(values.input, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as GoldLine);
const showErrors = Number(values.errors);

interface Count { tp: number; fp: number; fn: number }
const count = (): Count => ({ tp: 0, fp: 0, fn: 0 });
const pct = (n: number, d: number) => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
const row = (name: string, c: Count) =>
  `${name.padEnd(18)} precision ${pct(c.tp, c.tp + c.fp)}  recall ${pct(c.tp, c.tp + c.fn)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;

const errors: string[] = [];
if (lines.some((l) => l.stakes)) {
  const high = count();
  const perClass = Object.fromEntries(STAKES_CLASSES.map((c) => [c, count()])) as Record<string, Count>;
  for (const line of lines.filter((l) => l.stakes)) {
    const result = classifyStakes(line.text);
    const gold = line.stakes === 'high';
    const predicted = result.level === 'high';
    if (gold && predicted) high.tp++;
    else if (predicted) high.fp++;
    else if (gold) high.fn++;
    if (gold !== predicted) errors.push(`${predicted ? 'FP' : 'FN'} [${line.source}] ${result.categories.join(',') || '-'}: ${line.text}`);
    const acceptable = line.classes ?? [];
    for (const c of result.categories) {
      if (acceptable.includes(c)) perClass[c].tp++;
      else perClass[c].fp++;
    }
    if (acceptable[0] && !result.categories.includes(acceptable[0] as never)) perClass[acceptable[0]].fn++;
  }
  console.log(`stakes on ${values.input} (${lines.length} lines)`);
  console.log(row('high (any class)', high));
  for (const c of STAKES_CLASSES) if (perClass[c].tp + perClass[c].fp + perClass[c].fn > 0) console.log(row(c, perClass[c]));
}
if (lines.some((l) => l.risk)) {
  const perFlag = Object.fromEntries(RISK_FLAGS.map((f) => [f, count()])) as Record<string, Count>;
  const any = count();
  for (const line of lines.filter((l) => l.risk)) {
    const flags = riskFlags(line.text);
    const gold = line.risk ?? [];
    for (const f of RISK_FLAGS) {
      const p = (flags as string[]).includes(f);
      const g = gold.includes(f);
      if (p && g) perFlag[f].tp++;
      else if (p) perFlag[f].fp++;
      else if (g) perFlag[f].fn++;
    }
    if (flags.length && gold.length) any.tp++;
    else if (flags.length) any.fp++;
    else if (gold.length) any.fn++;
    if (showErrors && (flags.length > 0) !== (gold.length > 0)) errors.push(`${flags.length ? 'FP' : 'FN'} [${line.source}] ${flags.join(',') || '-'}: ${line.text}`);
  }
  console.log(`risk flags on ${values.input} (${lines.length} lines)`);
  console.log(row('any flag', any));
  for (const f of RISK_FLAGS) console.log(row(f, perFlag[f]));
}
if (showErrors) for (const e of errors.slice(0, showErrors)) console.log(e);
