/**
 * Import throughput: writes N synthetic messages as Hearth JSON lines to a temp file, then
 * times `replayHistory` through the real pipeline (parse, validate, ingest, every feature)
 * into a temp file database, as `npm run hearth -- import` does.
 *   npx tsx bench/import.ts [N=50000]
 * Profile: node --cpu-prof --import tsx bench/import.ts 50000
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock';
import { Companion } from '../src/core/companion';
import { openDatabase } from '../src/db/connection';
import { createRepositories } from '../src/db/repositories';
import { readMessageLines } from '../src/import/formats/jsonl';
import { historyPlatform } from '../src/import/null-platform';
import { replayHistory } from '../src/import/replay';
import { silentLogger } from '../src/log';
import { generateMessages } from './data';
import '../src/models/installed';

const count = Number(process.argv[2] ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-import-'));
try {
  const file = join(dir, 'history.jsonl');
  const lines: string[] = [];
  for (const m of generateMessages(count)) lines.push(JSON.stringify(m));
  writeFileSync(file, lines.join('\n') + '\n');

  const database = openDatabase(join(dir, 'hearth.db'));
  const repos = createRepositories(database);
  let featureErrors = 0;
  const companion = new Companion({
    repos,
    platform: historyPlatform('shell'),
    clock: systemClock,
    log: silentLogger,
    observer: { event: () => {}, featureError: () => void featureErrors++, command: () => {}, task: () => {} },
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const stats = await replayHistory(readMessageLines(file), { companion, repos, community: 'shell:bench' });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  database.close();
  console.log(
    `import ${count.toLocaleString('en')} JSON lines: ${stats.messages.toLocaleString('en')} stored, ${stats.errors} errors, ${featureErrors} feature errors, ` +
      `${seconds.toFixed(2)} s, ${Math.round(stats.messages / seconds).toLocaleString('en')} messages/s ` +
      // CPU time is steadier than wall time on a shared machine.
      `(CPU ${Math.round((cpu.user + cpu.system) / stats.messages)} µs/message: ${Math.round(stats.messages / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} messages per CPU second)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
