/**
 * Convert the public datasets into gold JSON lines for the stakes scorer. Data is read from
 * the paths given and written outside the repository (never commit it: see licences).
 *
 *   npx tsx bench/stakes/convert.ts --banking77 DIR --goemotions DIR --out DIR
 *
 * banking77/train.csv is split deterministically by row: even rows -> banking77.tune.jsonl
 * (what the patterns were tuned on), odd rows -> banking77.check.jsonl (held out).
 * GoEmotions train.tsv -> goemotions.tune.jsonl, dev.tsv -> goemotions.check.jsonl.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BANKING77_HIGH, GOEMOTIONS_RISK, type GoldLine } from './gold';

/** Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim()));
}

function banking77(dir: string): { tune: GoldLine[]; check: GoldLine[] } {
  const [header, ...rows] = parseCsv(readFileSync(join(dir, 'train.csv'), 'utf8'));
  if (header?.[0] !== 'text' || header?.[1] !== 'category') throw new Error(`${dir}/train.csv: expected a "text,category" header`);
  const tune: GoldLine[] = [];
  const check: GoldLine[] = [];
  rows.forEach(([text, category], index) => {
    if (!text || !category) throw new Error(`${dir}/train.csv: row ${index + 2} is missing text or category`);
    const high = BANKING77_HIGH[category];
    const line: GoldLine = {
      id: `b77-${index}`,
      text,
      source: category,
      stakes: high ? 'high' : 'low',
      classes: high ? [high.primary, ...(high.alsoAcceptable ?? [])] : [],
    };
    (index % 2 === 0 ? tune : check).push(line);
  });
  return { tune, check };
}

function goemotions(dir: string, file: string, split: string): GoldLine[] {
  const labels = readFileSync(join(dir, 'labels.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, n) => {
      const [text, ids, id] = line.split('\t');
      if (text === undefined || ids === undefined) throw new Error(`${dir}/${file}: line ${n + 1} is not "text<TAB>labels<TAB>id"`);
      const names = ids.split(',').map((i) => labels[Number(i)]).filter(Boolean);
      const risk = [...new Set(names.map((name) => GOEMOTIONS_RISK[name]).filter(Boolean))];
      return { id: `goe-${split}-${id ?? n}`, text, source: names.join('+'), risk };
    });
}

const { values } = parseArgs({ options: { banking77: { type: 'string' }, goemotions: { type: 'string' }, out: { type: 'string' } } });
if (!values.out || (!values.banking77 && !values.goemotions)) {
  process.stderr.write('usage: tsx bench/stakes/convert.ts [--banking77 DIR] [--goemotions DIR] --out DIR\n');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const write = (name: string, lines: GoldLine[]) => {
  writeFileSync(join(values.out!, name), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  process.stdout.write(`${name}: ${lines.length} lines\n`);
};
if (values.banking77) {
  const { tune, check } = banking77(values.banking77);
  write('banking77.tune.jsonl', tune);
  write('banking77.check.jsonl', check);
}
if (values.goemotions) {
  write('goemotions.tune.jsonl', goemotions(values.goemotions, 'train.tsv', 'train'));
  write('goemotions.check.jsonl', goemotions(values.goemotions, 'dev.tsv', 'dev'));
}
