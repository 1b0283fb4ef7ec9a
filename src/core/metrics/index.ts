/**
 * Community health over a time window, computed from stored messages, members, signals
 * and escalations. Every figure is defined in docs/metrics.md; keep the two in step.
 * Bots, the companion and members with analytics off are left out everywhere.
 */
import type { CoreContext } from '../context';
import type { CompactColumns, CompactSignal, CountedMember, EscalationRow, MemberRow, MessageRow, SignalKind, SignalRow } from '../storage';
import { DAY, HOUR, MINUTE } from '../clock';
import { ACCEPTED_ANSWER_KEY } from '../resolution';
import { percentile } from '../text/format';
import { resolutionFigures, UNRESOLVED_LOOKBACK, type ResolutionFigures } from './resolution';
import { firstAtOrAfter, firstAtOrAfterTime, NONE, postTimes, readShapes, startsConversation, type Shapes } from './shapes';
import { ASKS } from './verdicts';

export interface Window {
  since: number;
  until: number;
}

export interface MemberFigure {
  member: string;
  name: string;
}

export interface HelperLoad extends MemberFigure {
  helps: number;
  share: number;
}

export interface HelperRisk extends HelperLoad {
  previousShare: number;
  offHoursShare: number;
  reasons: Array<'large_share' | 'rising_share' | 'off_hours'>;
}

export interface PulseMetrics {
  community: string;
  window: { since: string; until: string; days: number };
  timezone: string;
  humanMessages: number;
  firstResponse: {
    questions: number;
    answered: number;
    unanswered: number;
    unansweredShare: number | null;
    p50Ms: number | null;
    p90Ms: number | null;
  };
  welcome: {
    newcomers: number;
    welcomedWithin24h: number;
    ratio: number | null;
    timeToFirstWelcomeP50Ms: number | null;
    timeToFirstWelcomeP90Ms: number | null;
  };
  newcomerReturn: { posted: number; returned: number; rate: number | null };
  helping: {
    helps: number;
    helpers: number;
    topHelperShare: number | null;
    absenceFactor: number;
    load: HelperLoad[];
  };
  returningHelpers: { count: number; members: MemberFigure[] };
  thanks: { count: number };
  /** Volunteers answering a member's question about a machine translation (`translated_for`). */
  translations: { count: number; translators: number };
  mentorship: { links: number; longestChain: number };
  repair: { conflicts: number; repaired: number; share: number | null };
  /** `reframed_debate`: heated exchanges a third member reframed and that cooled (distinct reframing messages). */
  reframes: { count: number; who: Array<MemberFigure & { reframes: number }> };
  resolution: ResolutionFigures;
  burnout: { atRisk: HelperRisk[] };
  escalations: {
    opened: number;
    claimed: number;
    claimP50Ms: number | null;
    claimP90Ms: number | null;
    unclaimedNow: number;
    /** Same-here incidents: requests opened because many members reported the same problem. */
    sameHereIncidents: number;
    byClass: Record<string, { opened: number; claimed: number; claimP50Ms: number | null }>;
  };
  lists: {
    /** Helpers and reframers nobody thanked in the window. */
    toThank: Array<MemberFigure & { helps: number; reframes: number }>;
    waitingForHuman: Array<MemberFigure & { escalationId: number; waitingMs: number; stakes: string; stakesClass: string }>;
    /** Open requests left out of `waitingForHuman` because their member opted out or was forgotten. */
    waitingNotNamed: number;
    unansweredNewcomers: Array<MemberFigure & { messageId: string; channelId: string; waitingMs: number }>;
    helpersAtRisk: HelperRisk[];
    /** Questions unresolved a week or more after they were asked (analytics-off askers not named). */
    unresolvedQuestions: Array<MemberFigure & { messageId: string; channelId: string; waitingMs: number }>;
  };
}

/** Thresholds for the burnout rule (documented in docs/metrics.md). */
export const BURNOUT = {
  minHelps: 3,
  largeShare: 0.4,
  risingShare: 0.3,
  risingFactor: 1.5,
  offHoursShare: 0.5,
} as const;
/** Newcomer return: a later visit, between 1 hour and 7 days after the first post. */
export const NEWCOMER_RETURN = { minGap: HOUR, maxGap: 7 * DAY } as const;
const RETURN_MIN_GAP = NEWCOMER_RETURN.minGap;
const RETURN_MAX_GAP = NEWCOMER_RETURN.maxGap;
/** A newcomer is welcomed when a human greets them within this long of first appearing. */
export const WELCOME_WITHIN = DAY;
/**
 * A regular who went quiet: at least `activeMessages` messages in the `period` before the
 * last one, and none in the last `period`.
 */
