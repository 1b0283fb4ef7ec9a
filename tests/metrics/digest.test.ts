import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config';
import { DAY, HOUR } from '../../src/core/clock';
import { computePulse, computeTrend } from '../../src/core/metrics';
import { renderDigest, renderTrendChart, trendSpec } from '../../src/core/metrics/digest';
import { scheduleCompanionJobs } from '../../src/jobs';
import { digestCron, localDay, runWeeklyDigest, scheduleRetention, scheduleWeeklyDigest } from '../../src/jobs/digest';
import { silentLogger } from '../../src/log';
import { busyCommunity } from '../helpers/digest-community';
import { harness } from '../helpers/harness';
import { randomCommunity, writeCommunity } from '../helpers/random-community';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);


const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

describe('weekly digest', () => {
  it('renders the card and a PNG chart of weekly trends', async () => {
    const t = await busyCommunity();
    const trend = await computeTrend(t.core, t.community, t.clock.now(), 4);
    expect(trend.points).toHaveLength(4);
    expect(trendSpec(trend.points).data).toMatchObject({ values: expect.arrayContaining([expect.objectContaining({ series: 'questions answered', value: 1 })]) });
    const message = await renderDigest(trend);
    expect(message.text).toMatch(/^\*\*Weekly community pulse\*\*/);
    expect(message.text).toContain('**People to thank:** <@sam> (1 answer)');
    const [chart] = message.attachments!;
    expect(chart).toMatchObject({ contentType: 'image/png', name: expect.stringMatching(/^pulse-\d{4}-\d{2}-\d{2}\.png$/) });
    expect(chart.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart.data.length).toBeGreaterThan(1000);
  });

  it('needs at least one week', async () => {
    const t = harness();
    await expect(computeTrend(t.core, t.community, t.clock.now(), 0)).rejects.toThrow(RangeError);
  });

  it('charts each week\'s own figures; only the latest week, the card\'s, reads the weeks before it for thread resolution', async () => {
    const t = await busyCommunity();
    const until = t.clock.now();
    const reads = vi.spyOn(t.repos.messages, 'shapesInWindow');
    const trend = await computeTrend(t.core, t.community, until, 4);
    const judged = reads.mock.calls.filter(([, , , options]) => options?.judgedWith !== undefined);
    expect(judged).toHaveLength(3 * 7 + 28); // three weeks of their own days, the latest with its four weeks
    expect(Math.min(...judged.map(([, since]) => since))).toBe(until - 4 * 7 * DAY);
    reads.mockRestore();
    // The same chart as from every week's whole pulse, and the card's week whole.
    const whole = [];
    for (let i = 3; i >= 0; i--) whole.push({ weekEnding: new Date(until - i * 7 * DAY).toISOString().slice(0, 10), metrics: await computePulse(t.core, t.community, { since: until - (i + 1) * 7 * DAY, until: until - i * 7 * DAY }) });
    expect(trendSpec(trend.points)).toEqual(trendSpec(whole));
    expect(trend.latest).toEqual(whole[3].metrics);
    expect(trend.points[3].metrics).toBe(trend.latest);
  });

  it('a pulse without thread resolution has every other figure of the whole one (what the chart\'s earlier weeks rely on), on random communities', async () => {
    for (const seed of [4, 5, 10003]) {
      const t = harness();
      const c = randomCommunity(seed, seed > 10000);
      await writeCommunity(t.repos, c);
      for (const community of c.communities) {
        for (let week = 0; week < 4; week++) {
          const window = { since: c.now - (week + 1) * 7 * DAY, until: c.now - week * 7 * DAY };
          const { resolution, lists, ...whole } = await computePulse(t.core, community, window, { listLimit: 1000 });
          const { unresolvedQuestions, ...otherLists } = lists;
          expect(await computePulse(t.core, community, window, { listLimit: 1000, resolution: false })).toEqual({ ...whole, lists: otherLists });
          void resolution;
          void unresolvedQuestions;
        }
      }
    }
  });

  it('renders a chart even with no data at all', async () => {
    const t = harness();
    const png = await renderTrendChart([{ weekEnding: '2026-01-05', metrics: await computePulse(t.core, t.community, { since: 0, until: 1 }) }]);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('posts to the moderators without mentioning any role, once per day per community', async () => {
    const t = await busyCommunity();
    expect(await runWeeklyDigest(t.companion)).toBe(1);
    expect(await runWeeklyDigest(t.companion)).toBe(0);
    const [post] = t.platform.of('notifyModerators');
    expect(post.audience).toEqual({ channelId: 'mods', roleIds: [] });
    expect(post.message.mentionUsers ?? []).toEqual([]);
    expect(post.message.attachments?.[0].data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    t.clock.advance(7 * DAY);
    expect(await runWeeklyDigest(t.companion)).toBe(1);
  });

  it('is posted once when two ticks (or two processes) run it at the same time', async () => {
    const t = await busyCommunity();
    const other = harness({ database: t.database, clock: t.clock });
    const results = await Promise.all([t.core.features.signals.postWeeklyDigest(t.community), other.core.features.signals.postWeeklyDigest(t.community)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect([...t.platform.of('notifyModerators'), ...other.platform.of('notifyModerators')]).toHaveLength(1);
  });

  it('is retried by the next tick when posting it failed', async () => {
    const t = await busyCommunity();
    t.platform.failNext.notifyModerators = 1;
    await expect(t.core.features.signals.postWeeklyDigest(t.community)).rejects.toThrow(/injected/);
    t.clock.advance(HOUR);
    expect(await runWeeklyDigest(t.companion)).toBe(1);
  });

  it('is posted by a later tick when the process that claimed it died while rendering it', async () => {
    const t = await busyCommunity();
    const day = localDay(t.clock.now(), 'UTC');
    // What a process killed between its claim and its post leaves behind.
    expect(await t.repos.companionPosts.claimIfIdle(t.community, `digest:${day}`, '', t.clock.now(), Number.MIN_SAFE_INTEGER)).toBe(true);
    expect(await runWeeklyDigest(t.companion, silentLogger, 'UTC')).toBe(0); // it may still be rendering
    t.clock.advance(HOUR); // the next tick of the digest day
    expect(await runWeeklyDigest(t.companion, silentLogger, 'UTC')).toBe(1);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('the hourly ticks of the digest day post it once, also across midnight UTC', async () => {
    const t = await busyCommunity();
    const zone = 'America/Los_Angeles';
    expect(await runWeeklyDigest(t.companion, silentLogger, zone)).toBe(1);
    const first = localDay(t.clock.now(), zone);
    let ticks = 0;
    while (localDay(t.clock.now() + HOUR, zone) === first) {
      t.clock.advance(HOUR);
      expect(await runWeeklyDigest(t.companion, silentLogger, zone)).toBe(0);
      ticks++;
    }
    expect(ticks).toBeGreaterThan(0);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('is not posted when the community turned it off', async () => {
    const t = await busyCommunity();
    await t.command('mod', 'hearth-config', { setting: 'weeklyDigest', value: 'off' });
    expect(await runWeeklyDigest(t.companion)).toBe(0);
    expect(t.platform.of('notifyModerators')).toEqual([]);
  });

  it('scheduleCompanionJobs wires due tasks, the digest and the retention purge for adapters', async () => {
    const t = harness({ platformName: 'wiring' });
    const jobs = scheduleCompanionJobs(t.companion, parseConfig({ HEARTH_DIGEST_DAY: 'wed', HEARTH_DIGEST_HOUR: '8' }), silentLogger);
    stops.push(jobs.stop);
    const patterns = Object.fromEntries([...cron.getTasks().values()].filter((task) => task.name?.endsWith('-wiring')).map((task) => [task.name, task.getPattern()]));
    expect(patterns).toEqual({
      'hearth-due-tasks-wiring': '* * * * *',
      'hearth-weekly-digest-wiring': '0 8-23 * * 3',
      'hearth-retention-wiring': '30 3 * * *',
    });
  });

  it('reads the digest day, hour and time zone from the environment, with clear errors', () => {
    expect(parseConfig({})).toMatchObject({ HEARTH_DIGEST_DAY: 1, HEARTH_DIGEST_HOUR: 9, HEARTH_TIMEZONE: 'UTC' });
    expect(parseConfig({ HEARTH_DIGEST_DAY: 'Friday', HEARTH_DIGEST_HOUR: '17', HEARTH_TIMEZONE: 'Asia/Tokyo' })).toMatchObject({
      HEARTH_DIGEST_DAY: 5,
      HEARTH_DIGEST_HOUR: 17,
    });
    expect(parseConfig({ HEARTH_DIGEST_DAY: '0' }).HEARTH_DIGEST_DAY).toBe(0);
    expect(() => parseConfig({ HEARTH_DIGEST_DAY: 'someday' })).toThrow(/HEARTH_DIGEST_DAY: must be a weekday/);
    expect(() => parseConfig({ HEARTH_DIGEST_HOUR: '25' })).toThrow(/HEARTH_DIGEST_HOUR/);
    expect(() => parseConfig({ HEARTH_TIMEZONE: 'Mars/Olympus' })).toThrow(/HEARTH_TIMEZONE: must be an IANA time zone/);
  });

  it('is scheduled with node-cron at the configured day, hour and time zone', async () => {
    expect(digestCron({ day: 1, hour: 9 })).toBe('0 9-23 * * 1');
    expect(digestCron({ day: 0, hour: 23 })).toBe('0 23 * * 0');
    expect(() => digestCron({ day: 7, hour: 9 })).toThrow(/day must be 0-6/);
    expect(() => digestCron({ day: 1, hour: 24 })).toThrow(/hour must be 0-23/);
    const t = harness();
    const schedule = scheduleWeeklyDigest(t.companion, { day: 5, hour: 17, timezone: 'Asia/Tokyo' }, silentLogger);
    stops.push(schedule.stop);
    const next = schedule.nextRun()!;
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).format(next);
    expect(local).toBe('Fri 17:00');
    const retention = scheduleRetention(t.companion, 'UTC', silentLogger);
    stops.push(retention.stop);
    expect(retention.nextRun()?.toISOString()).toMatch(/T03:30:00/);
  });
});
