/**
 * Related-discussion benchmark on SemEval-2016 Task 3 subtask B (Qatar Living forum).
 *
 *   npx tsx bench/semeval/run.ts --data ../shared/data/semeval2016-cqa-ql [--store sqlite|postgres]
 *
 * Converts dev and train-part2 to the `related-eval` JSON lines in a temporary folder (the
 * data never enters the repository), runs the real `related-eval` command on them (the
 * live index and ranker), and prints MAP / MRR / P@1 and the surface F1 per split, next to
 * the search engine's own order. `--keep` leaves the temporary folder for inspection.
 * `--store postgres` runs it on PostgreSQL: a new database per split on HEARTH_DATABASE_URL's
 * server (its user may create databases), else on a throwaway cluster (tests/setup/postgres.ts).
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { run as relatedEval } from '../../src/cli/commands/related-eval';
import { convert } from './convert';
import { engineBaseline, score, type RankedLine } from './score';
import '../../src/models/installed';
import { createDatabase, startCluster } from '../../tests/setup/postgres';

const SPLITS = [
  { name: 'dev', xml: 'SemEval2016-Task3-CQA-QL-dev.xml', gold: 'SemEval2016-Task3-CQA-QL-dev.xml.subtaskB.relevancy' },
  { name: 'train-part2', xml: 'SemEval2016-Task3-CQA-QL-train-part2.xml' },
];

export async function main(args = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, keep: { type: 'boolean' }, store: { type: 'string', default: 'sqlite' } } });
  if (!values.data) {
    console.error('Usage: npx tsx bench/semeval/run.ts --data PATH/TO/semeval2016-cqa-ql [--keep]');
    return 2;
  }
  if (values.store !== 'sqlite' && values.store !== 'postgres') {
    console.error('--store is sqlite or postgres');
    return 2;
  }
  const data = resolve(values.data);
  const cluster = values.store === 'postgres' && !process.env.HEARTH_DATABASE_URL ? await startCluster() : undefined;
  const server = cluster?.url ?? process.env.HEARTH_DATABASE_URL;
  console.log(`store: ${values.store}`);
  const dir = mkdtempSync(join(tmpdir(), 'hearth-semeval-'));
  try {
    for (const split of SPLITS) {
      const xml = join(data, split.xml);
      if (!existsSync(xml)) {
        console.error(`missing ${xml}`);
        return 2;
      }
      const converted = convert(xml, split.gold ? join(data, split.gold) : undefined);
      const corpus = join(dir, `${split.name}.corpus.jsonl`);
      const queries = join(dir, `${split.name}.queries.jsonl`);
      writeFileSync(corpus, converted.corpus.map((l) => JSON.stringify(l)).join('\n') + '\n');
      writeFileSync(queries, converted.queries.map((l) => JSON.stringify(l)).join('\n') + '\n');
      writeFileSync(join(dir, `${split.name}.qrels.jsonl`), converted.qrels.map((l) => JSON.stringify(l)).join('\n') + '\n');

      const lines: string[] = [];
      const errors: string[] = [];
      const started = performance.now();
      const store = server ? ['--store', await createDatabase(server, `hearth_semeval_${split.name.replace(/\W/g, '_')}_${Date.now()}`)] : [];
      const code = await relatedEval(['--corpus', corpus, '--queries', queries, ...store], {
        out: (l) => void lines.push(l),
        err: (l) => void errors.push(l),
        stdin: process.stdin,
      });
      if (code !== 0) {
        console.error(`related-eval failed on ${split.name} (exit ${code}):\n${errors.join('\n')}`);
        return 1;
      }
      const ranked = lines.map((l) => JSON.parse(l) as RankedLine);
      const ours = score(converted.qrels, ranked);
      const engine = score(converted.qrels, engineBaseline(converted.qrels));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `${split.name.padEnd(12)} queries ${ours.queries}  MAP ${ours.map.toFixed(2)}  MRR ${ours.mrr.toFixed(2)}  P@1 ${ours.p1.toFixed(2)}  ` +
          `surface P ${ours.surface.precision.toFixed(2)} R ${ours.surface.recall.toFixed(2)} F1 ${ours.surface.f1.toFixed(2)} (${ours.surface.shown} shown)  ` +
          `| search engine order MAP ${engine.map.toFixed(2)}  (${seconds}s)`,
      );
    }
    if (values.keep) console.log(`files kept in ${dir}`);
    return 0;
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    cluster?.stop();
  }
}


if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main().then((code) => (process.exitCode = code));