export const WENT_QUIET = { activeMessages: 5, period: 28 * DAY } as const;
/** The signals feature's REPAIR_WINDOW: a repair comes at most this long after its conflict. */
const REPAIR_WITHIN = 2 * DAY;
const LIST_LIMIT = 10;

const share = (part: number, whole: number) => (whole > 0 ? round(part / whole) : null);
const round = (x: number) => Math.round(x * 1000) / 1000;
const pct = (values: number[], p: number) => (values.length ? percentile(values, p) : null);

/**
 * Who counts (docs/metrics.md, "Who counts"): a member Hearth has seen, human, with analytics
 * on (forget-me turns it off).
 */
export function counts(member: Pick<MemberRow, 'isBot' | 'analyticsOptOut'> | undefined): boolean {
  return Boolean(member && !member.isBot && !member.analyticsOptOut);
}

/**
 * May a member be named in a list, given who counts (`members.counted`)? Counted, and not
 * forgotten: a forgotten member who turned analytics back on counts in figures, never by name.
 */
export function nameable(who: ReadonlyMap<string, CountedMember>, id: string): boolean {
  const member = who.get(id);
  return member !== undefined && !member.forgotten;
}

/** Signals whose actor and subject (when there is one) both count. */
export function countedSignals<T extends Pick<SignalRow, 'actorId' | 'subjectId'>>(signals: T[], counted: (id: string) => boolean): T[] {
  return signals.filter((s) => counted(s.actorId) && (s.subjectId === null || counted(s.subjectId)));
}

/**
 * Helps with their members as small integers: `members[actor[i]]` helped
 * `members[subject[i]]` (-1: no subject) at `at[i]`, in the columns' order; only those
 * `counted` would keep (as `countedSignals`), each member asked once.
 */
export interface InternedHelps {
  members: string[];
  actor: Int32Array;
  subject: Int32Array;
  at: Float64Array;
}

export function internHelps(helps: CompactColumns, counted: (id: string) => boolean = () => true): InternedHelps {
  const ids = new Map<string, number>(); // -2: does not count
  const members: string[] = [];
  const intern = (id: string) => {
    let n = ids.get(id);
    if (n === undefined) {
      n = counted(id) ? members.push(id) - 1 : -2;
      ids.set(id, n);
    }
    return n;
  };
  const total = helps.actorId.length;
  const actor = new Int32Array(total);
  const subject = new Int32Array(total);
  const at = new Float64Array(total);
  let kept = 0;
  for (let i = 0; i < total; i++) {
    const a = intern(helps.actorId[i]);
    if (a < 0) continue;
    const id = helps.subjectId[i];
    const s = id === null ? -1 : intern(id);
    if (s === -2) continue;
    actor[kept] = a;
    subject[kept] = s;
    at[kept++] = helps.at[i];
  }
  return { members, actor: actor.subarray(0, kept), subject: subject.subarray(0, kept), at: at.subarray(0, kept) };
}

/** A newcomer's first human greeting: the earliest `welcome_given` about them once they appeared. */
export function firstWelcome(welcomes: SignalRow[], member: Pick<MemberRow, 'id' | 'firstSeenAt'>): SignalRow | undefined {
  return welcomes.find((s) => s.subjectId === member.id && s.at >= member.firstSeenAt);
}

/** Is a time in the community's off-hours (`offHours`, local to `timezone`)? */
export function offHoursIn(config: { timezone: string; offHours: readonly [number, number] }): (at: number) => boolean {
  const hourOf = localHour(config.timezone);
  return (at) => inRange(hourOf(at), config.offHours);
}

/** The pulse without thread resolution: what `computePulse` gives with `resolution: false`. */
export type PulseWithoutResolution = Omit<PulseMetrics, 'resolution' | 'lists'> & { lists: Omit<PulseMetrics['lists'], 'unresolvedQuestions'> };

export interface PulseOptions {
  /** How many members each list names (the card shows 10; the dashboard more). */
  listLimit?: number;
  /**
   * false: leave thread resolution out (its figures and unresolved questions), and with it
   * the four weeks before the window it reads (most of a pulse's cost); the rest is the same.
   */
  resolution?: boolean;
}

