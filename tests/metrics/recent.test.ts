import { describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, ManualClock, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { BackgroundWork } from '../../src/core/metrics/background';
import { RecentPulses } from '../../src/core/metrics/recent';
import { harness } from '../helpers/harness';
import { readStarts } from '../helpers/reads';

/** A newcomer's question answered an hour later, and another newcomer nobody answered. */
async function aWeek() {
  const t = harness({ clock: new ManualClock(Date.UTC(2026, 0, 7, 9)) });
  await t.join('kim');
  const q = await t.say('kim', 'How do I reset my password?');
  t.clock.advance(HOUR);
  await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q });
  await t.join('ola');
  await t.say('ola', 'Does anyone know why the export button is grey?');
  t.clock.advance(HOUR);
  return t;
}
type T = Awaited<ReturnType<typeof aWeek>>;

const pulseAt = (t: T, at: number) => computePulse(t.core, t.community, { since: at + 1 - 7 * DAY, until: at + 1 }, { listLimit: 100 });
/** A view now, as the dashboard asks. */
const view = (t: T, recent: RecentPulses) => recent.get(t.core, t.community, t.clock.now());
/** How many times the last 7 days have been computed (each computation reads its four weeks of messages, a day at a time, once). */
function computations(t: T) {
  const spy = vi.spyOn(t.repos.messages, 'shapesInWindow');
  return { count: () => readStarts(spy.mock.calls).filter((r) => r.judged).length, spy };
}

