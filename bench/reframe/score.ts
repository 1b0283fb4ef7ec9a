/**
 * Reframing precision and recall against the hand labels of models/labels/reframe.candidates.tsv:
 *
 *   npx tsx bench/reframe/score.ts --data /work/shared/data [--labels FILE] [--split test|dev|all]
 *   npm run bench -- --reframe --data /work/shared/data
 *
 * Each labelled exchange (label `reframed` or `not_reframed`; `not_heated` rows are left out)
 * is rebuilt from its references and replayed through the live pipeline (the import path the
 * `pulse --input` CLI uses: reply inference, conflict, reframing), in a fresh in-memory
 * community. Predicted positive: a `reframed_debate` signal about the heated message's author.
 * Default split: `test`, the third kept aside. With no labelled rows it says so and scores
 * nothing; it also reports how many candidates the detector flags, which needs no labels.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { ManualClock } from '../../src/core/clock';
import { Companion } from '../../src/core/companion';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { readMessageLines } from '../../src/import/formats/jsonl';
import { historyPlatform } from '../../src/import/null-platform';
import { replayHistory } from '../../src/import/replay';
import { silentLogger } from '../../src/log';
import '../../src/models/installed';
import { candidates, type Candidate } from './exchanges';
import { readLabels } from './labels';

const COMMUNITY = 'bench:reframe';

/** Replay one exchange; true when a reframe of the heated author's exchange was recorded. */
export async function predict(candidate: Candidate, dir: string): Promise<boolean> {
  const file = join(dir, 'exchange.jsonl');
  writeFileSync(file, candidate.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const database = openDatabase(':memory:');
  try {
    const clock = new ManualClock(0);
    const repos = createRepositories(database);
    const companion = new Companion({ repos, platform: historyPlatform('bench'), clock, log: silentLogger, settingsDefaults: { timezone: 'UTC' } });
    await replayHistory(readMessageLines(file, new PassThrough()), {
      companion,
      repos,
      community: COMMUNITY,
      communityName: 'reframe',
      beforeItem: (time) => clock.set(time),
      onError: () => {},
    });
    const signals = await repos.signals.list(COMMUNITY, { kind: 'reframed_debate' });
    return signals.some((s) => s.subjectId === candidate.heatedAuthor);
  } finally {
    database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, labels: { type: 'string', default: 'models/labels/reframe.candidates.tsv' }, split: { type: 'string', default: 'test' } },
  });
  if (!values.data || !['test', 'dev', 'all'].includes(values.split!)) {
    console.error('usage: npx tsx bench/reframe/score.ts --data /work/shared/data [--labels FILE] [--split test|dev|all]');
    return 2;
  }
  const labels = readLabels(readFileSync(values.labels!, 'utf8'));
  const all = candidates(values.data);
  const dir = mkdtempSync(join(tmpdir(), 'hearth-reframe-'));
  try {
    let flagged = 0;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let scored = 0;
    for (const c of all) {
      const predicted = await predict(c, dir);
      if (predicted) flagged++;
      const row = labels.get(c.id);
      if (!row || (row.label !== 'reframed' && row.label !== 'not_reframed')) continue;
      if (values.split !== 'all' && c.split !== values.split) continue;
      scored++;
      const gold = row.label === 'reframed';
      if (predicted && gold) tp++;
      else if (predicted) fp++;
      else if (gold) fn++;
    }
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const result = {
      candidates: all.length,
      flaggedByDetector: flagged,
      split: values.split,
      labelled: scored,
      goldReframed: tp + fn,
      precision: tp + fp ? r3(tp / (tp + fp)) : null,
      recall: tp + fn ? r3(tp / (tp + fn)) : null,
    };
    if (scored === 0) console.log(`No labelled exchanges in split "${values.split}": the evaluation awaits human labels (models/labels/reframe.guideline.md).`);
    console.log(JSON.stringify(result));
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main(process.argv.slice(2)));