export async function computePulse(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, window: Window, options?: PulseOptions & { resolution?: true }): Promise<PulseMetrics>;
export async function computePulse(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, window: Window, options: PulseOptions): Promise<PulseWithoutResolution>;
export async function computePulse(
  core: Pick<CoreContext, 'repos' | 'settings'>,
  community: string,
  window: Window,
  { listLimit = LIST_LIMIT, resolution: withResolution = true }: PulseOptions = {},
): Promise<PulseMetrics | PulseWithoutResolution> {
  const { repos, settings } = core;
  const { since, until } = window;
  const config = await settings.get(community);
  // Who counts, with their names; bots and moderators; the window's newcomers: narrow reads,
  // not every member's row (25,000 of them were a tenth of a computation's time and memory).
  const [who, roles] = await Promise.all([repos.members.counted(community), repos.members.roles(community)]);
  const counted = (id: string) => who.has(id);
  // Named in a list: counted and not forgotten (forgotten, then analytics back on: counted still).
  const named = (id: string) => nameable(who, id);
  const figure = (id: string): MemberFigure => ({ member: id, name: who.get(id)?.name ?? id });
  const namedOnly = <T extends MemberFigure>(list: T[]) => list.filter((x) => named(x.member)).slice(0, listLimit);

  // From further back than the window for one figure: questions still unresolved after a week.
  const lookback = withResolution ? Math.min(since, until - UNRESOLVED_LOOKBACK) : since;
  // Human posts, as columns with the verdicts on their words (judged once, then stored: the
  // question rule and thread resolution read those, not the words).
  // (Through the few bots, not a lookup of each post's author among every member.)
  const bots = new Set(roles.bots);
  const shapes = await readShapes(repos, community, lookback, until, (id) => !bots.has(id));
  // The window's messages are positions `windowStart` onwards (before them, the lookback's).
  const windowStart = firstAtOrAfterTime(shapes, since);
  const authorCounts = Uint8Array.from(shapes.authors, (id) => (counted(id) ? 1 : 0));
  // Signals written by other features are filtered too, so an opt-out always holds here.
  // Each kind is read once over every range the figures need, and sliced (oldest first).
  const ranges: Partial<Record<SignalKind, Window>> = {
    welcome_given: { since, until: until + WELCOME_WITHIN },
    helped: { since: since - (until - since), until },
    thanked: { since: Math.min(lookback, since), until },
    repair: { since, until: until + REPAIR_WITHIN },
  };
  const read = new Map<SignalKind, Promise<SignalRow[]>>();
  const signalsOf = async (kind: SignalKind, from = since, to = until) => {
    const range = ranges[kind] ?? window;
    if (from < range.since || to > range.until) throw new Error(`signals of ${kind} read outside their range`);
    if (!read.has(kind)) read.set(kind, repos.signals.list(community, { kind, ...range }).then((rows) => countedSignals(rows, counted)));
    return slice(await read.get(kind)!, from, to);
  };
  // Helps are many (every answer): only their who and when are read (thread resolution reads
  // the accepted answers alone, whole, below).
  let compactHelps: Promise<CompactSignal[]> | undefined;
  const helpsOf = async (from: number, to: number): Promise<CompactSignal[]> => {
    const range = ranges.helped!;
    if (from < range.since || to > range.until) throw new Error('helps read outside their range');
    compactHelps ??= repos.signals.compact(community, 'helped', range.since, range.until).then((rows) => countedSignals(rows, counted));
    return slice(await compactHelps, from, to);
  };
  const isPulseQuestion = (i: number) => startsConversation(shapes, i) && authorCounts[shapes.author[i]] === 1 && (shapes.flags[i] & ASKS) !== 0;

  // --- First human response ---------------------------------------------------------
  const response = firstResponses(shapes, windowStart);
  // A typed request for a human ("can I talk to a human?") waits for a moderator, not for an
  // answer from the community: it is measured with the requests (time to claim) instead.
  let questions = 0;
  const waits: number[] = [];
  for (let q = windowStart; q < shapes.length; q++) {
    if (!isPulseQuestion(q)) continue;
    questions++;
    if (response[q] !== NONE) waits.push(shapes.createdAt[response[q]] - shapes.createdAt[q]);
  }

  // --- Newcomers ----------------------------------------------------------------------
  // Those who count, first seen first.
  const newcomers = (await repos.members.newcomers(community, since, until)).filter((m) => counted(m.id)).sort((a, b) => a.firstSeenAt - b.firstSeenAt || compareIds(a.id, b.id));
  // A newcomer is welcomed if greeted within 24 h of appearing, even when that runs past the
  // window's end (a Sunday-night join greeted on Monday counts for its own week).
  const welcomes = await signalsOf('welcome_given', since, until + WELCOME_WITHIN);
  let welcomedWithin = 0;
  const welcomeWaits: number[] = [];
  for (const n of newcomers) {
    const first = firstWelcome(welcomes, n);
    if (!first || (first.at >= until && first.at - n.firstSeenAt > WELCOME_WITHIN)) continue;
    welcomeWaits.push(first.at - n.firstSeenAt);
    if (first.at - n.firstSeenAt <= WELCOME_WITHIN) welcomedWithin++;
  }
  // Each newcomer's posts in the window (positions, oldest first).
  const newcomerIds = new Set(newcomers.map((n) => n.id));
  const ownPosts = new Map<string, number[]>();
  if (newcomerIds.size) {
    for (let i = windowStart; i < shapes.length; i++) {
      const author = shapes.authors[shapes.author[i]];
      if (newcomerIds.has(author)) (ownPosts.get(author) ?? ownPosts.set(author, []).get(author)!).push(i);
    }
  }
  // A newcomer's return may fall up to 7 days after the window's end (joined on Sunday,
  // back on Tuesday): their later posts are read too, for the return rate only.
  const laterPosts = newcomerIds.size ? await postTimes(repos, community, until, until + RETURN_MAX_GAP, (id) => newcomerIds.has(id)) : new Map<string, number[]>();
  let posted = 0;
  let returned = 0;
  const unansweredNewcomers: PulseMetrics['lists']['unansweredNewcomers'] = [];
  for (const n of newcomers) {
    const own = ownPosts.get(n.id) ?? [];
    if (own.length === 0) continue;
    posted++;
    const firstPost = own[0];
    const at = shapes.createdAt[firstPost];
    const back = (t: number) => t - at >= RETURN_MIN_GAP && t - at <= RETURN_MAX_GAP;
    if (own.some((i) => back(shapes.createdAt[i])) || (laterPosts.get(n.id) ?? []).some(back)) returned++;
    if (response[firstPost] === NONE && named(n.id)) {
      unansweredNewcomers.push({ ...figure(n.id), messageId: shapes.id[firstPost], channelId: shapes.channels[shapes.channel[firstPost]], waitingMs: until - at });
    }
  }

  // --- Helping --------------------------------------------------------------------------
  const helps = await helpsOf(since, until);
  const previousHelps = await helpsOf(since - (until - since), since);
  const load = helperLoad(helps, figure);
  const atRisk = burnoutRisks(load, helps, previousHelps, offHoursIn(config), figure);

  const returning = await signalsOf('returned_to_help');
  const thanked = await signalsOf('thanked');
  const thankedIds = new Set(thanked.map((s) => s.subjectId));
  const mentorship = await signalsOf('mentorship');
  const translated = await signalsOf('translated_for');
  const conflicts = await signalsOf('conflict');
  // A conflict in the window may be repaired up to 48 hours later, after the window's end
  // (a Sunday-night clash mended on Monday is repaired in its own week).
  const repairs = await signalsOf('repair', since, until + REPAIR_WITHIN);
  const conflictIds = new Set(conflicts.map((c) => c.id));
  const repaired = new Set(repairs.map((r) => Number(r.data?.conflictId)).filter((id) => conflictIds.has(id))).size;
  // One reframing message records a signal per member of the exchange: counted once.
  const reframes = await signalsOf('reframed_debate');
  const reframesBy = new Map<string, Set<string>>();
  for (const r of reframes) reframesBy.set(r.actorId, (reframesBy.get(r.actorId) ?? new Set()).add(r.messageId ?? String(r.id)));
  const reframers = [...reframesBy]
    .map(([id, messageIds]) => ({ ...figure(id), reframes: messageIds.size }))
    .sort((a, b) => b.reframes - a.reframes || compareIds(a.member, b.member));

  // --- Thread resolution ------------------------------------------------------------------
  const resolution =
    withResolution &&
    (await resolutionFigures(
    {
      messages: shapes,
      signals: [
        ...(await signalsOf('thanked', lookback, until)),
        ...countedSignals(await repos.signals.list(community, { kind: 'helped', since: lookback, until, dedupeKeyPrefix: ACCEPTED_ANSWER_KEY }), counted),
      ],
      moderators: new Set(roles.moderators),
      isQuestion: isPulseQuestion,
      textOf: async (i) => (await repos.messages.get(community, shapes.id[i]))?.text ?? null,
      listed: { may: named, limit: listLimit },
    },
    window,
    { share, median: (values) => pct(values, 50) },
  ));

  // --- Escalations ----------------------------------------------------------------------
  const escalations = (await repos.escalations.list(community, { since })).filter((e) => e.createdAt < until);
  const claimWaits = (rows: typeof escalations) =>
    rows.filter((e) => e.claimedAt != null && e.claimedAt < until).map((e) => e.claimedAt! - e.createdAt);
  const byClass: PulseMetrics['escalations']['byClass'] = {};
  for (const [cls, rows] of groupBy(escalations, (e) => e.stakesClass)) {
    const w = claimWaits(rows);
    byClass[cls] = { opened: rows.length, claimed: w.length, claimP50Ms: pct(w, 50) };
  }
  const open = await openRequests(core, community, until);
  const allClaimWaits = claimWaits(escalations);

  const pulse: PulseWithoutResolution = {
    community,
    window: { since: new Date(since).toISOString(), until: new Date(until).toISOString(), days: round((until - since) / DAY) },
    timezone: config.timezone,
    humanMessages: countFrom(windowStart, shapes.length, (i) => authorCounts[shapes.author[i]] === 1),
    firstResponse: {
      questions,
      answered: waits.length,
      unanswered: questions - waits.length,
      unansweredShare: share(questions - waits.length, questions),
      p50Ms: pct(waits, 50),
      p90Ms: pct(waits, 90),
    },
    welcome: {
      newcomers: newcomers.length,
      welcomedWithin24h: welcomedWithin,
      ratio: share(welcomedWithin, newcomers.length),
      timeToFirstWelcomeP50Ms: pct(welcomeWaits, 50),
      timeToFirstWelcomeP90Ms: pct(welcomeWaits, 90),
    },
    newcomerReturn: { posted, returned, rate: share(returned, posted) },
    helping: {
      helps: helps.length,
      helpers: load.length,
      topHelperShare: load[0]?.share ?? null,
      absenceFactor: absenceFactor(load),
      load: namedOnly(load),
    },
    returningHelpers: { count: new Set(returning.map((s) => s.actorId)).size, members: unique(returning.map((s) => s.actorId)).filter(named).map(figure) },
    thanks: { count: thanked.length },
    translations: { count: translated.length, translators: new Set(translated.map((s) => s.actorId)).size },
    mentorship: { links: mentorship.length, longestChain: longestChain(helps) },
    repair: { conflicts: conflicts.length, repaired, share: share(repaired, conflicts.length) },
    reframes: { count: new Set(reframes.map((r) => r.messageId ?? String(r.id))).size, who: namedOnly(reframers) },
    burnout: { atRisk: atRisk.filter((h) => named(h.member)) },
    escalations: {
      opened: escalations.length,
      claimed: allClaimWaits.length,
      claimP50Ms: pct(allClaimWaits, 50),
      claimP90Ms: pct(allClaimWaits, 90),
      unclaimedNow: open.length,
      sameHereIncidents: escalations.filter((e) => e.source === 'incident').length,
      byClass,
    },
    lists: {
      toThank: [
        ...load.map(({ member, name, helps: n }) => ({ member, name, helps: n, reframes: reframesBy.get(member)?.size ?? 0 })),
        ...reframers.filter((r) => !load.some((h) => h.member === r.member)).map((r) => ({ ...r, helps: 0 })),
      ]
        .filter((x) => !thankedIds.has(x.member) && named(x.member))
        .slice(0, listLimit),
      ...waitingList(open, until, named, figure, listLimit),
      unansweredNewcomers: unansweredNewcomers.slice(0, listLimit),
      helpersAtRisk: namedOnly(atRisk),
    },
  };
  if (!resolution) return pulse;
  // In the order the figures have always been written (the JSON of `hearth pulse`).
  const { burnout, escalations: requests, lists, ...first } = pulse;
  return {
    ...first,
    resolution: resolution.figures,
    burnout,
    escalations: requests,
    lists: { ...lists, unresolvedQuestions: resolution.unresolved.map((q) => ({ ...q, ...figure(q.member) })) },
  };
}

