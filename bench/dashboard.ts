/**
 * `npm run bench -- --dashboard [--messages 1000000]`: the dashboard's server time per page
 * and the memory it adds, over a community of that many messages (bench/data.ts's history,
 * written straight into the tables with the signals, joins, same-heres and requests the
 * pipeline would have recorded: building it through the pipeline takes minutes per million).
 * Each page is asked three times (HEARTH_BENCH_ROUNDS) through fastify's inject (no network),
 * two minutes apart on the bench's clock (HEARTH_BENCH_SPACING_MS), as a moderator reloading:
 * the first answer is cold (nothing kept in this process: the first view after a start), the
 * others warm; each with its wall and CPU time (the process's, GC threads included). What a
 * view leaves to the background (past weeks not computed yet, the last 7 days' figures once
 * older than a minute) is waited for after it and timed apart. RSS is the process's before
 * the dashboard starts and after every page has been served.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DAY, HOUR, ManualClock, MINUTE } from '../src/core/clock';
import { Companion } from '../src/core/companion';
import { createSignInToken, openSignInLink } from '../src/core/dashboard/access';
import { computePulse, computeTrend } from '../src/core/metrics';
import { BackgroundWork } from '../src/core/metrics/background';
import { renderDigest } from '../src/core/metrics/digest';
import { RecentPulses } from '../src/core/metrics/recent';
import { WeeklyPulses } from '../src/core/metrics/weeks';
import { createDashboardServer } from '../src/dashboard/server';
import { openDatabase } from '../src/db/connection';
import { createRepositories } from '../src/db/repositories';
import { historyPlatform } from '../src/import/null-platform';
import { loadRecognisers } from '../src/models/load';
import { createLogger, silentLogger } from '../src/log';
import { generateMessages, rng } from './data';

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { messages: { type: 'string', default: '1000000' } } });
  const count = Number(values.messages);
  loadRecognisers();
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-dashboard-'));
  try {
    // HEARTH_BENCH_DB=FILE keeps the seeded community in FILE and reuses it on the next run.
    const kept = process.env.HEARTH_BENCH_DB;
    const reuse = kept !== undefined && existsSync(kept);
    const handle = openDatabase(kept ?? join(dir, 'hearth.db'));
    const community = 'discord:1';
    const started = performance.now();
    const last = reuse
      ? (handle.sqlite.prepare('select max(created_at) as last from messages where community_id = ?').get(community) as { last: number }).last
      : seed(handle.sqlite, community, count);
    if (!reuse) process.stderr.write(`seeded ${count.toLocaleString('en')} messages in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const repos = createRepositories(handle);
    const clock = new ManualClock(last + HOUR);
    // A running companion's SQLite page cache (16 MiB, src/db/connection.ts) is full: filled
    // here too before measuring, so the memory counted is what the dashboard adds to such a
    // process, not the cache any process over this file fills.
    handle.sqlite.prepare('select sum(length(text)) from messages').get();
    const companion = new Companion({ repos, platform: historyPlatform('dashboard'), clock, log: silentLogger });
    // HEARTH_BENCH_BEFORE: what the companion has done before the dashboard starts. `nothing`
    // (the default): no pulse computed in this process yet, the strictest baseline. `pulse`: a
    // moderator's `/pulse` (the last 7 days, as commands/pulse.ts computes it). `digest`:
    // its weekly digest (on by default: eight weekly pulses and the chart, exactly as
    // postWeeklyDigest renders it) and then a `/pulse`: the high-water mark a companion
    // without a dashboard reaches every week. With either, what is measured is what the
    // dashboard adds above what the companion itself needs.
    const before = process.env.HEARTH_BENCH_BEFORE ?? 'nothing';
    if (!['nothing', 'pulse', 'digest'].includes(before)) throw new Error(`HEARTH_BENCH_BEFORE: nothing, pulse or digest, not ${before}`);
    const now = clock.now();
    if (before === 'digest') await renderDigest(await computeTrend(companion.core, community, now + 1));
    if (before !== 'nothing') await computePulse(companion.core, community, { since: now + 1 - 7 * DAY, until: now + 1 });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    // The process's high-water mark (kB on Linux): what the views and their background work
    // needed at their peak, above what the process had needed before (the seeding or the
    // SQLite cache's fill may have needed more: then the dashboard raised it by nothing).
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const memBefore = { ...process.memoryUsage(), ...rssParts() };
    if (process.env.HEARTH_BENCH_MEMORY?.endsWith('.heapsnapshot')) (await import('node:v8')).writeHeapSnapshot(process.env.HEARTH_BENCH_MEMORY.replace('.heapsnapshot', '-before.heapsnapshot'));
    // The overview's past weeks, and the last 7 days once a minute old, are computed in the
    // background after a view: waited for between views (timed apart), so each view's time is its own.
    const queue = new BackgroundWork();
    const weeks = new WeeklyPulses(undefined, queue);
    const recent = new RecentPulses(clock, queue);
    const app = createDashboardServer({ core: companion.core, clock, log: createLogger('error'), weeks, recent });
    const { token } = await createSignInToken({ repos, clock }, community, 'mod');
    // As a moderator arrives: the link's page (which starts computing the last 7 days while
    // they click), then its button. With HEARTH_BENCH_SIGNIN=direct, as a restart with a
    // moderator signed in: the session is there before the server starts (which starts the
    // same computation). That warm-up is waited for and timed apart; HEARTH_BENCH_SIGNIN=cold
    // skips both (the server starts with the first view, which then waits for it).
    const signIn = process.env.HEARTH_BENCH_SIGNIN ?? 'page';
    // HEARTH_BENCH_TRACE_RSS=1: the process's high-water mark after each step, on stderr (which step raised it).
    const traceRss = (step: string) => {
      if (process.env.HEARTH_BENCH_TRACE_RSS) process.stderr.write(`${step}: high-water +${mb(process.resourceUsage().maxRSS * 1024 - peakBefore)} MB, rss +${mb(process.memoryUsage().rss - rssBefore)} MB\n`);
    };
    const timed = async (work: () => Promise<unknown>) => {
      const t = performance.now();
      const c = process.cpuUsage();
      await work();
      const used = process.cpuUsage(c);
      return { ms: Math.round(performance.now() - t), cpu_ms: Math.round((used.user + used.system) / 1000) };
    };
    let warmUp: { ms: number; cpu_ms: number } | undefined;
    if (signIn === 'page') {
      const page = await app.inject({ url: `/signin/${token}` });
      if (page.statusCode !== 200) throw new Error(`sign-in page: ${page.statusCode}`);
      warmUp = await timed(() => recent.idle());
      traceRss('the sign-in page and its warm-up');
    }
    const opened = await openSignInLink({ repos, clock }, token);
    if (!opened.ok) throw new Error(`sign-in failed: ${opened.reason}`);
    const cookie = `hearth_session=${opened.sessionToken}`;
    if (signIn === 'direct') warmUp = await timed(async () => (await app.ready(), await recent.idle()));
    if (process.env.HEARTH_BENCH_PROFILE) {
      const { Session } = await import('node:inspector/promises');
      const { writeFileSync } = await import('node:fs');
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      const t = performance.now();
      await computePulse(companion.core, community, { since: clock.now() - 7 * DAY, until: clock.now() + 1 });
      process.stderr.write(`one pulse: ${Math.round(performance.now() - t)} ms\n`);
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(process.env.HEARTH_BENCH_PROFILE, JSON.stringify(profile));
    }
    const all = ['/overview', '/people', '/requests', '/same-here', '/connections', '/members/u1', '/care-policy', '/csv/requests'];
    // HEARTH_BENCH_PAGES=/people,/connections: only those, any path (/csv/helped-whom, /members/u2?weeks=52); HEARTH_BENCH_PROFILE_PAGES: a CPU profile of their last view.
    const pages = process.env.HEARTH_BENCH_PAGES ? process.env.HEARTH_BENCH_PAGES.split(',') : all;
    // CPU time too: on a shared machine the wall time is mostly waiting for a core. Warm: the
    // least of the views after the first (HEARTH_BENCH_ROUNDS views of each page, 3 unless told).
    const rounds = Math.max(2, Number(process.env.HEARTH_BENCH_ROUNDS ?? 3));
    const spacing = Number(process.env.HEARTH_BENCH_SPACING_MS ?? 2 * MINUTE);
    const background: Array<{ page: string; round: number; ms: number; cpu_ms: number }> = [];
    const rows: Array<{ page: string; cold_ms: number; warm_ms: number; cold_cpu_ms: number; warm_cpu_ms: number; status: number }> = [];
    for (const page of pages) {
      const times: number[] = [];
      const cpu: number[] = [];
      let status = 0;
      for (let round = 0; round < rounds; round++) {
        const t = performance.now();
        const c = process.cpuUsage();
        const profiling = (process.env.HEARTH_BENCH_PROFILE_PAGES ?? '').split(',').includes(page) && round === rounds - 1;
        const { Session } = await import('node:inspector/promises');
        const session = profiling ? new Session() : undefined;
        if (session) {
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.start');
        }
        const response = await app.inject({ url: page, headers: { cookie } });
        if (session) {
          const { profile } = await session.post('Profiler.stop');
          (await import('node:fs')).writeFileSync(`${process.env.HEARTH_BENCH_PROFILE_DIR ?? '.'}/page${page.replace(/\W+/g, '-')}.cpuprofile`, JSON.stringify(profile));
        }
        const used = process.cpuUsage(c);
        times.push(performance.now() - t);
        cpu.push((used.user + used.system) / 1000);
        status = response.statusCode;
        const b = performance.now();
        const bc = process.cpuUsage();
        await Promise.all([weeks.idle(), recent.idle()]);
        const bcpu = process.cpuUsage(bc);
        if (performance.now() - b > 1) background.push({ page, round, ms: Math.round(performance.now() - b), cpu_ms: Math.round((bcpu.user + bcpu.system) / 1000) });
        traceRss(`${page}, view ${round + 1} and its background work`);
        clock.advance(spacing);
      }
      const warm = (xs: number[]) => Math.round(Math.min(...xs.slice(1)));
      rows.push({ page, cold_ms: Math.round(times[0]), warm_ms: warm(times), cold_cpu_ms: Math.round(cpu[0]), warm_cpu_ms: warm(cpu), status });
    }
    global.gc?.();
    const rssAfter = process.memoryUsage().rss;
    const peakAfter = process.resourceUsage().maxRSS * 1024;
    // HEARTH_BENCH_SETTLE_MS: the RSS again after that long idle (V8 gives back heap it no
    // longer needs once allocation stops; a companion between views is mostly idle).
    const settle = Number(process.env.HEARTH_BENCH_SETTLE_MS ?? 0);
    if (settle > 0) {
      for (let waited = 0; waited < settle; waited += 1000) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const m: Record<string, number> = { ...process.memoryUsage(), ...rssParts() };
        process.stderr.write(`idle ${waited / 1000 + 1} s: rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} anon ${mb(m.RssAnon ?? 0)}\n`);
      }
    }
    if (process.env.HEARTH_BENCH_MEMORY) {
      if (process.env.HEARTH_BENCH_MEMORY.endsWith('.heapsnapshot')) (await import('node:v8')).writeHeapSnapshot(process.env.HEARTH_BENCH_MEMORY);
      const after = { ...process.memoryUsage(), ...rssParts() };
      const row = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, mb(v)]));
      console.table({ before: row(memBefore), after: row(after) });
    }
    console.table(rows);
    for (const b of background) console.log(`after view ${b.round + 1} of ${b.page}: ${b.ms} ms (${b.cpu_ms} ms CPU) computing in the background`);
    if (warmUp) console.log(`the warm-up (the last 7 days, ${signIn === 'page' ? 'while the moderator clicks' : 'as the server starts'}): ${warmUp.ms} ms (${warmUp.cpu_ms} ms CPU)`);
    console.log(JSON.stringify({ messages: count, before, pages: rows, background, warm_up: warmUp, rss_before_mb: mb(rssBefore), rss_after_mb: mb(rssAfter), dashboard_rss_mb: mb(rssAfter - rssBefore), peak_rss_before_mb: mb(peakBefore), peak_rss_after_mb: mb(peakAfter) }));
    await app.close();
    handle.close();
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** The RSS's parts on Linux (anonymous memory, file pages, shared memory: SQLite's WAL index), in bytes. */
function rssParts(): Record<string, number> {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    return Object.fromEntries([...status.matchAll(/^(RssAnon|RssFile|RssShmem):\s+(\d+) kB$/gm)].map(([, k, v]) => [k, Number(v) * 1024]));
  } catch {
    return {};
  }
}

