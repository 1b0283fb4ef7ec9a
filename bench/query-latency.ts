/**
 * Related-discussion query latency at scale, without the slow full-pipeline ingest.
 *
 *   npx tsx bench/query-latency.ts --db /tmp/hearth-q-1m.db --messages 1000000 [--queries 300]
 *       [--raw PATH] [--save top.json | --against top.json] [--rounds N] [--mmap MB] [--cache MB]
 *
 * The first run fills `--db` with the bench history (bench/data.ts) through the repositories
 * directly (channels, members, `repos.messages.insert` with the discussion ids ingest's
 * `storeMessage` computes, in big transactions; the FTS triggers index each message) and
 * `<db>.raw` (or `--raw PATH`) with the same rows in a plain FTS5 table (bench/raw.ts).
 * Later runs reuse both files as they are (migrations still apply on open). It then times the queries through
 * `related.find` (what `npm run bench` times, after the pipeline ingest) and the raw bm25
 * query on the same data, 20 warm-up queries first, and prints p50 / p95 of each.
 * `--rounds N` (N > 1) asks the related questions N times and also prints p50 / p95 of each
 * question's fastest round: the steady state (word counts cached), and a figure a busy
 * machine disturbs less than one pass. `--cache MB` sets SQLite's page cache size on the
 * connection instead of the production one. `--mmap MB` sets SQLite's mmap_size on the connection
 * (not set in production, see the README: about 15% faster at 1M, but the mapped file pages
 * count in the process's RSS).
 *
 * It also records the `helped` and `thanked` signals the signals feature would (a substantive
 * reply by someone else to a question; a thanks to the parent's author): related search reads
 * them. Not emulated: reply inference (about 1% of messages linked) and the other signal
 * kinds, which related search never reads.
 *
 * Quality of the candidate search: `--save FILE` writes each query's top 10 discussion ids;
 * `--against FILE` (a file saved by another version of the code on the same database)
 * prints how many of those the current code also returns (overlap@10). bench/related-recall.ts
 * measures the candidate search against an exhaustive ranking instead.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock';
import { Companion } from '../src/core/companion';
import { isGratitude, isQuestion, isSubstantive } from '../src/core/features/signals/detect';
import { percentile } from '../src/core/text/format';
import { openDatabase } from '../src/db/connection';
import { createRepositories } from '../src/db/repositories';
import { historyPlatform } from '../src/import/null-platform';
import { silentLogger } from '../src/log';
import { generateMessages, generateQueries, type BenchMessage } from './data';
import { BENCH_COMMUNITY } from './pipeline';
import { rawDatabase } from './raw';
import '../src/models/installed';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    messages: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '1' },
    mmap: { type: 'string' },
    cache: { type: 'string' },
    raw: { type: 'string' },
    save: { type: 'string' },
    against: { type: 'string' },
  },
});
const count = Number(values.messages);
const queryCount = Number(values.queries);
if (!values.db || !Number.isInteger(count) || count < 1 || !Number.isInteger(queryCount) || queryCount < 1 || !(Number(values.rounds) >= 1)) {
  console.error('usage: npx tsx bench/query-latency.ts --db PATH --messages N [--queries 300] [--rounds 1] [--save FILE | --against FILE]');
  process.exit(2);
}
const path = values.db;
const rawPath = values.raw ?? `${path}.raw`;
const fresh = !existsSync(path);

const database = openDatabase(path);
if (values.mmap) database.sqlite.pragma(`mmap_size = ${Math.round(Number(values.mmap) * 1024 * 1024)}`);
if (values.cache) database.sqlite.pragma(`cache_size = -${Math.round(Number(values.cache) * 1024)}`);
const repos = createRepositories(database);

async function fill(): Promise<void> {
  const started = performance.now();
  const discussionOf = new Map<string, string>();
  const questions = new Map<string, { author: string; isQuestion: boolean }>();
  const raw = rawDatabase(rawPath);
  await repos.communities.ensure(BENCH_COMMUNITY, 'shell', 'bench', 0);
  let batch: BenchMessage[] = [];
  let done = 0;
  const flush = async () => {
    raw.insertMany(batch);
    await repos.begin();
    for (const m of batch) {
      await repos.channels.upsert(BENCH_COMMUNITY, { id: m.channel, name: m.channel }, m.at);
      await repos.members.upsert(BENCH_COMMUNITY, { id: m.author, name: m.author }, m.at);
      // As storeMessage: the thread, else the parent's discussion, else the message itself.
      const discussionId = m.threadId ?? (m.replyTo ? (discussionOf.get(m.replyTo) ?? m.replyTo) : m.id);
      discussionOf.set(m.id, discussionId);
      await repos.messages.insert(BENCH_COMMUNITY, {
        id: m.id,
        channelId: m.channel,
        authorId: m.author,
        text: m.text,
        threadId: m.threadId ?? null,
        replyTo: m.replyTo ?? null,
        discussionId,
        createdAt: m.at,
      });
      const parentId = m.replyTo ?? m.threadId;
      const parent = parentId ? questions.get(parentId) : undefined;
      if (!parentId) questions.set(m.id, { author: m.author, isQuestion: isQuestion(m.text) });
      if (!parent || parent.author === m.author) continue;
      const signal = { actorId: m.author, subjectId: parent.author, messageId: m.id, channelId: m.channel, at: m.at };
      if (isGratitude(m.text)) await repos.signals.record(BENCH_COMMUNITY, { ...signal, kind: 'thanked', dedupeKey: `thanked:${m.id}:${parent.author}` });
      else if (parent.isQuestion && isSubstantive(m.text)) {
        await repos.signals.record(BENCH_COMMUNITY, { ...signal, kind: 'helped', data: { questionId: parentId }, dedupeKey: `helped:${parentId}:${m.author}` });
      }
    }
    await repos.commit();
    done += batch.length;
    batch = [];
    process.stderr.write(`\r  filled ${done.toLocaleString('en')} / ${count.toLocaleString('en')}`);
  };
  for (const m of generateMessages(count)) {
    batch.push(m);
    if (batch.length === 20_000) await flush();
  }
  if (batch.length) await flush();
  raw.close();
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  process.stderr.write(`  (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}

async function time<T>(queries: string[], run: (q: string) => T | Promise<T>) {
  for (const q of queries.slice(0, 20)) await run(q); // warm the page cache and statements
  const times: number[] = [];
  const results: T[] = [];
  for (const q of queries) {
    const t = performance.now();
    results.push(await run(q));
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), mean: times.reduce((a, b) => a + b, 0) / times.length, results, times };
}

if (fresh) await fill();
const stored = (database.sqlite.prepare('SELECT count(*) AS n FROM messages WHERE community_id = ?').get(BENCH_COMMUNITY) as { n: number }).n;
const companion = new Companion({ repos, platform: historyPlatform('shell'), clock: systemClock, log: silentLogger });
const search = (text: string) => companion.core.features.related.find({ community: BENCH_COMMUNITY, askerId: 'bench-asker', text, limit: 10 });
const queries = generateQueries(queryCount);

const ours = await time(queries, search);
const best: number[] = [...ours.times];
for (let round = 1; round < Number(values.rounds); round++) {
  const again = await time(queries, search);
  again.times.forEach((ms, i) => (best[i] = Math.min(best[i], ms)));
}
// While the database is open: pages mapped by --mmap count in RSS only until it is closed.
const searchRss = process.memoryUsage().rss;
const top = ours.results.map((results) => results.map((r) => r.discussion.id));

const raw = rawDatabase(rawPath);
const baseline = await time(queries, (q) => raw.search(q));
raw.close();
database.close();

const f = (n: number) => n.toFixed(2);
console.log(`messages ${stored}  queries ${queries.length}`);
console.log(`related.find  p50 ${f(ours.p50)} ms  p95 ${f(ours.p95)} ms  mean ${f(ours.mean)} ms`);
if (Number(values.rounds) > 1) console.log(`  best of ${values.rounds} rounds per question  p50 ${f(percentile(best, 50))} ms  p95 ${f(percentile(best, 95))} ms`);
console.log(`raw bm25      p50 ${f(baseline.p50)} ms  p95 ${f(baseline.p95)} ms  mean ${f(baseline.mean)} ms`);
console.log(`p95 ratio ${(ours.p95 / baseline.p95).toFixed(2)}x raw  rss after the related search ${(searchRss / 1e6).toFixed(0)} MB`);
if (values.save) writeFileSync(values.save, JSON.stringify(top));
if (values.against) {
  const reference = JSON.parse(readFileSync(values.against, 'utf8')) as string[][];
  let kept = 0;
  let total = 0;
  let sameFirst = 0;
  reference.forEach((ids, i) => {
    const now = new Set(top[i] ?? []);
    kept += ids.filter((id) => now.has(id)).length;
    total += ids.length;
    if (ids[0] !== undefined && ids[0] === top[i]?.[0]) sameFirst++;
  });
  console.log(`overlap@10 with ${values.against}: ${((100 * kept) / Math.max(1, total)).toFixed(1)}%  same first result: ${sameFirst}/${reference.length}`);
}