/** Requests for a human still open that were opened before `until`, oldest first. */
export async function openRequests(core: Pick<CoreContext, 'repos'>, community: string, until: number): Promise<EscalationRow[]> {
  return (await core.repos.escalations.list(community, { status: ['open'] })).filter((e) => e.createdAt < until);
}

/** "Waiting for a human" from `open` (openRequests), the first `listLimit` of those who may be `named`. */
export function waitingList(
  open: EscalationRow[],
  until: number,
  named: (id: string) => boolean,
  figure: (id: string) => MemberFigure,
  listLimit: number,
): Pick<PulseMetrics['lists'], 'waitingForHuman' | 'waitingNotNamed'> {
  return {
    // Members who opted out or were forgotten are never named; their requests are only counted.
    waitingForHuman: open
      .filter((e) => named(e.requesterId))
      .slice(0, listLimit)
      .map((e) => ({ ...figure(e.requesterId), escalationId: e.id, waitingMs: until - e.createdAt, stakes: e.stakes, stakesClass: e.stakesClass })),
    waitingNotNamed: open.filter((e) => !named(e.requesterId)).length,
  };
}

/**
 * The weekly digest's figures for `weeks` weeks (at least one): one pulse per week, oldest
 * first (`points`, the chart), and the latest week's whole (`latest`, the card; the last
 * point's figures too). The chart's series need no thread resolution, so only the latest week
 * reads the four weeks up to its end that resolution looks over: the others read their own
 * week, a quarter of the work and of the memory each.
 */
