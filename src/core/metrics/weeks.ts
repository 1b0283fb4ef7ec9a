/**
 * The pulse week by week, for charts that are looked at often (the dashboard's overview),
 * thread resolution included (the overview shows it). The weeks end on Monday
 * 00:00 UTC, so a past week is the same week whenever it is asked for, and its figures, once
 * nothing they look at can still happen, are kept instead of being computed again on every
 * view (a busy week costs a second or more): in memory, and in the store (`pulseWeeks`), so
 * that a restart, or another process over the same store, does not compute them again.
 * What is kept names nobody: a week's lists and the members named in its figures are left
 * out (the trend shows counts, shares and durations only; figuresOnly).
 *
 * What can still change a closed week, and how a kept one is let go:
 * - a member opting out or being forgotten (in this process or another over the same
 *   database): the community's members who do not count are compared on every read (a hash
 *   of them is stored with each week), and any change drops every week kept for it;
 * - the retention purge blanking text a week read: a week reading text older than the
 *   community's retention horizon is only kept a few minutes;
 * - a week still settling (its newcomers may come back up to 7 days after its end, greetings
 *   and repairs come later): kept a few minutes, then shown once more as kept, for up to an
 *   hour after it was computed, while it is computed again in the background;
 * - anything else written about the past (a history import, an edit): a settled week is
 *   computed again once it has been kept a day, in the background too, the kept figures
 *   shown meanwhile.
 * The background computations run one week at a time, after the view that asked: a view
 * waits for a week only when none is kept, when who counts changed, or when the purge may
 * have reached its text.
 */
import type { CoreContext } from '../context';
import { createHash } from 'node:crypto';
import type { PulseWeekRow } from '../storage';
import { BackgroundWork } from './background';
import { keepBounded } from './bounded';
import { DAY, HOUR, MINUTE } from '../clock';
import { computePulse, NEWCOMER_RETURN, type PulseMetrics } from './index';

export const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday of the epoch. */
const FIRST_MONDAY = 4 * DAY;

/** The end (exclusive) of the last whole week, Monday 00:00 UTC, at or before `at`. */
export function weekEndingBefore(at: number): number {
  return at - ((((at - FIRST_MONDAY) % WEEK) + WEEK) % WEEK);
}

export interface WeekPulse {
  /** The week's last day (YYYY-MM-DD, UTC). */
  weekEnding: string;
  since: number;
  until: number;
  /** The week's pulse as figuresOnly gives it: no member named. */
  metrics: PulseMetrics;
}

/** A week closedWeeksSoFar has not computed yet (it is, in the background). */
export interface PendingWeek extends Omit<WeekPulse, 'metrics'> {
  metrics: null;
}

/** Weeks older than this before the newest one stored are dropped from the store (the longest trend the overview draws). */
const STORED_WEEKS = 52;

interface Kept {
  computedAt: number;
  value: Promise<PulseMetrics>;
}

/** Weeks still changing (newcomers may yet return, greetings and repairs come later) are kept this long... */
const SETTLING_KEEP = 5 * MINUTE;
/** ... and then shown while computed again in the background, this long after they were computed. */
const SETTLING_SHOWN = HOUR;
const SETTLED_KEEP = DAY;

/** Closed weeks' pulses, per process, at most `maxWeeks` of them (the least recently used go first). */
export class WeeklyPulses {
  private readonly kept = new Map<string, Kept>();
  /** Per community: who did not count when its weeks were computed. */
  private readonly notCounted = new Map<string, string>();

  /** `background`: the dashboard's one queue (recent.ts's 7 days use it too), where kept weeks are computed again, one at a time. */
  constructor(
    private readonly maxWeeks = 600,
    private readonly background = new BackgroundWork(),
  ) {}

  /** Resolves once every background recomputation queued so far is over (tests, shutdown). */
  idle(): Promise<void> {
    return this.background.idle();
  }

  /** Shutdown: computes nothing more in the background; resolves once the week being computed, if any, is done. */
  close(): Promise<void> {
    return this.background.close();
  }

  /** How many weeks are kept (all communities). */
  get size(): number {
    return this.kept.size;
  }

  /**
   * The `weeks` whole weeks before `now`'s (weekEndingBefore), oldest first: each computed
   * exactly as computePulse computes any window (figuresOnly), or taken from memory or the
   * store.
   */
  async closedWeeks(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, now: number, weeks: number): Promise<WeekPulse[]> {
    return (await this.weeksOf(core, community, now, weeks, 'now')) as WeekPulse[];
  }

  /**
   * The same weeks without waiting for any: a week neither kept nor stored (a first view, who
   * counts changed, the purge reached its text) comes back without figures (`metrics: null`)
   * and is computed in the background, one week at a time, for the next view. A page that
   * waited for them all would take seconds per week.
   */
  async closedWeeksSoFar(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, now: number, weeks: number, notCounted?: string): Promise<Array<WeekPulse | PendingWeek>> {
    return this.weeksOf(core, community, now, weeks, 'later', notCounted);
  }

