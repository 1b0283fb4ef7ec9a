import { describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, ManualClock, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { RecentPulses } from '../../src/core/metrics/recent';
import { harness } from '../helpers/harness';

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

const pulseAt = (t: Awaited<ReturnType<typeof aWeek>>, at: number) => computePulse(t.core, t.community, { since: at + 1 - 7 * DAY, until: at + 1 }, { listLimit: 100 });

describe('the last 7 days, kept off the request path', () => {
  it('is the /pulse of the 7 days to when it was computed', async () => {
    const t = await aWeek();
    const recent = new RecentPulses();
    const now = t.clock.now();
    const got = await recent.get(t.core, t.community, now);
    expect(got.computedAt).toBe(now);
    expect(got.metrics).toEqual(await pulseAt(t, now));
    expect(got.metrics.firstResponse.questions).toBe(2);
  });

  it('is kept a minute; older, it is shown while computed again in the background, after the view', async () => {
    const t = await aWeek();
    const recent = new RecentPulses();
    const start = t.clock.now();
    const computed = vi.spyOn(t.repos.messages, 'shapesInWindow');
    await recent.get(t.core, t.community, start);
    const reads = computed.mock.calls.length;
    expect(reads).toBeGreaterThan(0);
    // A new question: not in the kept figures for a minute.
    await t.say('ola', 'And where do I find the invoices?');
    const soon = await recent.get(t.core, t.community, start + 30_000);
    expect(soon.computedAt).toBe(start);
    expect(soon.metrics.firstResponse.questions).toBe(2);
    await recent.idle();
    expect(computed.mock.calls.length).toBe(reads); // nothing computed again
    // Past a minute: the kept figures answer at once, and newer ones are computed after.
    const later = await recent.get(t.core, t.community, start + 2 * MINUTE);
    expect(later.computedAt).toBe(start);
    expect(later.refreshing).toBe(true);
    expect(soon.refreshing).toBe(false);
    expect(computed.mock.calls.length).toBe(reads); // not before the answer
    await recent.idle();
    expect(computed.mock.calls.length).toBeGreaterThan(reads);
    const next = await recent.get(t.core, t.community, start + 2 * MINUTE + 1);
    expect(next.computedAt).toBe(start + 2 * MINUTE);
    expect(next.refreshing).toBe(false);
    // Still shown, and computed again after the view, up to an hour old.
    expect((await recent.get(t.core, t.community, start + 2 * MINUTE + HOUR)).computedAt).toBe(start + 2 * MINUTE);
    expect(next.metrics).toEqual(await pulseAt(t, start + 2 * MINUTE));
    expect(next.metrics.firstResponse.questions).toBe(3);
  });

  it('waits for new figures when none are kept, when the kept ones are over an hour old, or when the clock went back', async () => {
    const t = await aWeek();
    const recent = new RecentPulses();
    const start = t.clock.now();
    await recent.get(t.core, t.community, start);
    await t.say('ola', 'And where do I find the invoices?');
    const late = await recent.get(t.core, t.community, start + HOUR + MINUTE);
    expect(late.computedAt).toBe(start + HOUR + MINUTE);
    expect(late.refreshing).toBe(false);
    expect(late.metrics.firstResponse.questions).toBe(3);
    const back = await recent.get(t.core, t.community, start);
    expect(back.computedAt).toBe(start);
    expect(back.metrics).toEqual(await pulseAt(t, start));
    // Another community has its own.
    expect((await recent.get(t.core, 'elsewhere', start)).metrics.firstResponse.questions).toBe(0);
  });

  it('never shows figures or lists that counted someone who has since opted out or been forgotten', async () => {
    const t = await aWeek();
    const recent = new RecentPulses();
    const start = t.clock.now();
    const before = await recent.get(t.core, t.community, start);
    expect(before.metrics.lists.unansweredNewcomers.map((m) => m.member)).toEqual(['ola']);
    await t.core.repos.members.setAnalyticsOptOut(t.community, 'ola', true);
    const after = await recent.get(t.core, t.community, start + 1000);
    expect(after.computedAt).toBe(start + 1000);
    expect(after.metrics.lists.unansweredNewcomers).toEqual([]);
    expect(after.metrics.firstResponse.questions).toBe(1);
    await t.core.repos.members.forget(t.community, 'kim', start + 2000);
    const forgotten = await recent.get(t.core, t.community, start + 2000);
    expect(forgotten.computedAt).toBe(start + 2000);
    expect(forgotten.metrics).toEqual(await pulseAt(t, start + 2000));
  });

  it('a warm-up computes after the current turn, before anyone views; views at once share one computation; a failure is not kept', async () => {
    const t = await aWeek();
    const recent = new RecentPulses();
    const now = t.clock.now();
    const computed = vi.spyOn(t.repos.messages, 'shapesInWindow');
    recent.warm(t.core, t.community, now);
    expect(computed).not.toHaveBeenCalled(); // the sign-in page is answered first
    await recent.idle();
    const reads = computed.mock.calls.length;
    expect(reads).toBeGreaterThan(0);
    expect((await recent.get(t.core, t.community, now + 10)).computedAt).toBe(now);
    recent.warm(t.core, t.community, now + 20); // kept already: nothing more
    await recent.idle();
    expect(computed.mock.calls.length).toBe(reads);
    const [a, b] = await Promise.all([recent.get(t.core, t.community, now + 2 * HOUR), recent.get(t.core, t.community, now + 2 * HOUR)]);
    expect(a.computedAt).toBe(now + 2 * HOUR);
    expect(b).toEqual(a);
    expect(computed.mock.calls.length).toBe(2 * reads); // one computation for both
    computed.mockRejectedValueOnce(new Error('disk gone'));
    await expect(recent.get(t.core, t.community, now + 4 * HOUR)).rejects.toThrow('disk gone');
    // The next view computes again (the failed figures were not kept, nor the old ones past an hour).
    expect((await recent.get(t.core, t.community, now + 4 * HOUR)).computedAt).toBe(now + 4 * HOUR);
  });

  it('computes nothing more in the background once closed', async () => {
    const t = await aWeek();
    const recent = new RecentPulses();
    const now = t.clock.now();
    await recent.get(t.core, t.community, now);
    const computed = vi.spyOn(t.repos.messages, 'shapesInWindow');
    await recent.close();
    expect((await recent.get(t.core, t.community, now + 2 * MINUTE)).computedAt).toBe(now);
    await recent.idle();
    expect(computed).not.toHaveBeenCalled();
  });
});