export async function computeTrend(core: Pick<CoreContext, 'repos' | 'settings'>, community: string, until: number, weeks = 8): Promise<{ points: Array<{ weekEnding: string; metrics: PulseWithoutResolution }>; latest: PulseMetrics }> {
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`computeTrend: weeks must be a whole number of at least 1, not ${weeks}`);
  const weekEnding = (end: number) => new Date(end).toISOString().slice(0, 10);
  const points: Array<{ weekEnding: string; metrics: PulseWithoutResolution }> = [];
  for (let i = weeks - 1; i >= 1; i--) {
    const end = until - i * 7 * DAY;
    points.push({ weekEnding: weekEnding(end), metrics: await computePulse(core, community, { since: end - 7 * DAY, until: end }, { resolution: false }) });
  }
  const latest = await computePulse(core, community, { since: until - 7 * DAY, until });
  points.push({ weekEnding: weekEnding(until), metrics: latest });
  return { points, latest };
}

/** The rows of `rows` (oldest first) at or after `from` and before `to`. */
function slice<T extends { at: number }>(rows: T[], from: number, to: number): T[] {
  const timeAt = (i: number) => rows[i].at;
  const start = firstAtOrAfter(rows.length, timeAt, from);
  return rows.slice(start, firstAtOrAfter(rows.length, timeAt, to, start));
}

