/**
 * `npx tsx bench/pg-live.ts [N=1000]`: N bench messages handled as live events (not history:
 * no batch, each statement its own commit, replies sent to a recording platform) on SQLite and
 * on PostgreSQL (a throwaway server with fsync on, as a real one), the latter with Hearth's
 * `synchronous_commit = off` and with it on (the URL's options): what a commit flush costs a
 * live message. Prints messages a second, Node CPU and round trips a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock } from '../src/core/clock';
import { Companion } from '../src/core/companion';
import { openStore } from '../src/db/store';
import { silentLogger } from '../src/log';
import { RecordingPlatform } from '../tests/helpers/recording-platform';
import { createDatabase, startCluster } from '../tests/setup/postgres';
import { generateMessages } from './data';
import { BENCH_COMMUNITY } from './pipeline';
import '../src/models/installed';

const n = Number(process.argv[2] ?? 1000);
let roundTrips = 0;
/** TOP=1: the statements a live message runs, most frequent first. */
const statements = new Map<string, number>();
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  roundTrips++;
  if (process.env.TOP) {
    const first = args[0] as string | { text?: string };
    const key = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').trim().slice(0, 110);
    statements.set(key, (statements.get(key) ?? 0) + 1);
  }
  return original.apply(this, args);
};

/** WAL flushes to disk so far on the server (pg_stat_wal.wal_sync), or undefined for SQLite. */
async function walSyncs(location: string): Promise<number | undefined> {
  if (!location.startsWith('postgres')) return undefined;
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    return Number((await client.query('SELECT wal_sync FROM pg_stat_wal')).rows[0].wal_sync);
  } finally {
    await client.end();
  }
}

async function live(label: string, location: string): Promise<void> {
  const store = await openStore(location);
  const syncsBefore = await walSyncs(location);
  const messages = [...generateMessages(n)];
  const clock = new ManualClock(messages[0].at);
  const companion = new Companion({ repos: store.repos, platform: new RecordingPlatform('shell'), clock, log: silentLogger });
  roundTrips = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const m of messages) {
    clock.set(m.at);
    const result = await companion.handle({
      type: 'message_posted',
      community: BENCH_COMMUNITY,
      at: m.at,
      message: { id: m.id, channel: { id: m.channel, name: m.channel }, author: { id: m.author, name: m.author }, text: m.text, replyTo: m.replyTo ?? null, threadId: m.threadId ?? null, at: m.at },
    });
    if (!result.ok) throw new Error(result.error);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await store.close();
  const syncs = syncsBefore === undefined ? 0 : (await walSyncs(location))! - syncsBefore;
  const trips = location.startsWith('postgres') ? `, ${(roundTrips / n).toFixed(2)} round trips and ${(syncs / n).toFixed(2)} WAL flushes a message` : '';
  if (process.env.TOP && location.startsWith('postgres')) {
    for (const [text, count] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(count / n).toFixed(2).padStart(6)}  ${text}`);
    statements.clear();
  }
  console.log(`${label.padEnd(40)} ${Math.round(n / seconds)} messages/s, Node CPU ${Math.round((used.user + used.system) / n)} µs a message${trips}`);
}

const dir = mkdtempSync(join(tmpdir(), 'hearth-live-'));
const cluster = await startCluster({ durable: true });
try {
  await live('SQLite (synchronous=NORMAL)', join(dir, 'live.db'));
  await live('PostgreSQL, synchronous_commit off', await createDatabase(cluster.url, 'live_off'));
  await live('PostgreSQL, synchronous_commit on', `${await createDatabase(cluster.url, 'live_on')}?options=${encodeURIComponent('-c synchronous_commit=on')}`);
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
