/**
 * The welcome crew: members who opted in (`/welcomer on`) to greet newcomers personally.
 * The companion asks them in fair rotation (whoever was asked longest ago goes next) and
 * never asks someone who is carrying a lot lately, so welcoming never becomes a burden.
 *
 * "Carrying a lot lately" (either is enough):
 * - asked `MAX_ASKS_PER_DAY` or more times in the last 24 hours (to greet a newcomer, or for
 *   a translator, to help with a translation), or
 * - `BUSY_CARE_SIGNALS` or more care signals as the actor (welcome_given, helped,
 *   returned_to_help, escalation_claimed, translated_for) in the last `BUSY_WINDOW` (3 days).
 */
import type { MemberRow, SignalKind } from '../../storage';
import { DAY } from '../../clock';
import type { CoreContext } from '../../context';

export const MAX_ASKS_PER_DAY = 3;
export const BUSY_WINDOW = 3 * DAY;
export const BUSY_CARE_SIGNALS = 12;
const CARE_KINDS: SignalKind[] = ['welcome_given', 'helped', 'returned_to_help', 'escalation_claimed', 'translated_for'];

export interface WelcomerLoad {
  asksToday: number;
  careSignals: number;
  busy: boolean;
}

export type AskReason = 'join' | 'first_post' | 'nudge';

export class WelcomeCrew {
  constructor(private readonly core: CoreContext) {}

  /** The load rule, for the welcome crew and for translators (`askKind`: which asks count today). */
  async load(community: string, memberId: string, askKind: SignalKind = 'welcomer_asked'): Promise<WelcomerLoad> {
    const { repos, clock } = this.core;
    const now = clock.now();
    const asksToday = await repos.signals.countByActor(community, memberId, [askKind], now - DAY);
    const careSignals = await repos.signals.countByActor(community, memberId, CARE_KINDS, now - BUSY_WINDOW);
    return { asksToday, careSignals, busy: asksToday >= MAX_ASKS_PER_DAY || careSignals >= BUSY_CARE_SIGNALS };
  }

  /**
   * Ask the next welcomer in rotation to greet `newcomerId`: takes their turn and records the
   * ask (which counts towards their load). Returns undefined when nobody is available.
   */
  async next(community: string, newcomerId: string, reason: AskReason, exclude: string[] = []): Promise<MemberRow | undefined> {
    const { repos, clock } = this.core;
    const now = clock.now();
    for (const candidate of await repos.members.listWelcomers(community)) {
      if (candidate.id === newcomerId || exclude.includes(candidate.id)) continue;
      if ((await this.load(community, candidate.id)).busy) continue;
      // Someone else took this turn in the meantime (two joins at once): try the next one.
      if (!(await repos.members.claimWelcomerTurn(community, candidate.id, candidate.welcomerLastAskedAt, now))) continue;
      await this.recordAsk(community, candidate.id, newcomerId, reason);
      return candidate;
    }
    return undefined;
  }

  /** The welcomers already asked about this newcomer (for `reason`, when given) who are still on the crew, most recent first. */
  async askedFor(community: string, newcomerId: string, reason?: AskReason): Promise<MemberRow[]> {
    const { repos } = this.core;
    const asks = (await repos.signals.forSubject(community, 'welcomer_asked', newcomerId)).filter((s) => !reason || s.data?.reason === reason);
    const ids = [...new Set(asks.map((s) => s.actorId).reverse())];
    const rows = await Promise.all(ids.map((id) => repos.members.get(community, id)));
    return rows.filter((m): m is MemberRow => Boolean(m?.welcomer && !m.isBot));
  }

  private async recordAsk(community: string, welcomerId: string, newcomerId: string, reason: AskReason): Promise<void> {
    const { repos, clock } = this.core;
    const now = clock.now();
    await repos.signals.record(community, {
      kind: 'welcomer_asked',
      actorId: welcomerId,
      subjectId: newcomerId,
      at: now,
      data: { reason },
      dedupeKey: `welcomer_asked:${newcomerId}:${welcomerId}:${reason}:${now}`,
    });
  }
}