/** The community, written in one transaction; returns the last message's time. */
export function seed(sqlite: ReturnType<typeof openDatabase>['sqlite'], community: string, count: number): number {
  const random = rng(3);
  const members = new Map<string, number>();
  const questions = new Map<string, string>();
  let last = 0;
  const insertMessage = sqlite.prepare(
    'insert into messages (community_id, id, channel_id, author_id, kind, text, thread_id, reply_to, discussion_id, created_at) values (?, ?, ?, ?, \'message\', ?, ?, ?, ?, ?)',
  );
  const insertSignal = sqlite.prepare('insert into signals (community_id, kind, actor_id, subject_id, message_id, channel_id, at, dedupe_key) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertSameHere = sqlite.prepare('insert or ignore into same_here (community_id, message_id, member_id, via, at) values (?, ?, ?, \'text\', ?)');
  const insertEscalation = sqlite.prepare(
    "insert into escalations (community_id, requester_id, channel_id, message_id, reason, stakes_class, stakes, source, status, created_at, last_request_at, claimed_by, claimed_at) values (?, ?, ?, ?, 'please help', ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  sqlite.transaction(() => {
    sqlite.prepare('insert into communities (id, platform, name, created_at) values (?, ?, ?, 0)').run(community, 'discord', 'Bench');
    for (const name of ['general', 'help', 'support', 'dev', 'random', 'announcements', 'feedback', 'ops']) {
      sqlite.prepare("insert into channels (community_id, id, name, visibility, kind, created_at) values (?, ?, ?, 'public', 'text', 0)").run(community, name, name);
    }
    let n = 0;
    for (const m of generateMessages(count)) {
      if (!members.has(m.author)) members.set(m.author, m.at);
      insertMessage.run(community, m.id, m.channel, m.author, m.text, m.threadId ?? null, m.replyTo ?? null, m.threadId ?? m.id, m.at);
      if (!m.replyTo) questions.set(m.id, m.author);
      else {
        const asker = questions.get(m.replyTo);
        if (asker && asker !== m.author) {
          const kind = m.text.startsWith('thanks') ? 'thanked' : 'helped';
          const [actor, subject] = kind === 'thanked' ? [m.author, asker] : [m.author, asker];
          insertSignal.run(community, kind, actor, subject, m.id, m.channel, m.at, `${kind}:${m.id}`);
          if (random() < 0.02) insertSameHere.run(community, m.replyTo, m.author, m.at);
        }
      }
      if (++n % 500 === 0) {
        const status = random() < 0.1 ? 'open' : 'claimed';
        const claimedAt = status === 'claimed' ? m.at + Math.floor(random() * 6 * HOUR) : null;
        const classes = ['none', 'none', 'outage', 'billing', 'data_loss'];
        const cls = classes[Math.floor(random() * classes.length)];
        insertEscalation.run(community, m.author, m.channel, m.id, cls, cls === 'none' ? 'low' : 'high', random() < 0.1 ? 'incident' : 'command', status, m.at, m.at, claimedAt ? 'mod' : null, claimedAt);
      }
      last = m.at;
    }
    const insertMember = sqlite.prepare(
      'insert into members (community_id, id, name, is_moderator, joined_at, first_seen_at, first_post_at, last_post_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insertMember.run(community, 'mod', 'Moderator', 1, 0, 0, null, null);
    for (const [id, first] of members) insertMember.run(community, id, `Member ${id}`, 0, first - 5 * MINUTE, first - 5 * MINUTE, first, first);
    // Welcomes for two in three newcomers.
    for (const [id, first] of members) if (random() < 0.66) insertSignal.run(community, 'welcome_given', 'mod', id, null, 'general', first, `welcome:${id}`);
  })();
  return last;
}
