import { describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, ManualClock, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { figuresOnly, WEEK, weekEndingBefore, WeeklyPulses } from '../../src/core/metrics/weeks';
import { harness, type HarnessOptions } from '../helpers/harness';
import { readStarts } from '../helpers/reads';

const MONDAY = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC

/** Where every message read (whole rows or shapes, a day at a time taken together) from now on starts, in call order. */
function messageReads(repos: ReturnType<typeof harness>['repos']) {
  const rows = vi.spyOn(repos.messages, 'inWindow');
  const shapes = vi.spyOn(repos.messages, 'shapesInWindow');
  return {
    since: () => {
      const calls = [
        ...rows.mock.calls.map(([, since], i) => ({ order: rows.mock.invocationCallOrder[i], call: [undefined, since, NaN] as const })),
        ...shapes.mock.calls.map((call, i) => ({ order: shapes.mock.invocationCallOrder[i], call })),
      ].sort((a, b) => a.order - b.order);
      return readStarts(calls.map((c) => c.call as Parameters<typeof repos.messages.shapesInWindow>)).map((r) => r.since);
    },
    clear: () => [rows, shapes].forEach((spy) => spy.mockClear()),
  };
}

/** Two weeks, each with a newcomer's question answered an hour later; now is the Monday after. */
async function twoWeeks(options: HarnessOptions = {}) {
  const t = harness({ clock: new ManualClock(MONDAY - 14 * DAY + 9 * HOUR), ...options });
  for (const who of ['kim', 'ola']) {
    await t.join(who);
    const q = await t.say(who, 'How do I reset my password?');
    t.clock.advance(HOUR);
    await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q });
    t.clock.advance(7 * DAY - HOUR);
  }
  t.clock.set(MONDAY + DAY + 9 * HOUR); // kim's week ended 8 days ago (settled), ola's yesterday
  return t;
}