/**
 * First human response to each message of the window (positions `first` onwards): the
 * earliest later message by someone else that replies to it, sits in its thread, or belongs
 * to the discussion it opened; NONE for none. (The messages come in order, time then row id:
 * the first one found is the earliest.)
 */
function firstResponses(shapes: Shapes, first: number): Int32Array {
  const response = new Int32Array(shapes.length).fill(NONE);
  const answer = (anchor: number, m: number) => {
    if (anchor < first || anchor === m || response[anchor] !== NONE) return;
    if (shapes.author[m] !== shapes.author[anchor] && shapes.createdAt[m] >= shapes.createdAt[anchor]) response[anchor] = m;
  };
  for (let m = first; m < shapes.length; m++) {
    const replyTo = shapes.replyTo[m];
    const thread = shapes.threadId[m];
    const discussion = shapes.discussionId[m];
    answer(replyTo, m);
    if (thread !== replyTo) answer(thread, m);
    if (discussion !== replyTo && discussion !== thread) answer(discussion, m);
  }
  return response;
}

/** How many of the positions [from, to) `holds` for. */
function countFrom(from: number, to: number, holds: (i: number) => boolean): number {
  let n = 0;
  for (let i = from; i < to; i++) if (holds(i)) n++;
  return n;
}

/**
 * Member ids in `localeCompare`'s order (the spec defines it as this collator's compare), with
 * one collator for every comparison: `localeCompare` sets one up per call, most of the cost of
 * sorting thousands of helpers with equal counts.
 */
export const compareIds = new Intl.Collator().compare;

/**
 * compareIds for these ids, faster: when every id is made of digits and lowercase ASCII
 * letters only (Discord's snowflakes, most imports), or of digits and uppercase ones only
 * (Slack's), the collator's order is the code points' (no case, accent or punctuation to
 * weigh; digits before letters in both), compared without it.
 */
export function compareIdsAmong(ids: Iterable<string>): (a: string, b: string) => number {
  let lower = true;
  let upper = true;
  for (const id of ids) {
    lower &&= LOWER_ID.test(id);
    upper &&= UPPER_ID.test(id);
    if (!lower && !upper) return compareIds;
  }
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}
const LOWER_ID = /^[0-9a-z]*$/;
const UPPER_ID = /^[0-9A-Z]*$/;

