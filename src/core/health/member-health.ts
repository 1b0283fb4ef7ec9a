/**
 * The member health record: one per member per community. The CRM export (CSV / JSON lines)
 * writes it, and later sinks (webhooks, a CRM upsert) send the same record. Every figure uses
 * the pulse's own definitions (src/core/metrics; docs/metrics.md, "Member health record",
 * defines each field).
 *
 * Privacy: members with analytics off, forgotten members and bots never get a record, and
 * are never counted nor named in another member's record. Reads are bounded: a handful of
 * queries per community (per-pair signal counts, one window of helps, per-author message
 * counts), never one per member; one member's record (`member`) reads their own signals.
 */
import type { CoreContext } from '../context';
import type { CountedMember, EscalationRow, MemberRow, SignalRow } from '../storage';
import { DAY } from '../clock';
import { percentile } from '../text/format';
import {
  burnoutRisks,
  counts,
  countedSignals,
  firstWelcome,
  groupBy,
  helperLoad,
  NEWCOMER_RETURN,
  offHoursIn,
  WELCOME_WITHIN,
  WENT_QUIET,
  type HelperRisk,
  type MemberFigure,
} from '../metrics';

/**
 * One member's record. Field names are stable (CSV columns, JSON keys, webhook payloads):
 * add fields, never rename them. Instants are ISO 8601 (UTC), durations milliseconds,
 * "lifetime" totals cover everything stored up to `now`.
 */
export interface MemberHealth {
  /** The community, namespaced by platform (`slack:T0123`, `discord:<guild id>`, `shell:local`). */
  communityId: string;
  /** `discord`, `slack`, `shell`, ... */
  platform: string;
  /** The platform's own user id. */
  memberId: string;
  displayName: string;
  /** Slack with the `users:read.email` scope; null otherwise (Discord never gives one). */
  email: string | null;
  /** When Hearth saw them join (null: only ever seen taking part). */
  joinedAt: string | null;
  /** First appearance (their join, or first post or action). */
  firstSeenAt: string;
  /** Latest of: appearance, post, recorded action (welcome, help, thanks, same-here, claim), request for a human. */
  lastActiveAt: string;
  /** A human greeted them within 24 hours of appearing (the pulse's welcome ratio); null when Hearth never saw them join. */
  welcomed: boolean | null;
  /** Their first human greeting (any delay). */
  welcomedAt: string | null;
  /** Who gave it (null when nobody did, or when that member may not be named). */
  welcomedBy: string | null;
  welcomedByName: string | null;
  /** From first appearance to that greeting. */
  timeToWelcomeMs: number | null;
  /** Lifetime `welcome_given` as the welcomer. */
  welcomesGiven: number;
  /** Lifetime `helped` as the helper. */
  helpsGiven: number;
  /** Lifetime `helped` as the one helped. */
  helpsReceived: number;
  thanksGiven: number;
  thanksReceived: number;
  /** "Same here" on others' messages. */
  sameHeresGiven: number;
  /** "Same here" by others on their messages. */
  sameHeresReceived: number;
  /** Requests for a human they made (merged repeats count once). */
  humanRequests: number;
  /** Of those, still unclaimed. */
  humanRequestsOpen: number;
  /** Median time from request to a moderator's claim, over their claimed requests. */
  humanRequestClaimP50Ms: number | null;
  /**
   * Posted again 1 hour to 7 days after their first post (the pulse's newcomer return); null
   * when not a newcomer Hearth saw join, never posted, or fewer than 7 days ago without a return yet.
   */
  newcomerReturned: boolean | null;
  /** `helped` in the last 7 days (the pulse's default window). */
  recentHelps: number;
  /** Their share of the community's helps in those 7 days (null: nobody helped). */
  helperLoadShare: number | null;
  /** The pulse's burnout rule over those 7 days. */
  burnoutRisk: boolean;
  /** `large_share`, `rising_share`, `off_hours` (empty when not at risk). */
  burnoutReasons: HelperRisk['reasons'];
  /** A regular (5+ messages in the 28 days before the last 28) who has posted nothing in the last 28 days. */
  wentQuiet: boolean;
  /**
   * The person (src/core/identity): their first-seen account's `community/member`. Accounts of
   * one person (the same email, or linked) share one record: the receiver's key for them.
   */
  personId: string;
  /** Every account of the person, as `community/member`, sorted. */
  accounts: string[];
}

