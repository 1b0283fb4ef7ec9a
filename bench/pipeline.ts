/**
 * Hearth's full pipeline (normalise, store, index, reply inference, signals, ...), fed the
 * benchmark messages as history through the same replay the import CLI uses.
 */
import { systemClock } from '../src/core/clock';
import { Companion } from '../src/core/companion';
import { openDatabase } from '../src/db/connection';
import type { Repositories } from '../src/core/storage';
import { openStore } from '../src/db/store';
import { createRepositories } from '../src/db/repositories';
import { historyPlatform } from '../src/import/null-platform';
import { replayHistory } from '../src/import/replay';
import type { ImportItem } from '../src/import/types';
import { silentLogger } from '../src/log';
import type { BenchMessage } from './data';
import '../src/models/installed';

export const BENCH_COMMUNITY = 'shell:bench';

export function toItem(m: BenchMessage): ImportItem {
  return {
    kind: 'message',
    at: { file: 'bench' },
    message: {
      id: m.id,
      channel: { id: m.channel, name: m.channel },
      author: { id: m.author, name: m.author },
      text: m.text,
      replyTo: m.replyTo ?? null,
      threadId: m.threadId ?? null,
      at: m.at,
    },
  };
}

/** The pipeline on any store: a SQLite path or a postgres:// URL (an empty database). */
export async function openPipeline(location: string) {
  const store = await openStore(location);
  return { ...over(store.repos), close: () => store.close() };
}

function over(repos: Repositories) {
  const companion = new Companion({ repos, platform: historyPlatform('shell'), clock: systemClock, log: silentLogger });
  return {
    repos,
    companion,
    ingest: (items: Iterable<ImportItem> | AsyncIterable<ImportItem>) =>
      replayHistory(items, { companion, repos, community: BENCH_COMMUNITY, batchSize: 2000 }),
    search: (text: string) => companion.core.features.related.find({ community: BENCH_COMMUNITY, askerId: 'bench-asker', text, limit: 10 }),
  };
}

export function pipeline(path: string) {
  const database = openDatabase(path);
  if (process.env.CACHE) database.sqlite.pragma(`cache_size = -${process.env.CACHE}`);
  return { database, ...over(createRepositories(database)), close: () => database.close() };
}