/** Each helper's helps in a window and their share of all of them, most helps first. */
export function helperLoad(helps: Array<Pick<SignalRow, 'actorId'>>, figure: (id: string) => MemberFigure): HelperLoad[] {
  const counts = new Map<string, number>();
  for (const s of helps) counts.set(s.actorId, (counts.get(s.actorId) ?? 0) + 1);
  const compare = compareIdsAmong(counts.keys());
  const load: HelperLoad[] = [];
  for (const [id, n] of counts) load.push({ ...figure(id), helps: n, share: round(n / helps.length) });
  return load.sort((a, b) => b.helps - a.helps || compare(a.member, b.member));
}

/**
 * The burnout rule (BURNOUT, docs/metrics.md): helpers of `load` (from `helps`, one window)
 * at risk, given the previous window of the same length's helps, with their reasons.
 */
export function burnoutRisks(
  load: HelperLoad[],
  helps: CompactSignal[],
  previousHelps: Array<Pick<SignalRow, 'actorId'>>,
  offHours: (at: number) => boolean,
  figure: (id: string) => MemberFigure,
): HelperRisk[] {
  // Only each helper's previous share is needed (helperLoad's, unsorted: sorting thousands of
  // helpers by the locale's collation is most of its cost).
  const previousCounts = new Map<string, number>();
  for (const s of previousHelps) previousCounts.set(s.actorId, (previousCounts.get(s.actorId) ?? 0) + 1);
  const atRisk: HelperRisk[] = [];
  // Grouped once: filtering every help for each helper is quadratic (seconds in a busy week).
  const byHelper = groupBy(helps, (s) => s.actorId);
  for (const helper of load) {
    if (helper.helps < BURNOUT.minHelps) continue;
    const own = byHelper.get(helper.member) ?? [];
    const offHoursShare = round(own.filter((s) => offHours(s.at)).length / own.length);
    const previous = previousCounts.get(helper.member);
    const previousShare = previous === undefined ? 0 : round(previous / previousHelps.length);
    const reasons: HelperRisk['reasons'] = [];
    if (helper.share >= BURNOUT.largeShare) reasons.push('large_share');
    if (helper.share >= BURNOUT.risingShare && helper.share >= BURNOUT.risingFactor * previousShare && previousHelps.length > 0) reasons.push('rising_share');
    if (offHoursShare >= BURNOUT.offHoursShare) reasons.push('off_hours');
    if (reasons.length) atRisk.push({ ...helper, previousShare, offHoursShare, reasons });
  }
  return atRisk;
}

/** Fewest helpers whose helps together make at least half of all helps (0 with no help). */
export function absenceFactor(load: Array<{ helps: number }>): number {
  const total = load.reduce((sum, h) => sum + h.helps, 0);
  let covered = 0;
  let count = 0;
  // (Helper loads come sorted already: checked, not sorted again.)
  const sorted = load.every((h, i) => i === 0 || load[i - 1].helps >= h.helps) ? load : [...load].sort((a, b) => b.helps - a.helps);
  for (const h of sorted) {
    if (covered * 2 >= total) break;
    covered += h.helps;
    count++;
  }
  return total === 0 ? 0 : count;
}

/**
 * Longest help chain, in members: p1 -> p2 -> ... -> pk where each helped the next and each
 * help came after the previous one (and nobody simply helps back the person who helped
 * them). Each member counts once: people helping each other round a circle (a -> b -> c ->
 * a -> b ...) make a chain of three, not one that grows with every lap. A mentorship chain
 * needs at least three members; fewer gives 0.
 */
export function longestChain(helps: ReadonlyArray<Pick<SignalRow, 'actorId' | 'subjectId' | 'at'>>): number {
  return longestChainOf(internHelps({ actorId: helps.map((s) => s.actorId), subjectId: helps.map((s) => s.subjectId), at: helps.map((s) => s.at) }));
}