/** The record's fields in export order (CSV columns). */
export const MEMBER_HEALTH_FIELDS = [
  'communityId',
  'platform',
  'memberId',
  'displayName',
  'email',
  'joinedAt',
  'firstSeenAt',
  'lastActiveAt',
  'welcomed',
  'welcomedAt',
  'welcomedBy',
  'welcomedByName',
  'timeToWelcomeMs',
  'welcomesGiven',
  'helpsGiven',
  'helpsReceived',
  'thanksGiven',
  'thanksReceived',
  'sameHeresGiven',
  'sameHeresReceived',
  'humanRequests',
  'humanRequestsOpen',
  'humanRequestClaimP50Ms',
  'newcomerReturned',
  'recentHelps',
  'helperLoadShare',
  'burnoutRisk',
  'burnoutReasons',
  'wentQuiet',
  'personId',
  'accounts',
] as const satisfies ReadonlyArray<keyof MemberHealth>;
// Every field is listed: a field added to the interface and not above fails `tsc` here.
const everyField: Exclude<keyof MemberHealth, (typeof MEMBER_HEALTH_FIELDS)[number]> extends never ? true : never = true;
void everyField;

/** The pulse's default window: helper load and burnout are this week's, as `/pulse` shows them. */
const RECENT = 7 * DAY;
/** Stands for every other helper in one member's record (not a member id: ids never hold a NUL). */
const OTHER_HELPERS = '\u0000others';

/**
 * May this member leave Hearth (a record of their own, or a name in someone else's)? A human
 * with analytics on who never asked to be forgotten: opting out later removes them from the
 * next export (and sinks delete them where they can).
 */
export function isExportable<M extends Pick<MemberRow, 'isBot' | 'analyticsOptOut' | 'forgottenAt'>>(member: M | undefined): member is M {
  return counts(member) && member!.forgottenAt == null;
}

export interface MemberHealthOptions {
  /** Only members active (`lastActiveAt`) at or after this time. */
  since?: number;
  /** The time the record describes: totals up to it, the recent windows ending at it. */
  now: number;
  /** Only this member's record (their own signals are read, not every member's). */
  member?: string;
}

