/**
 * The pulse of the last 7 days to now, the window `/pulse` shows, for pages looked at often
 * (the dashboard's overview and people), computed off the request path.
 *
 * Computing it reads five weeks of a community's messages (thread resolution looks four
 * weeks back): about a second at a million messages, far more than a page may take, and paid
 * again by every reload and every moderator looking. The figures of a rolling week barely
 * move in a minute, so they are computed at most once a `fresh` period per community: a view
 * that finds them older is answered with them (the page says when they were computed) and
 * has them computed again in the background, after it has been answered. A view waits only
 * when none are kept for the community, when they are older than `shown` (nobody looked for
 * an hour: figures that old would mislead more than a second's wait), or when who counts changed
 * since they were computed (a member opted out or was forgotten, here or in another
 * process): never figures that counted, or lists that name, someone who has since left them.
 */
import type { CoreContext } from '../context';
import { DAY, HOUR, MINUTE } from '../clock';
import { BackgroundWork } from './background';
import { computePulse, type PulseMetrics } from './index';
import { whoDoesNotCount } from './weeks';

type Core = Pick<CoreContext, 'repos' | 'settings'>;

export interface RecentPulse {
  /** When the figures were computed: the window is the 7 days up to this moment. */
  computedAt: number;
  metrics: PulseMetrics;
  /** Older than `fresh`: newer figures are being computed, for the next view. */
  refreshing: boolean;
}

export interface RecentLimits {
  /** Figures this young are shown as they are. */
  fresh: number;
  /** Figures older than `fresh` but not than this are shown while computed again in the background; older ones are waited for. */
  shown: number;
}

export const RECENT_LIMITS: RecentLimits = { fresh: MINUTE, shown: HOUR };
/** How many members each list names (the People page shows up to 100). */
const LIST_LIMIT = 100;

interface Kept {
  computedAt: number;
  notCounted: string;
  value: Promise<PulseMetrics>;
}

/** The 7 days to now, per community, for this process (at most `maxCommunities`, the least recently viewed go first). */
export class RecentPulses {
  private readonly kept = new Map<string, Kept>();
  private readonly background = new BackgroundWork();

  constructor(
    private readonly limits: RecentLimits = RECENT_LIMITS,
    private readonly maxCommunities = 100,
  ) {}

  /** The figures to show at `now`: kept ones when young enough, computed now otherwise. */
  async get(core: Core, community: string, now: number): Promise<RecentPulse> {
    const notCounted = await whoDoesNotCount(core, community);
    let entry = this.kept.get(community);
    const age = entry ? now - entry.computedAt : Infinity;
    let refreshing = false;
    if (!entry || entry.notCounted !== notCounted || age < 0 || age > this.limits.shown) {
      entry = this.compute(core, community, now, notCounted);
    } else if (age > this.limits.fresh) {
      refreshing = true;
      // Who counts is read again when the work starts: the figures are tagged with what they read.
      this.background.queue(community, async () => {
        await this.compute(core, community, now, await whoDoesNotCount(core, community)).value;
      });
    }
    this.kept.delete(community); // kept again, as the most recently viewed
    this.kept.set(community, entry);
    while (this.kept.size > this.maxCommunities) this.kept.delete(this.kept.keys().next().value!);
    return { computedAt: entry.computedAt, metrics: await entry.value, refreshing };
  }

  /**
   * Have a community's figures computed in the background, after the current request has
   * been answered, unless usable ones are kept by then (a moderator is about to look: the
   * sign-in page); a failure is left to the view.
   */
  warm(core: Core, community: string, now: number): void {
    this.background.queue(community, async () => {
      await this.get(core, community, now);
    });
  }

  /** Resolves once every background computation queued so far is over (tests, benchmarks). */
  idle(): Promise<void> {
    return this.background.idle();
  }

  /** Shutdown: nothing more is computed in the background. */
  close(): Promise<void> {
    return this.background.close();
  }

  /** Compute the window ending at `now` and keep it (replacing what was kept) unless a newer computation was kept meanwhile. */
  private compute(core: Core, community: string, now: number, notCounted: string): Kept {
    const until = now + 1; // as /pulse: the window includes this very moment
    const value = computePulse(core, community, { since: until - 7 * DAY, until }, { listLimit: LIST_LIMIT });
    const entry: Kept = { computedAt: now, notCounted, value };
    value.then(
      () => {
        // A view may have waited for newer figures meanwhile (who counts changed): those stay.
        const current = this.kept.get(community);
        if (!current || current.computedAt < now || current === entry) this.kept.set(community, entry);
      },
      () => {
        if (this.kept.get(community) === entry) this.kept.delete(community);
      },
    );
    return entry;
  }
}
