/**
 * The pulse of the last 7 days to now, the window `/pulse` shows, for pages looked at often
 * (the dashboard's overview and people), computed off the request path.
 *
 * Computing it reads four weeks of a community's messages (thread resolution looks four
 * weeks back from the window's end): over half a second at a million messages, far more than
 * a page may take, and paid again by every reload and every moderator looking. The figures
 * of a rolling week barely move in a minute, so they are computed at most once a `fresh`
 * period per community: a view
 * that finds them older is answered with them (the page says when they were computed) and
 * has them computed again in the background, after it has been answered. A view waits only
 * when none are kept for the community, when they are older than `shown` (nobody looked for
 * an hour: figures that old would mislead more than a second's wait), or when who counts changed
 * since they were computed (a member opted out or was forgotten, here or in another
 * process): never figures that counted, or lists that name, someone who has since left them.
 */
import type { CoreContext } from '../context';
import { DAY, HOUR, MINUTE, type Clock } from '../clock';
import { BackgroundWork } from './background';
import { keepBounded } from './bounded';
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

/** Figures this young are shown as they are; older ones, up to `shown`, while computed again in the background; older still are waited for. */
export const RECENT_LIMITS = { fresh: MINUTE, shown: HOUR } as const;
/** How many communities' figures a process keeps (the least recently viewed go first). */
export const KEPT_COMMUNITIES = 100;
/** How many members each list names (the People page shows up to 100). */
const LIST_LIMIT = 100;

interface Kept {
  computedAt: number;
  notCounted: string;
  value: Promise<PulseMetrics>;
}

/** The 7 days to now, per community, for this process. */
export class RecentPulses {
  private readonly kept = new Map<string, Kept>();

  /** `background`: the dashboard's one queue (weeks.ts's past weeks use it too). */
  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly background = new BackgroundWork(),
  ) {}

  /**
   * The figures to show at `now`: kept ones when young enough, computed now otherwise.
   * `known`: whoDoesNotCount's answer when the caller has just read it (a view reads it once).
   */
  async get(core: Core, community: string, now: number, known?: string): Promise<RecentPulse> {
    const notCounted = known ?? (await whoDoesNotCount(core, community));
    let entry = this.kept.get(community);
    const age = entry ? now - entry.computedAt : Infinity;
    let refreshing = false;
    if (!entry || entry.notCounted !== notCounted || age < 0 || age > RECENT_LIMITS.shown) {
      entry = this.compute(core, community, now, notCounted);
    } else if (age > RECENT_LIMITS.fresh) {
      refreshing = this.refreshLater(core, community);
    }
    this.keep(community, entry);
    return { computedAt: entry.computedAt, metrics: await entry.value, refreshing };
  }

  /**
   * Have a community's figures computed in the background (a moderator is about to look: the
   * sign-in page, a restart with moderators signed in), unless fresh ones are kept by then.
   */
  warm(core: Core, community: string): void {
    this.refreshLater(core, community);
  }

  /** Resolves once every background computation queued so far is over (tests, benchmarks). */
  idle(): Promise<void> {
    return this.background.idle();
  }

  /** Shutdown: nothing more is computed in the background. */
  close(): Promise<void> {
    return this.background.close();
  }

  /**
   * Queue a computation, done at the time the queue reaches it (the clock read then, who
   * counts read then: the figures are tagged with what they read), and skipped if fresh figures
   * are kept by then (a view computed them meanwhile). False when nothing more is computed.
   */
  private refreshLater(core: Core, community: string): boolean {
    return this.background.queue(`recent\u0000${community}`, async () => {
      const now = this.clock.now();
      const notCounted = await whoDoesNotCount(core, community);
      const kept = this.kept.get(community);
      if (kept && kept.notCounted === notCounted && now >= kept.computedAt && now - kept.computedAt <= RECENT_LIMITS.fresh) return;
      await this.compute(core, community, now, notCounted).value;
    });
  }

  /** Keep a community's figures, as the most recently viewed. */
  private keep(community: string, entry: Kept): void {
    keepBounded(this.kept, community, entry, KEPT_COMMUNITIES);
  }

  /** Compute the window ending at `now`; once done, it replaces what was kept unless that is newer. */
  private compute(core: Core, community: string, now: number, notCounted: string): Kept {
    const until = now + 1; // as /pulse: the window includes this very moment
    const value = computePulse(core, community, { since: until - 7 * DAY, until }, { listLimit: LIST_LIMIT });
    const entry: Kept = { computedAt: now, notCounted, value };
    value.then(
      () => {
        // A view may have waited for newer figures meanwhile (who counts changed): those stay.
        const current = this.kept.get(community);
        if (!current || current.computedAt < now || current === entry) this.keep(community, entry);
      },
      () => {
        if (this.kept.get(community) === entry) this.kept.delete(community);
      },
    );
    return entry;
  }
}