/** `longestChain` of interned helps (the dashboard's, read as columns). */
export function longestChainOf(helps: InternedHelps): number {
  // The helps with a subject (their helper, helped and time), oldest first (a stable order:
  // equal times keep theirs). The store gives them in order already, then nothing is sorted.
  const hasSubject = (i: number) => helps.subject[i] >= 0 && helps.members[helps.subject[i]] !== '';
  let count = 0;
  for (let i = 0; i < helps.subject.length; i++) if (hasSubject(i)) count++;
  const actors = new Int32Array(count);
  const subjects = new Int32Array(count);
  const times = new Float64Array(count);
  let sorted = true;
  for (let i = 0, k = 0; i < helps.subject.length; i++) {
    if (!hasSubject(i)) continue;
    const at = helps.at[i];
    actors[k] = helps.actor[i];
    subjects[k] = helps.subject[i];
    times[k] = at;
    if (k > 0 && !(times[k - 1] - at <= 0)) sorted = false;
    k++;
  }
  if (!sorted) {
    const order = Array.from(times.keys()).sort((a, b) => times[a] - times[b]);
    actors.set(order.map((k) => actors[k]));
    subjects.set(order.map((k) => subjects[k]));
    times.set(order.map((k) => times[k]));
  }
  // One link per help, link k the help k's: a chain of members ending with its subject
  // (`subjects[k]`; shared prefixes: a long chain is not copied per help). A link's previous
  // is another link, or (-1 - member) for the chain's first member, the helper of a help that
  // extends nothing.
  const previous = new Int32Array(count);
  const length = new Int32Array(count);
  // For each member, the links into them by length: a block of `heads` (at `block[member]`,
  // -1 until the first link into them) holding at [0] the longest length there is and at
  // [length] the latest link of that length, each link the next earlier one of its member and
  // length in `earlier` (-1: none). A block outgrown is copied to the end of `heads`.
  const earlier = new Int32Array(count);
  const block = new Int32Array(helps.members.length).fill(-1);
  const size = new Int32Array(helps.members.length);
  let heads = new Int32Array(Math.max(64, helps.members.length * 8));
  let used = 0;
  let best = 0;
  for (let k = 0; k < count; k++) {
    const actor = actors[k];
    const subject = subjects[k];
    const before = times[k];
    // The longest chain into the helper that came strictly earlier and does not hold the
    // subject already (which also rules out helping back the person who just helped them);
    // of equally long ones, the latest. Searched longest first, so rarely more than a few.
    let extended = -1;
    const from = block[actor];
    if (from >= 0) {
      search: for (let chainLength = heads[from]; chainLength >= 2; chainLength--) {
        for (let link = heads[from + chainLength]; link >= 0; link = earlier[link]) {
          if (times[link] < before && !holds(link, subject, subjects, previous)) {
            extended = link;
            break search;
          }
        }
      }
    }
    const linkLength = extended < 0 ? 2 : length[extended] + 1;
    previous[k] = extended < 0 ? -1 - actor : extended;
    length[k] = linkLength;
    let into = block[subject];
    if (into < 0 || size[subject] <= linkLength) {
      const grown = Math.max(4, linkLength * 2);
      if (used + grown > heads.length) {
        const more = new Int32Array(Math.max(heads.length * 2, used + grown));
        more.set(heads.subarray(0, used));
        heads = more;
      }
      heads.fill(-1, used, used + grown);
      if (into >= 0) heads.copyWithin(used, into, into + size[subject]);
      block[subject] = into = used;
      size[subject] = grown;
      used += grown;
    }
    earlier[k] = heads[into + linkLength];
    heads[into + linkLength] = k;
    if (linkLength > heads[into]) heads[into] = linkLength;
    best = Math.max(best, linkLength);
  }
  return best >= 3 ? best : 0;
}

/** Does the chain ending with `link` hold member `who`? */
function holds(link: number, who: number, subjects: Int32Array, previous: Int32Array): boolean {
  for (;;) {
    if (subjects[link] === who) return true;
    const p = previous[link];
    if (p < 0) return -1 - p === who;
    link = p;
  }
}

/**
 * Hour of day (0-23) in a time zone. Offsets and their changes fall on quarter hours (Nepal's
 * +05:45 included), so the hour is asked of Intl once per UTC quarter hour (it is slow: most
 * of the burnout rule's time over a busy week's helps).
 */
export function localHour(timeZone: string): (at: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
  const byQuarter = new Map<number, number>();
  return (at) => {
    const quarter = Math.floor(at / QUARTER_HOUR);
    let hour = byQuarter.get(quarter);
    if (hour === undefined) byQuarter.set(quarter, (hour = Number(format.formatToParts(at).find((p) => p.type === 'hour')?.value ?? 0) % 24));
    return hour;
  };
}
const QUARTER_HOUR = 15 * MINUTE;

/** Is an hour inside [start, end) on a 24-hour clock that may wrap midnight (22-7)? */
export function inRange(hour: number, [start, end]: readonly [number, number]): boolean {
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