/** Every exportable member's record in one community, by member id. */
export async function memberHealth(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, options: MemberHealthOptions): Promise<MemberHealth[]> {
  const { repos, settings } = core;
  const { now } = options;
  const config = await settings.get(community);
  const platform = (await repos.communities.get(community))?.platform ?? community.split(':')[0];
  // One member's record reads their own row, and of the others only who counts (narrow rows).
  const one = options.member === undefined ? undefined : await repos.members.get(community, options.member);
  const memberRows = one ? [one] : options.member === undefined ? await repos.members.list(community) : [];
  const members: Map<string, CountedMember> = one
    ? await repos.members.counted(community)
    : new Map(memberRows.filter(counts).map((m) => [m.id, { name: m.name, forgotten: m.forgottenAt != null }]));
  // Figures count whom the pulse counts; only exportable members are named.
  const counted = (id: string) => members.has(id);
  const figure = (id: string): MemberFigure => ({ member: id, name: members.get(id)?.name ?? id });

  // Lifetime totals, from one row per (kind, actor, subject), or for one member from each of
  // their own signals (one "pair" apiece).
  const ownSignals = options.member === undefined ? undefined : (await repos.signals.forMember(community, options.member)).filter((s) => s.at < now);
  const pairs = ownSignals?.map((s) => ({ ...s, count: 1, lastAt: s.at })) ?? (await repos.signals.countByPair(community, { until: now }));
  const given = new Tally();
  const received = new Tally();
  const lastAction = new Map<string, number>();
  for (const pair of countedSignals(pairs, counted)) {
    given.add(pair.kind, pair.actorId, pair.count);
    if (pair.subjectId !== null) received.add(pair.kind, pair.subjectId, pair.count);
    // Being asked to welcome or translate is the companion's doing, not the member's.
    if (pair.kind !== 'welcomer_asked' && pair.kind !== 'translator_asked') lastAction.set(pair.actorId, Math.max(lastAction.get(pair.actorId) ?? 0, pair.lastAt));
  }
  const welcomeSignals = ownSignals
    ? ownSignals.filter((s) => s.kind === 'welcome_given').sort((a, b) => a.at - b.at || a.id - b.id) // as signals.list orders them
    : await repos.signals.list(community, { kind: 'welcome_given', until: now });
  const welcomes = groupBy(countedSignals(welcomeSignals, counted), (s) => s.subjectId ?? '');

  // This week's helper load and burnout, exactly as the pulse computes them.
  const helpsIn = async (since: number, until: number) => countedSignals(await repos.signals.compact(community, 'helped', since, until), counted);
  const helps = await helpsIn(now - RECENT, now);
  const previousHelps = await helpsIn(now - 2 * RECENT, now - RECENT);
  // One member's load and risk need every help counted but only theirs told apart: the other
  // helpers are taken as one (their shares are never shown here, and sorting thousands of
  // helpers by the locale's collation was most of this record's time).
  const apart = <T extends { actorId: string }>(list: T[]): T[] => (options.member === undefined ? list : list.map((s) => (s.actorId === options.member ? s : { ...s, actorId: OTHER_HELPERS })));
  const load = helperLoad(apart(helps), figure).filter((h) => h.member !== OTHER_HELPERS);
  const loadOf = new Map(load.map((h) => [h.member, h]));
  const risks = new Map(burnoutRisks(load, helps, apart(previousHelps), offHoursIn(config), figure).map((r) => [r.member, r]));

  const requests = groupBy((await repos.escalations.list(community)).filter((e) => e.createdAt < now), (e) => e.requesterId);
  const returned = new Set(await repos.messages.authorsBackAfterFirstPost(community, NEWCOMER_RETURN.minGap, NEWCOMER_RETURN.maxGap, options.member));
  const quiet = await wentQuiet(core, community, now, options.member);

  const records: MemberHealth[] = [];
  for (const m of memberRows) {
    if (!isExportable(m) || (options.member !== undefined && m.id !== options.member)) continue;
    const own = requests.get(m.id) ?? [];
    const lastActive = Math.max(m.firstSeenAt, m.joinedAt ?? 0, m.lastPostAt ?? 0, lastAction.get(m.id) ?? 0, ...own.map((e) => e.lastRequestAt));
    if (options.since !== undefined && lastActive < options.since) continue;
    const newcomer = m.joinedAt != null;
    const welcome = newcomer ? firstWelcome(welcomes.get(m.id) ?? [], m) : undefined;
    const welcomer = welcome && members.get(welcome.actorId)?.forgotten === false ? { id: welcome.actorId, name: members.get(welcome.actorId)!.name } : undefined;
    const claimWaits = own.filter((e) => e.claimedAt != null && e.claimedAt < now).map((e) => e.claimedAt! - e.createdAt);
    const risk = risks.get(m.id);
    records.push({
      communityId: community,
      platform,
      memberId: m.id,
      displayName: m.name,
      email: m.email,
      joinedAt: iso(m.joinedAt),
      firstSeenAt: iso(m.firstSeenAt)!,
      lastActiveAt: iso(lastActive)!,
      welcomed: newcomer ? welcome !== undefined && welcome.at - m.firstSeenAt <= WELCOME_WITHIN : null,
      welcomedAt: iso(welcome?.at),
      welcomedBy: welcomer?.id ?? null,
      welcomedByName: welcomer?.name ?? null,
      timeToWelcomeMs: welcome ? welcome.at - m.firstSeenAt : null,
      welcomesGiven: given.get('welcome_given', m.id),
      helpsGiven: given.get('helped', m.id),
      helpsReceived: received.get('helped', m.id),
      thanksGiven: given.get('thanked', m.id),
      thanksReceived: received.get('thanked', m.id),
      sameHeresGiven: given.get('same_here', m.id),
      sameHeresReceived: received.get('same_here', m.id),
      humanRequests: own.length,
      humanRequestsOpen: own.filter((e: EscalationRow) => e.status === 'open').length,
      humanRequestClaimP50Ms: claimWaits.length ? percentile(claimWaits, 50) : null,
      newcomerReturned: newcomerReturned(m, returned, now),
      recentHelps: loadOf.get(m.id)?.helps ?? 0,
      helperLoadShare: helps.length ? loadOf.get(m.id)?.share ?? 0 : null,
      burnoutRisk: risk !== undefined,
      burnoutReasons: risk?.reasons ?? [],
      wentQuiet: quiet.has(m.id),
      // One account's own record; peopleHealth (./people.ts) combines a person's accounts.
      personId: `${community}/${m.id}`,
      accounts: [`${community}/${m.id}`],
    });
  }
  return records.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

/**
 * Regulars who went quiet (WENT_QUIET): authors with enough messages in the period before the
 * last one and none in the last. Any author (or `memberId` alone); callers keep only whom they may name.
 */
export async function wentQuiet(core: Pick<CoreContext, 'repos'>, community: string, now: number, memberId?: string): Promise<Set<string>> {
  const { period, activeMessages } = WENT_QUIET;
  return new Set(await core.repos.messages.quietAuthors(community, { since: now - 2 * period, quietSince: now - period, until: now, atLeast: activeMessages, authorId: memberId }));
}

/** The newcomer return rule for one member; null when it does not apply or cannot be told yet. */
function newcomerReturned(m: MemberRow, returned: Set<string>, now: number): boolean | null {
  if (m.joinedAt == null || m.firstPostAt == null) return null;
  if (returned.has(m.id)) return true;
  return now - m.firstPostAt > NEWCOMER_RETURN.maxGap ? false : null;
}

const iso = (at: number | null | undefined) => (at == null ? null : new Date(at).toISOString());

/** Counts by signal kind and member. */
class Tally {
  private readonly counts = new Map<string, number>();
  add(kind: string, member: string, n: number) {
    const key = `${kind}\u0000${member}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
  get(kind: SignalRow['kind'], member: string): number {
    return this.counts.get(`${kind}\u0000${member}`) ?? 0;
  }
}
