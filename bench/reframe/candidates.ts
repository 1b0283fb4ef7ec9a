/**
 * Write the candidate heated exchanges for hand-labelling (references only, empty labels):
 *
 *   npx tsx bench/reframe/candidates.ts --data /work/shared/data [--out models/labels/reframe.candidates.tsv]
 *
 * An existing file keeps its labels: rows already labelled are carried over by id.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { candidates } from './exchanges';
import { COLUMNS, readLabels } from './labels';

const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string', default: 'models/labels/reframe.candidates.tsv' } } });
if (!values.data) {
  console.error('usage: npx tsx bench/reframe/candidates.ts --data /work/shared/data [--out FILE]');
  process.exit(2);
}
const kept = existsSync(values.out!) ? readLabels(readFileSync(values.out!, 'utf8')) : new Map();
const rows = candidates(values.data).map((c) => {
  const old = kept.get(c.id);
  return [c.id, c.source, c.file, c.heatedRef, c.contextFrom, c.contextTo, c.split, old?.label ?? '', old?.reframerRef ?? '', old?.labeller ?? '', old?.notes ?? ''];
});
const header = [
  '# Candidate heated exchanges for reframed_debate; guideline: models/labels/reframe.guideline.md. References into ../shared/data only.',
  '# label: reframed | not_reframed | not_heated (empty = not labelled yet). split: test = the third kept aside.',
  COLUMNS.join('\t'),
];
writeFileSync(values.out!, [...header, ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
const bySplit = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r[1]}/${r[6]}`]: (acc[`${r[1]}/${r[6]}`] ?? 0) + 1 }), {});
console.log(`${rows.length} candidates -> ${values.out} ${JSON.stringify(bySplit)}`);