describe('the last 7 days, kept off the request path', () => {
  it('is the /pulse of the 7 days to when it was computed', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const got = await view(t, recent);
    expect(got.computedAt).toBe(t.clock.now());
    expect(got.metrics).toEqual(await pulseAt(t, t.clock.now()));
    expect(got.metrics.firstResponse.questions).toBe(2);
  });

  it('is kept a minute; older, it is shown while computed again in the background, after the view', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const start = t.clock.now();
    const computed = computations(t);
    await view(t, recent);
    expect(computed.count()).toBe(1);
    // A new question: not in the kept figures for a minute.
    await t.say('ola', 'And where do I find the invoices?');
    t.clock.advance(30_000);
    const soon = await view(t, recent);
    expect([soon.computedAt, soon.refreshing, soon.metrics.firstResponse.questions]).toEqual([start, false, 2]);
    await recent.idle();
    expect(computed.count()).toBe(1);
    // Past a minute: the kept figures answer at once, and newer ones are computed after.
    t.clock.set(start + 2 * MINUTE);
    const later = await view(t, recent);
    expect([later.computedAt, later.refreshing]).toEqual([start, true]);
    expect(computed.count()).toBe(1); // not before the answer
    // Two more views meanwhile: still one computation.
    await view(t, recent);
    await view(t, recent);
    await recent.idle();
    expect(computed.count()).toBe(2);
    const next = await view(t, recent);
    expect([next.computedAt, next.refreshing]).toEqual([start + 2 * MINUTE, false]);
    expect(next.metrics).toEqual(await pulseAt(t, start + 2 * MINUTE));
    expect(next.metrics.firstResponse.questions).toBe(3);
    // Still shown, and computed again after the view, up to an hour old.
    t.clock.set(start + 2 * MINUTE + HOUR);
    expect((await view(t, recent)).computedAt).toBe(start + 2 * MINUTE);
  });

  it('waits for new figures when none are kept, when the kept ones are over an hour old, or when the clock went back', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const start = t.clock.now();
    await view(t, recent);
    await t.say('ola', 'And where do I find the invoices?');
    t.clock.set(start + HOUR + MINUTE);
    const late = await view(t, recent);
    expect([late.computedAt, late.refreshing, late.metrics.firstResponse.questions]).toEqual([start + HOUR + MINUTE, false, 3]);
    t.clock.set(start);
    const back = await view(t, recent);
    expect(back.computedAt).toBe(start);
    expect(back.metrics).toEqual(await pulseAt(t, start));
    // Another community has its own.
    expect((await recent.get(t.core, 'elsewhere', start)).metrics.firstResponse.questions).toBe(0);
  });

  it('never shows figures or lists that counted someone who has since opted out or been forgotten', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const start = t.clock.now();
    const before = await view(t, recent);
    expect(before.metrics.lists.unansweredNewcomers.map((m) => m.member)).toEqual(['ola']);
    await t.core.repos.members.setAnalyticsOptOut(t.community, 'ola', true);
    t.clock.advance(1000);
    const after = await view(t, recent);
    expect(after.computedAt).toBe(start + 1000);
    expect(after.metrics.lists.unansweredNewcomers).toEqual([]);
    expect(after.metrics.firstResponse.questions).toBe(1);
    await t.core.repos.members.forget(t.community, 'kim', start + 2000);
    t.clock.advance(1000);
    const forgotten = await view(t, recent);
    expect(forgotten.computedAt).toBe(start + 2000);
    expect(forgotten.metrics).toEqual(await pulseAt(t, start + 2000));
  });

  it('a background computation that ends after a view waited for newer figures (an opt-out meanwhile) does not replace them', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const start = t.clock.now();
    await view(t, recent);
    t.clock.set(start + 2 * MINUTE);
    expect((await view(t, recent)).refreshing).toBe(true);
    // The background computation's read is held until the view below is answered.
    const shapes = t.repos.messages.shapesInWindow.bind(t.repos.messages);
    const computed = computations(t);
    let started!: () => void;
    const reading = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    computed.spy.mockImplementationOnce(async (...args) => {
      started();
      await held;
      return shapes(...args);
    });
    const background = recent.idle();
    await reading;
    await t.core.repos.members.setAnalyticsOptOut(t.community, 'ola', true);
    t.clock.set(start + 3 * MINUTE);
    const waited = await view(t, recent);
    expect([waited.computedAt, waited.metrics.lists.unansweredNewcomers]).toEqual([start + 3 * MINUTE, []]);
    release();
    await background;
    const before = computed.count();
    const next = await view(t, recent);
    expect(next.computedAt).toBe(start + 3 * MINUTE);
    expect(next.metrics).toEqual(waited.metrics);
    expect(computed.count()).toBe(before); // the newer figures were kept, not computed again
  });

  it('a warm-up computes after the current turn, at the time it runs, unless fresh figures are kept by then', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const start = t.clock.now();
    const computed = computations(t);
    recent.warm(t.core, t.community);
    expect(computed.count()).toBe(0); // the sign-in page is answered first
    await recent.idle();
    expect(computed.count()).toBe(1);
    t.clock.advance(10_000);
    expect((await view(t, recent)).computedAt).toBe(start);
    // Queued, then a view computed newer figures before it ran: nothing more, nothing older kept.
    t.clock.set(start + 2 * HOUR);
    recent.warm(t.core, t.community);
    t.clock.advance(5000);
    expect((await view(t, recent)).computedAt).toBe(start + 2 * HOUR + 5000);
    await recent.idle();
    expect(computed.count()).toBe(2);
    expect((await view(t, recent)).computedAt).toBe(start + 2 * HOUR + 5000);
    // Kept figures half an hour old: a warm-up computes newer ones.
    t.clock.advance(30 * MINUTE);
    recent.warm(t.core, t.community);
    await recent.idle();
    expect(computed.count()).toBe(3);
    expect((await view(t, recent)).computedAt).toBe(start + 2 * HOUR + 5000 + 30 * MINUTE);
  });

  it('views at once share one computation; a failure is not kept', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const computed = computations(t);
    const [a, b] = await Promise.all([view(t, recent), view(t, recent)]);
    expect(b).toEqual(a);
    expect(computed.count()).toBe(1);
    t.clock.advance(2 * HOUR);
    computed.spy.mockRejectedValueOnce(new Error('disk gone'));
    await expect(view(t, recent)).rejects.toThrow('disk gone');
    // The next view computes again (the failed figures were not kept, nor the old ones past an hour).
    expect((await view(t, recent)).computedAt).toBe(t.clock.now());
  });

  it('computes nothing more in the background once closed, what was queued before included', async () => {
    const t = await aWeek();
    const recent = new RecentPulses(t.clock);
    const start = t.clock.now();
    await view(t, recent);
    const computed = computations(t);
    t.clock.advance(2 * MINUTE);
    expect((await view(t, recent)).refreshing).toBe(true); // queued
    await recent.close();
    expect(computed.count()).toBe(0);
    t.clock.advance(MINUTE);
    const after = await view(t, recent);
    expect([after.computedAt, after.refreshing]).toEqual([start, false]);
    await recent.idle();
    expect(computed.count()).toBe(0);
  });
});

describe('the background queue', () => {
  it('runs one piece at a time, after the current turn, each key once while it waits', async () => {
    const work = new BackgroundWork();
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const aStarted = new Promise<void>((resolve) => (started = resolve));
    work.queue('a', async () => {
      log.push('a starts');
      started();
      await held;
      log.push('a ends');
    });
    expect(work.queue('b', async () => void log.push('b'))).toBe(true);
    expect(work.queue('b', async () => void log.push('b again'))).toBe(true); // queued already
    work.queue('c', async () => {
      throw new Error('c fails');
    });
    work.queue('d', async () => void log.push('d'));
    await Promise.resolve();
    expect(log).toEqual([]); // not on this turn
    await aStarted;
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a starts']); // b waits for a
    release();
    await work.idle();
    expect(log).toEqual(['a starts', 'a ends', 'b', 'd']);
    await work.close();
    expect(work.queue('e', async () => void log.push('e'))).toBe(false);
    await work.idle();
    expect(log).toEqual(['a starts', 'a ends', 'b', 'd']);
  });
});