describe('the pulse week by week', () => {
  it('ends weeks on Monday 00:00 UTC', () => {
    expect(weekEndingBefore(MONDAY)).toBe(MONDAY);
    expect(weekEndingBefore(MONDAY + 3 * DAY + 5 * HOUR)).toBe(MONDAY);
    expect(weekEndingBefore(MONDAY - 1)).toBe(MONDAY - 7 * DAY);
    expect(new Date(weekEndingBefore(Date.UTC(1969, 11, 31))).toISOString()).toBe('1969-12-29T00:00:00.000Z');
  });

  it('without waiting: weeks not computed yet come back blank and are computed in the background, newest first, for the next view', async () => {
    const t = await twoWeeks();
    const weeks = new WeeklyPulses();
    const now = t.clock.now();
    const reads = messageReads(t.repos);
    const first = await weeks.closedWeeksSoFar(t.core, t.community, now, 3);
    expect(first.map((p) => [p.weekEnding, p.metrics])).toEqual([
      ['2025-12-21', null],
      ['2025-12-28', null],
      ['2026-01-04', null],
    ]);
    expect(reads.since()).toEqual([]); // nothing computed before the answer
    await weeks.idle();
    expect(reads.since()[0]).toBe(MONDAY - 4 * WEEK); // the newest week first (its resolution reads 4 weeks back)
    const later = await weeks.closedWeeksSoFar(t.core, t.community, now + MINUTE, 3);
    expect(later).toEqual(await new WeeklyPulses().closedWeeks(t.core, t.community, now + MINUTE, 3));
    // Who counts changed (kim opted out): blank again, never the figures that counted kim.
    await t.core.repos.members.setAnalyticsOptOut(t.community, 'kim', true);
    expect((await weeks.closedWeeksSoFar(t.core, t.community, now + 2 * MINUTE, 3)).map((p) => p.metrics)).toEqual([null, null, null]);
    await weeks.idle();
    expect((await weeks.closedWeeksSoFar(t.core, t.community, now + 3 * MINUTE, 3)).map((p) => p.metrics?.welcome.newcomers)).toEqual([0, 0, 1]);
  });

  it('gives each whole week the pulse of that week (thread resolution included), and keeps it once it can no longer change', async () => {
    const t = await twoWeeks();
    const weeks = new WeeklyPulses();
    const now = t.clock.now();
    const points = await weeks.closedWeeks(t.core, t.community, now, 3);
    expect(points.map((p) => p.weekEnding)).toEqual(['2025-12-21', '2025-12-28', '2026-01-04']);
    for (const p of points) expect(p.metrics).toEqual(figuresOnly(await computePulse(t.core, t.community, { since: p.since, until: p.until })));
    expect(points.map((p) => p.metrics.firstResponse.answered)).toEqual([0, 1, 1]);

    const reads = messageReads(t.repos);
    // Minutes later nothing is computed again; after a few minutes the last week is (ola may
    // still come back within 7 days of its end: its history, then ola's later posts), in the
    // background, shown as kept meanwhile; the others are kept for a day.
    expect(await weeks.closedWeeks(t.core, t.community, now + MINUTE, 3)).toEqual(points);
    expect(reads.since()).toEqual([]);
    expect(await weeks.closedWeeks(t.core, t.community, now + 6 * MINUTE, 3)).toEqual(points);
    expect(reads.since()).toEqual([]);
    await weeks.idle();
    // (thread resolution reads the 4 weeks before a week's end for questions still unresolved)
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY]);
    reads.clear();
    // Computed more than an hour before, a settling week is computed again at once.
    await weeks.closedWeeks(t.core, t.community, now + 6 * MINUTE + 2 * HOUR, 3);
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY]);
    reads.clear();
    // A day later: the settled weeks are shown as kept and computed again in the background;
    // the last one (still settling) at once.
    await weeks.closedWeeks(t.core, t.community, now + DAY, 3);
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY]);
    await weeks.idle();
    // (the newest first; the first week had no newcomer to look for later)
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY, MONDAY - 35 * DAY, MONDAY - 7 * DAY, MONDAY - 42 * DAY]);
  });

  it('shows a day-old settled week at once and computes it again in the background: what was written about it since shows next', async () => {
    const t = await twoWeeks();
    const weeks = new WeeklyPulses();
    const now = t.clock.now();
    expect((await weeks.closedWeeks(t.core, t.community, now, 2)).map((p) => p.metrics.humanMessages)).toEqual([2, 2]);
    // A history import adds a post to kim's (settled) week.
    await t.repos.messages.insert(t.community, { id: 'late', channelId: 'general', authorId: 'sam', text: 'an imported post', createdAt: MONDAY - 10 * DAY });
    const restarted = new WeeklyPulses();
    expect((await restarted.closedWeeks(t.core, t.community, now + HOUR, 2)).map((p) => p.metrics.humanMessages)).toEqual([2, 2]);
    expect((await restarted.closedWeeks(t.core, t.community, now + DAY + HOUR, 2)).map((p) => p.metrics.humanMessages)).toEqual([2, 2]);
    await restarted.idle();
    const after = await restarted.closedWeeks(t.core, t.community, now + DAY + 2 * HOUR, 2);
    expect(after[0].metrics.humanMessages).toBe(3);
    expect(after[0].metrics).toEqual(figuresOnly(await computePulse(t.core, t.community, { since: after[0].since, until: after[0].until })));
    // ... and in the store, for the next process.
    expect((await new WeeklyPulses().closedWeeks(t.core, t.community, now + DAY + 3 * HOUR, 2))[0].metrics.humanMessages).toBe(3);
  });

  it('lets a community’s weeks go when a member opts out or is forgotten, even in another process', async () => {
    const t = await twoWeeks();
    const weeks = new WeeklyPulses();
    const before = await weeks.closedWeeks(t.core, t.community, t.clock.now(), 2);
    expect(before.map((p) => p.metrics.welcome.newcomers)).toEqual([1, 1]);
    // Through another companion's core (another process): only the stored members tell.
    const other = harness({ database: t.database, community: t.community, clock: t.clock });
    await other.command('kim', 'privacy', { analytics: 'off' });
    const after = await weeks.closedWeeks(t.core, t.community, t.clock.now() + MINUTE, 2);
    expect(after.map((p) => p.metrics.welcome.newcomers)).toEqual([0, 1]);
    await other.press('ola', 'privacy:forget', 'ola', 'general');
    expect((await weeks.closedWeeks(t.core, t.community, t.clock.now() + 2 * MINUTE, 2)).map((p) => p.metrics.welcome.newcomers)).toEqual([0, 0]);
  });

  it('keeps a week only minutes once the retention purge may blank the text it reads', async () => {
    const t = await twoWeeks({ settings: { retentionDays: 10 } });
    const weeks = new WeeklyPulses();
    await weeks.closedWeeks(t.core, t.community, t.clock.now(), 2);
    const reads = messageReads(t.repos);
    // kim's week, settled, reads text from 15 days ago: past the 10 days' horizon, computed
    // again at once; ola's, settling, in the background.
    await weeks.closedWeeks(t.core, t.community, t.clock.now() + 6 * MINUTE, 2);
    expect(reads.since()).toEqual([MONDAY - 35 * DAY, MONDAY - 7 * DAY]);
    await weeks.idle();
    expect(reads.since()).toEqual([MONDAY - 35 * DAY, MONDAY - 7 * DAY, MONDAY - 28 * DAY, MONDAY]);
  });

  it('keeps the weeks in the store: a restart (or another process) takes them from there, the same figures, naming nobody', async () => {
    const t = await twoWeeks();
    const now = t.clock.now();
    const points = await new WeeklyPulses().closedWeeks(t.core, t.community, now, 3);
    expect(points.map((p) => p.metrics.firstResponse.answered)).toEqual([0, 1, 1]);
    const stored = await t.repos.pulseWeeks.list(t.community, 0, now);
    expect(stored.map((w) => w.weekUntil)).toEqual(points.map((p) => p.until));
    // Names nobody: no member's id or name anywhere in what is kept.
    expect(JSON.stringify(stored)).not.toMatch(/\b(kim|ola|sam)\b/);
    expect(JSON.stringify(stored[2].figures)).not.toMatch(/"member"/);

    const reads = messageReads(t.repos);
    const restarted = new WeeklyPulses();
    expect(await restarted.closedWeeks(t.core, t.community, now + MINUTE, 3)).toEqual(points);
    expect(reads.since()).toEqual([]);
    // The same rules as in memory: the last week (ola may still come back) is computed again
    // after minutes, in the background, or at once when it is over an hour old.
    const soon = new WeeklyPulses();
    await soon.closedWeeks(t.core, t.community, now + 6 * MINUTE, 3);
    expect(reads.since()).toEqual([]);
    await soon.idle();
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY]);
    reads.clear();
    await new WeeklyPulses().closedWeeks(t.core, t.community, now + 6 * MINUTE + 2 * HOUR, 3);
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY]);
    reads.clear();
    const later = new WeeklyPulses();
    await later.closedWeeks(t.core, t.community, now + DAY, 3);
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY]);
    await later.idle();
    expect(reads.since()).toEqual([MONDAY - 28 * DAY, MONDAY, MONDAY - 35 * DAY, MONDAY - 7 * DAY, MONDAY - 42 * DAY]);
  });

  it('never takes a stored week computed before a member opted out or was forgotten, even from another process', async () => {
    const t = await twoWeeks();
    await new WeeklyPulses().closedWeeks(t.core, t.community, t.clock.now(), 2);
    const other = harness({ database: t.database, community: t.community, clock: t.clock });
    await other.command('kim', 'privacy', { analytics: 'off' });
    expect(await t.repos.pulseWeeks.list(t.community, 0, t.clock.now())).toEqual([]); // dropped by the opt-out itself
    const after = await new WeeklyPulses().closedWeeks(t.core, t.community, t.clock.now() + MINUTE, 2);
    expect(after.map((p) => p.metrics.welcome.newcomers)).toEqual([0, 1]);
    for (const p of after) expect(p.metrics).toEqual(figuresOnly(await computePulse(t.core, t.community, { since: p.since, until: p.until })));
    await other.press('ola', 'privacy:forget', 'ola', 'general');
    expect(await t.repos.pulseWeeks.list(t.community, 0, t.clock.now())).toEqual([]);
    expect((await new WeeklyPulses().closedWeeks(t.core, t.community, t.clock.now() + 2 * MINUTE, 2)).map((p) => p.metrics.welcome.newcomers)).toEqual([0, 0]);
  });

  it('never takes a stored week computed while a member who no longer counts counted (written to the members alone)', async () => {
    const t = await twoWeeks();
    await new WeeklyPulses().closedWeeks(t.core, t.community, t.clock.now(), 2);
    await t.repos.members.setAnalyticsOptOut(t.community, 'kim', true);
    expect(await t.repos.pulseWeeks.list(t.community, 0, t.clock.now())).toHaveLength(2);
    const after = await new WeeklyPulses().closedWeeks(t.core, t.community, t.clock.now() + MINUTE, 2);
    expect(after.map((p) => p.metrics.welcome.newcomers)).toEqual([0, 1]);
  });

  it('keeps a year of weeks in the store, the older ones dropped', async () => {
    const t = await twoWeeks();
    const now = t.clock.now();
    await new WeeklyPulses().closedWeeks(t.core, t.community, now - 60 * WEEK, 2);
    expect(await t.repos.pulseWeeks.list(t.community, 0, now)).toHaveLength(2);
    await new WeeklyPulses().closedWeeks(t.core, t.community, now, 2);
    expect((await t.repos.pulseWeeks.list(t.community, 0, now)).map((w) => w.weekUntil)).toEqual([MONDAY - WEEK, MONDAY]);
  });

  it('keeps at most as many weeks as it is told', async () => {
    const t = await twoWeeks();
    const weeks = new WeeklyPulses(2);
    await weeks.closedWeeks(t.core, t.community, t.clock.now(), 5);
    expect(weeks.size).toBe(2);
  });
});