  /** `known`: whoDoesNotCount's answer when the caller has just read it (a view reads it once). */
  private async weeksOf(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, now: number, weeks: number, missing: 'now' | 'later', known?: string): Promise<Array<WeekPulse | PendingWeek>> {
    const notCounted = known ?? (await whoDoesNotCount(core, community));
    if (this.notCounted.get(community) !== notCounted) this.forget(community);
    this.notCounted.set(community, notCounted);
    const retention = (await core.settings.get(community)).retentionDays * DAY;
    const last = weekEndingBefore(now);
    // The store's weeks, read once, and only when memory lacks one.
    let stored: Map<number, PulseWeekRow> | undefined;
    const storedWeek = async (until: number) => {
      stored ??= new Map((await core.repos.pulseWeeks.list(community, last - (weeks - 1) * WEEK, last)).map((w) => [w.weekUntil, w]));
      return stored.get(until);
    };
    const points: Array<WeekPulse | PendingWeek> = [];
    const toRefresh: Array<{ key: string; compute: (at: number) => Promise<PulseMetrics> }> = [];
    for (let i = weeks - 1; i >= 0; i--) {
      const until = last - i * WEEK;
      const since = until - WEEK;
      // Unpurged at a time: the purge has not reached the text the week reads. Settled: also,
      // every look-ahead (a newcomer's return, the longest) is over.
      const unpurgedAt = (at: number) => since >= at - retention;
      const settledAt = (at: number) => at >= until + NEWCOMER_RETURN.maxGap && unpurgedAt(at);
      const settled = (computedAt: number) => now >= computedAt && settledAt(computedAt) && settledAt(now);
      const holds = (computedAt: number) => now >= computedAt && now < computedAt + (settled(computedAt) ? SETTLED_KEEP : SETTLING_KEEP);
      // Past its keep but shown, and computed again in the background: settled (kept a day),
      // or settling and computed less than SETTLING_SHOWN ago, the purge short of its text
      // (and nobody who counted then has stopped counting since: checked above).
      const stale = (computedAt: number) =>
        now >= computedAt && !holds(computedAt) && unpurgedAt(computedAt) && unpurgedAt(now) && (settled(computedAt) || now < computedAt + SETTLING_SHOWN);
      const key = `${community}\u0000${until}`;
      const compute = (at: number) =>
        computePulse(core, community, { since, until }).then(async (metrics) => {
          const figures = figuresOnly(metrics);
          // The store is a cache: a failed write only means computing the week again later.
          await core.repos.pulseWeeks.put(community, { weekUntil: until, computedAt: at, notCounted, figures }, until - STORED_WEEKS * WEEK).catch(() => undefined);
          return figures;
        });
      let entry = this.kept.get(key);
      if (entry && !holds(entry.computedAt) && !stale(entry.computedAt)) entry = undefined;
      this.kept.delete(key); // kept again below, as the most recently used
      if (!entry) {
        const row = await storedWeek(until);
        if (row && row.notCounted === notCounted && (holds(row.computedAt) || stale(row.computedAt))) entry = { computedAt: row.computedAt, value: Promise.resolve(row.figures as PulseMetrics) };
      }
      if (entry && stale(entry.computedAt)) toRefresh.push({ key, compute });
      const weekEnding = new Date(until - 1).toISOString().slice(0, 10);
      if (!entry && missing === 'later') {
        toRefresh.push({ key, compute });
        points.push({ weekEnding, since, until, metrics: null });
        continue;
      }
      if (!entry) {
        const value = compute(now);
        entry = { computedAt: now, value };
        value.catch(() => this.kept.delete(key));
      }
      keepBounded(this.kept, key, entry, this.maxWeeks);
      // One week at a time: a week's messages are many, better not all in memory at once.
      const metrics = await entry.value;
      points.push({ weekEnding, since, until, metrics });
    }
    // The newest first: the end of the trend is what is looked at.
    for (const { key, compute } of toRefresh.reverse()) this.refresh(key, community, notCounted, now, compute);
    return points;
  }

  /** Compute a kept week again after the others queued, and keep it unless who counts changed meanwhile. */
  private refresh(key: string, community: string, notCounted: string, now: number, compute: (at: number) => Promise<PulseMetrics>): void {
    this.background.queue(`weeks\u0000${key}`, async () => {
      const value = await compute(now);
      if (this.notCounted.get(community) === notCounted) {
        keepBounded(this.kept, key, { computedAt: now, value: Promise.resolve(value) }, this.maxWeeks);
      }
    });
  }

  /** Drop every week kept for a community. */
  forget(community: string): void {
    for (const key of this.kept.keys()) if (key.startsWith(`${community}\u0000`)) this.kept.delete(key);
  }
}

/**
 * The members the pulse leaves out (bots, analytics off, forgotten), as one comparable hash
 * (SHA-256, hex; stored with each week, so the same in every process and store).
 */
export async function whoDoesNotCount(core: Pick<CoreContext, 'repos'>, community: string): Promise<string> {
  const ids = (await core.repos.members.leftOut(community)).sort().join('\u0000');
  return createHash('sha256').update(ids).digest('hex');
}

/**
 * A week's pulse with nobody named: every list and every member named in a figure left out
 * (empty), the counts, shares and durations kept. What the trend is drawn from, and what is
 * kept of a week.
 */
export function figuresOnly(metrics: PulseMetrics): PulseMetrics {
  return {
    ...metrics,
    helping: { ...metrics.helping, load: [] },
    returningHelpers: { ...metrics.returningHelpers, members: [] },
    reframes: { ...metrics.reframes, who: [] },
    burnout: { atRisk: [] },
    lists: { toThank: [], waitingForHuman: [], waitingNotNamed: metrics.lists.waitingNotNamed, unansweredNewcomers: [], helpersAtRisk: [], unresolvedQuestions: [] },
  };
}
