/** `npx tsx bench/profile-ingest.ts N`: ingest N messages through the pipeline (for --cpu-prof). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMessages } from './data';
import { pipeline, toItem } from './pipeline';

const n = Number(process.argv[2] ?? 20000);
const p = pipeline(join(mkdtempSync(join(tmpdir(), 'hearth-prof-')), 'p.db'));
const items = [...generateMessages(n)].map(toItem);
const t0 = performance.now();
const stats = await p.ingest(items);
const s = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ ...stats, seconds: +s.toFixed(2), perSecond: Math.round(n / s) }));
p.close();
