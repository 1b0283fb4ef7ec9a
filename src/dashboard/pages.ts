/**
 * The dashboard's pages: each reads its figures through the core (the pulse's own
 * computations and definitions, the member health record, the repositories) for the signed-in
 * moderator's community only, and returns its body and its tables (each table is also a CSV).
 * Members with analytics off and forgotten members are never named; message text is shown
 * only from channels the moderator can read.
 */
import { commands } from '../../commands';
import { csvField } from '../cli/csv';
import { renderCarePolicy } from '../core/care/policy';
import { DAY } from '../core/clock';
import type { CoreContext } from '../core/context';
import { isExportable, memberHealth, wentQuiet as quietRegulars } from '../core/health/member-health';
import { compareIds, countedSignals, internHelps, longestChainOf, nameable, openRequests, waitingList, type InternedHelps, type PulseMetrics } from '../core/metrics';
import type { RecentPulse } from '../core/metrics/recent';
import { whoDoesNotCount, type WeeklyPulses } from '../core/metrics/weeks';
import type { CountedMember, EscalationRow, MemberRosterRow, MemberRow, SignalKind } from '../core/storage';
import { excerpt } from '../core/text/mentions';
import { formatDuration } from '../core/text/format';
import { durationHistogram, helpGraph, lineChart, type GraphEdge } from './charts';
import { csvLink, definition, html, Html, type Column } from './html';
import { table } from './html';
import { conversationUrl, memberPath } from './links';

export interface PageContext {
  core: CoreContext;
  community: string;
  moderator: MemberRow;
  now: number;
  query: Record<string, string | undefined>;
  /** This server's past weeks' pulses (the overview's trend). */
  weeks: WeeklyPulses;
  /**
   * The 7 days to now as `/pulse` computes them, kept off the request path (core/metrics/recent.ts);
   * `notCounted`: whoDoesNotCount's answer, when the page has read it already.
   */
  recentPulse: (notCounted?: string) => Promise<RecentPulse>;
  /** Only this table is wanted (a CSV download): a page may leave out the rest, its body included. */
  dataset?: string;
}

/** Does the request want this table (the page, or this table's CSV)? */
const wanted = (ctx: PageContext, dataset: string) => ctx.dataset === undefined || ctx.dataset === dataset;

export interface Dataset<T = any> {
  name: string;
  caption: string;
  columns: Column<T>[];
  rows: T[];
  empty?: string;
  /** The page shows this many rows at most (the largest first); the CSV has every one. */
  shown?: number;
  /** How many rows there are, when `rows` holds only the `shown` first (a page; its CSV has them all). */
  total?: number;
  /**
   * The CSV's records after its header in UTF-8, each ending with a line break, exactly as
   * `columns` would give them for every row: for a table of 100,000s of rows, where `rows`
   * holds only the page's (an object, a call per cell and a string per record for each row
   * cost more than the rest of the view).
   */
  csvRecords?: () => Buffer;
}

export interface Page {
  title: string;
  body: Html;
  datasets: Dataset[];
  /** Load the live script (the waiting list). */
  live?: boolean;
}

// Formatting: the same as the /pulse card (core/metrics/card.ts).
export const percent = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
export const duration = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const clampWeeks = (raw: string | undefined, fallback = 12) => {
  const n = Number(raw);
  return Number.isInteger(n) ? Math.min(52, Math.max(2, n)) : fallback;
};

/** A member the page may name (the core's `nameable`), from `MembersRepository.counted`'s answer, or undefined. */
function named(counted: Map<string, CountedMember>, id: string): { name: string } | undefined {
  return nameable(counted, id) ? counted.get(id) : undefined;
}

function personLink(m: { member: string; name: string }): Html {
  return html`<a href="${memberPath(m.member)}">${m.name}</a>`;
}
function conversationLink(community: string, channelId: string, messageId: string | null, readable: Set<string>): Html | string {
  if (!readable.has(channelId)) return '';
  const url = conversationUrl(community, channelId, messageId);
  return url ? html`<a href="${url}" rel="noreferrer" target="_blank">open conversation</a>` : '';
}
/** Dataset tables with their CSV links. */
export function renderDataset(d: Dataset, query = ''): Html {
  const total = d.total ?? d.rows.length;
  const cut = d.shown !== undefined && total > d.shown;
  const rows = cut ? d.rows.slice(0, d.shown) : d.rows;
  return html`${table(d.caption, d.columns, rows, d.empty)}${cut ? html`<p class="note">The first ${d.shown} of ${total}; the CSV has them all.</p>` : ''}${total ? csvLink(d.name, query) : ''}`;
}

/**
 * When the figures of the last 7 days were computed, and how often: they are kept a minute
 * and computed again after a view finds them older (core/metrics/recent.ts), so a reload or
 * another moderator's view costs no second of reading.
 */
function computedNote(recent: RecentPulse, now: number): Html {
  const age = now - recent.computedAt;
  const ago = age < 1000 ? 'just now' : `${formatDuration(age)} ago`;
  const newer = recent.refreshing ? html` Newer figures are being computed: reload in a moment.` : '';
  return html`<p class="note" role="status">The last 7 days to ${when(recent.computedAt)} UTC, computed ${ago} (the same window and figures as <code>/pulse</code>; computed again at most once a minute while someone looks).${newer}</p>`;
}

// --- Overview ---------------------------------------------------------------------------

interface OverviewFigure {
  key: string;
  title: string;
  definition: Parameters<typeof definition>[0];
  format: 'percent' | 'duration' | 'count';
  value: (m: PulseMetrics) => number | null;
  detail: (m: PulseMetrics) => string;
}

export const OVERVIEW_FIGURES: OverviewFigure[] = [
  { key: 'welcomeRatio', title: 'Welcome ratio', definition: 'welcomeRatio', format: 'percent', value: (m) => m.welcome.ratio, detail: (m) => `of ${m.welcome.newcomers} newcomers welcomed by a human within 24h` },
  { key: 'newcomerReturn', title: 'Newcomer return', definition: 'newcomerReturn', format: 'percent', value: (m) => m.newcomerReturn.rate, detail: (m) => `${m.newcomerReturn.returned} of ${m.newcomerReturn.posted} newcomers who posted came back` },
  { key: 'firstResponseP50', title: 'Time to first human response, p50', definition: 'firstResponse', format: 'duration', value: (m) => m.firstResponse.p50Ms, detail: (m) => `over ${m.firstResponse.answered} answered questions` },
  { key: 'firstResponseP90', title: 'Time to first human response, p90', definition: 'firstResponse', format: 'duration', value: (m) => m.firstResponse.p90Ms, detail: (m) => `over ${m.firstResponse.answered} answered questions` },
  { key: 'unanswered', title: 'Unanswered questions', definition: 'unanswered', format: 'count', value: (m) => m.firstResponse.unanswered, detail: (m) => `${percent(m.firstResponse.unansweredShare)} of ${m.firstResponse.questions} questions` },
  { key: 'claimP50', title: 'Time to claim a request, p50', definition: 'claim', format: 'duration', value: (m) => m.escalations.claimP50Ms, detail: (m) => `${m.escalations.claimed} of ${m.escalations.opened} requests claimed; ${m.escalations.unclaimedNow} unclaimed now` },
  { key: 'claimP90', title: 'Time to claim a request, p90', definition: 'claim', format: 'duration', value: (m) => m.escalations.claimP90Ms, detail: (m) => `${m.escalations.claimed} of ${m.escalations.opened} requests claimed` },
  { key: 'sameHereIncidents', title: 'Same-here incidents', definition: 'sameHereIncidents', format: 'count', value: (m) => m.escalations.sameHereIncidents, detail: () => 'requests opened by many “same here”s' },
  { key: 'helperLoad', title: 'Helper load share (top helper)', definition: 'helperLoad', format: 'percent', value: (m) => m.helping.topHelperShare, detail: (m) => `${m.helping.helps} helps by ${m.helping.helpers} members; absence factor ${m.helping.absenceFactor}` },
  { key: 'resolvedByMember', title: 'Questions resolved by a member', definition: 'resolvedByMember', format: 'percent', value: (m) => m.resolution.memberShare, detail: (m) => `${m.resolution.resolvedByMember} of ${m.resolution.questions} questions; ${m.resolution.resolvedByStaff} by staff, ${m.resolution.selfResolved} by the asker alone` },
  { key: 'timeToResolve', title: 'Time to resolve, median', definition: 'timeToResolve', format: 'duration', value: (m) => m.resolution.medianTimeToResolveMs, detail: (m) => `over ${m.resolution.resolved} resolved questions; ${m.resolution.reopened} reopened` },
  { key: 'unresolvedOverAWeek', title: 'Unresolved after a week', definition: 'unresolvedOverAWeek', format: 'count', value: (m) => m.resolution.unresolvedOverAWeek, detail: () => 'questions with no resolution 7 days on' },
  { key: 'reframes', title: 'Debates reframed', definition: 'reframes', format: 'count', value: (m) => m.reframes.count, detail: (m) => `by ${m.reframes.who.length} member${m.reframes.who.length === 1 ? '' : 's'}` },
  { key: 'translations', title: 'Help across languages', definition: 'translations', format: 'count', value: (m) => m.translations.count, detail: (m) => `by ${m.translations.translators} volunteer translator${m.translations.translators === 1 ? '' : 's'}` },
];

const show = (format: OverviewFigure['format']) => (v: number | null) => (format === 'percent' ? percent(v) : format === 'duration' ? duration(v) : v === null ? '–' : String(v));

/**
 * The weekly trend: the whole weeks (Monday to Sunday, UTC) before this one, kept once they
 * can no longer change (core/metrics/weeks.ts), and last the 7 days to now, the figures
 * above (kept a minute: core/metrics/recent.ts). A past week not computed yet (a first view,
 * or who counts changed) is left blank and computed in the background for the next view.
 */
function trendOf(closed: Array<{ weekEnding: string; metrics: PulseMetrics | null }>, current: RecentPulse): Array<{ weekEnding: string; metrics: PulseMetrics | null }> {
  return [...closed.map((w) => ({ weekEnding: w.weekEnding, metrics: w.metrics })), { weekEnding: day(current.computedAt), metrics: current.metrics }];
}

export async function overviewPage(ctx: PageContext): Promise<Page> {
  const weeks = clampWeeks(ctx.query.weeks);
  // Who does not count, read once for the view (the 7 days and the past weeks both check it:
  // every bot, opted-out and forgotten member, thousands of ids). The past weeks first: they
  // never wait, while the 7 days may be computed now, and a week kept from before an opt-out
  // that came meanwhile must not be shown.
  const notCounted = await whoDoesNotCount(ctx.core, ctx.community);
  const closed = await ctx.weeks.closedWeeksSoFar(ctx.core, ctx.community, ctx.now, weeks - 1, notCounted);
  const recent = await ctx.recentPulse(notCounted);
  const pulse = recent.metrics;
  const trend = trendOf(closed, recent);
  type Point = (typeof trend)[number];
  const valueAt = (f: OverviewFigure, p: Point) => (p.metrics ? f.value(p.metrics) : null);
  const pending = trend.filter((p) => !p.metrics).length;
  const cards: Html[] = [];
  for (const f of OVERVIEW_FIGURES) {
    const points = trend.map((p) => ({ label: p.weekEnding, value: valueAt(f, p) }));
    cards.push(html`<section class="card" data-figure="${f.key}" aria-labelledby="fig-${f.key}">
  <h2 id="fig-${f.key}">${f.title}</h2>
  <p class="value">${show(f.format)(f.value(pulse))}</p>
  <p class="note">${f.detail(pulse)}</p>
  ${definition(f.definition)}
  ${await lineChart(f.title, points, f.format, show(f.format))}
</section>`);
  }
  const weekly: Dataset<Point> = {
    name: 'overview',
    caption: `The figures week by week (last ${weeks} weeks)`,
    columns: [
      { label: 'Week ending', cell: (p) => p.weekEnding },
      ...OVERVIEW_FIGURES.map((f) => ({ label: f.title, cell: (p: Point) => (p.metrics ? show(f.format)(f.value(p.metrics)) : 'being computed'), csv: (p: Point) => valueAt(f, p) })),
    ],
    rows: trend,
  };
  const computing = pending
    ? html`<p class="note" role="status">${pending === 1 ? 'One earlier week is' : `${pending} earlier weeks are`} still being computed (the first view of these weeks, or who counts has changed): ${pending === 1 ? 'it is' : 'they are'} left blank until then. Reload in a minute.</p>`
    : '';
  const body = html`${computedNote(recent, ctx.now)}
<p class="note">Charts show the ${weeks - 1} weeks before this one (Monday to Sunday, UTC) and, last, these 7 days.</p>
${computing}
<form class="filters" method="get" action="/overview"><label>Weeks in the charts <input type="number" name="weeks" min="2" max="52" value="${weeks}"></label><button type="submit">Show</button></form>
<div class="cards">${cards}</div>
<h2>Week by week</h2>
${renderDataset(weekly, `weeks=${weeks}`)}`;
  return { title: 'Overview', body, datasets: [weekly] };
}

// --- People -----------------------------------------------------------------------------

type Waiting = PulseMetrics['lists']['waitingForHuman'][number] & { channelId?: string; messageId?: string | null };

/**
 * The waiting list alone, as the pulse lists it (also what the live stream sends, every few
 * seconds: only the open requests and their requesters are read, not a whole pulse).
 */
export async function waitingDataset(ctx: PageContext): Promise<{ dataset: Dataset<Waiting>; notNamed: number }> {
  const until = ctx.now + 1; // as the pulse: the window includes this very moment
  const open = await openRequests(ctx.core, ctx.community, until);
  // Only the requesters are read (a few), not the community's members.
  const members = await ctx.core.repos.members.counted(ctx.community, open.map((e) => e.requesterId));
  const waiting = waitingList(open, until, (id) => nameable(members, id), (id) => ({ member: id, name: members.get(id)?.name ?? id }), 100);
  const readable = await ctx.core.repos.channels.readableBy(ctx.community, ctx.moderator.id);
  const requests = new Map(open.map((e) => [e.id, e]));
  const rows: Waiting[] = waiting.waitingForHuman.map((w) => ({ ...w, channelId: requests.get(w.escalationId)?.channelId, messageId: requests.get(w.escalationId)?.messageId }));
  return {
    notNamed: waiting.waitingNotNamed,
    dataset: {
      name: 'waiting',
      caption: 'Members waiting for a human, oldest first',
      columns: [
        { label: 'Member', cell: personLink, csv: (w) => w.name },
        { label: 'Request', cell: (w) => `#${w.escalationId}` },
        { label: 'Waiting', cell: (w) => duration(w.waitingMs), csv: (w) => w.waitingMs },
        { label: 'Stakes', cell: (w) => (w.stakes === 'high' ? html`<span class="high">high</span> (${w.stakesClass})` : w.stakesClass), csv: (w) => `${w.stakes} ${w.stakesClass}` },
        { label: 'Conversation', cell: (w) => (w.channelId ? conversationLink(ctx.community, w.channelId, w.messageId ?? null, readable) : ''), csv: (w) => (w.channelId && readable.has(w.channelId) ? conversationUrl(ctx.community, w.channelId, w.messageId ?? null) : '') },
      ],
      rows,
      empty: 'nobody is waiting.',
    },
  };
}

export function renderWaiting(waiting: { dataset: Dataset<Waiting>; notNamed: number }): Html {
  return html`${renderDataset(waiting.dataset)}${waiting.notNamed ? html`<p class="note">${waiting.notNamed} more ${waiting.notNamed === 1 ? 'request' : 'requests'} from members with analytics off (not named).</p>` : ''}`;
}

export async function peoplePage(ctx: PageContext): Promise<Page> {
  const recent = await ctx.recentPulse();
  const pulse = recent.metrics;
  const readable = await ctx.core.repos.channels.readableBy(ctx.community, ctx.moderator.id);
  const waiting = await waitingDataset(ctx);
  const toThank: Dataset<PulseMetrics['lists']['toThank'][number]> = {
    name: 'to-thank',
    caption: 'People to thank',
    columns: [{ label: 'Member', cell: personLink, csv: (r) => r.name }, { label: 'Helps this week', cell: (r) => r.helps }],
    rows: pulse.lists.toThank,
    empty: 'nobody left unthanked.',
  };
  const newcomers: Dataset<PulseMetrics['lists']['unansweredNewcomers'][number]> = {
    name: 'unanswered-newcomers',
    caption: 'Newcomers nobody answered',
    columns: [
      { label: 'Member', cell: personLink, csv: (r) => r.name },
      { label: 'Waiting', cell: (r) => duration(r.waitingMs), csv: (r) => r.waitingMs },
      { label: 'Conversation', cell: (r) => conversationLink(ctx.community, r.channelId, r.messageId, readable), csv: (r) => (readable.has(r.channelId) ? conversationUrl(ctx.community, r.channelId, r.messageId) : '') },
    ],
    rows: pulse.lists.unansweredNewcomers,
    empty: 'none.',
  };
  const REASONS: Record<string, string> = { large_share: 'carries a large share', rising_share: 'share rising fast', off_hours: 'mostly off-hours' };
  const atRisk: Dataset<PulseMetrics['lists']['helpersAtRisk'][number]> = {
    name: 'helpers-at-risk',
    caption: 'Helpers at burnout risk',
    columns: [
      { label: 'Member', cell: personLink, csv: (r) => r.name },
      { label: 'Share of help', cell: (r) => percent(r.share), csv: (r) => r.share },
      { label: 'Helps', cell: (r) => r.helps },
      { label: 'Why', cell: (r) => r.reasons.map((x) => REASONS[x]).join(', ') },
    ],
    rows: pulse.lists.helpersAtRisk,
    empty: 'none.',
  };
  const quietIds = await quietRegulars(ctx.core, ctx.community, ctx.now);
  // Their rows alone (a few of tens of thousands), the most recently quiet first.
  const quiet = (await ctx.core.repos.members.roster(ctx.community, [...quietIds])).filter(isExportable).sort((a, b) => (b.lastPostAt ?? 0) - (a.lastPostAt ?? 0) || compareIds(a.id, b.id));
  const wentQuiet: Dataset<MemberRosterRow> = {
    name: 'went-quiet',
    caption: 'Regulars who went quiet',
    columns: [
      { label: 'Member', cell: (m) => personLink({ member: m.id, name: m.name }), csv: (m) => m.name },
      { label: 'Last post', cell: (m) => (m.lastPostAt ? day(m.lastPostAt) : '–'), csv: (m) => (m.lastPostAt ? new Date(m.lastPostAt).toISOString() : '') },
    ],
    rows: quiet,
    empty: 'none.',
  };
  const body = html`${computedNote(recent, ctx.now)}
<h2>Members waiting for a human</h2><p class="note">Live: updated every few seconds.</p>${definition('waitingForHuman')}
<div id="waiting" aria-live="polite">${renderWaiting(waiting)}</div>
<h2>People to thank</h2>${definition('toThank')}${renderDataset(toThank)}
<h2>Newcomers nobody answered</h2>${definition('unansweredNewcomers')}${renderDataset(newcomers)}
<h2>Helpers at burnout risk</h2>${definition('helpersAtRisk')}${renderDataset(atRisk)}
<h2>Regulars who went quiet</h2>${definition('wentQuiet')}${renderDataset(wentQuiet)}`;
  return { title: 'People', body, datasets: [waiting.dataset, toThank, newcomers, atRisk, wentQuiet], live: true };
}

// --- Requests for a human ---------------------------------------------------------------

const AGES: Record<string, [number, number]> = { 'under-1h': [0, 3_600_000], '1h-1d': [3_600_000, DAY], '1d-7d': [DAY, 7 * DAY], 'over-7d': [7 * DAY, Infinity] };

export async function requestsPage(ctx: PageContext): Promise<Page> {
  const { repos } = ctx.core;
  const weeks = clampWeeks(ctx.query.weeks);
  const since = ctx.now - weeks * 7 * DAY;
  const readable = await repos.channels.readableBy(ctx.community, ctx.moderator.id);
  // Requests of the window, and every one still waiting whatever its age.
  const all = (await repos.escalations.list(ctx.community)).filter((e) => e.createdAt < ctx.now && (e.createdAt >= since || e.status === 'open' || e.status === 'claimed'));
  // Only the requesters are read, not the community's members.
  const requesters = await repos.members.counted(ctx.community, all.map((e) => e.requesterId));
  const classes = [...new Set(all.map((e) => e.stakesClass))].sort();
  const ways = [...new Set(all.map((e) => e.source))].sort();
  const states = [...new Set(all.map((e) => e.status))].sort();
  const f = { class: ctx.query.class ?? '', way: ctx.query.way ?? '', state: ctx.query.state ?? '', age: ctx.query.age ?? '' };
  const rows = all
    .filter((e) => (!f.class || e.stakesClass === f.class) && (!f.way || e.source === f.way) && (!f.state || e.status === f.state))
    .filter((e) => !AGES[f.age] || (ctx.now - e.createdAt >= AGES[f.age][0] && ctx.now - e.createdAt < AGES[f.age][1]))
    .sort((a, b) => b.createdAt - a.createdAt);
  const requester = (e: EscalationRow) => named(requesters, e.requesterId);
  const claimMs = (e: EscalationRow) => (e.claimedAt != null ? e.claimedAt - e.createdAt : null);
  const dataset: Dataset<EscalationRow> = {
    name: 'requests',
    caption: `Requests for a human (${rows.length})`,
    columns: [
      { label: '#', cell: (e) => e.id },
      { label: 'Member', cell: (e) => (requester(e) ? personLink({ member: e.requesterId, name: requester(e)!.name }) : html`<span class="note">not named (analytics off)</span>`), csv: (e) => requester(e)?.name ?? '' },
      { label: 'Stakes class', cell: (e) => (e.stakes === 'high' ? html`<span class="high">${e.stakesClass}</span>` : e.stakesClass), csv: (e) => e.stakesClass },
      { label: 'Way in', cell: (e) => e.source },
      { label: 'State', cell: (e) => e.status },
      { label: 'Opened', cell: (e) => when(e.createdAt), csv: (e) => new Date(e.createdAt).toISOString() },
      { label: 'Age', cell: (e) => duration(ctx.now - e.createdAt), csv: (e) => ctx.now - e.createdAt },
      { label: 'Time to claim', cell: (e) => duration(claimMs(e)), csv: claimMs },
      // The reason quotes the member: shown only from a channel the moderator can read.
      { label: 'Reason', cell: (e) => (readable.has(e.channelId) && requester(e) ? excerpt(e.latestReason ?? e.reason ?? '', 160) : ''), csv: (e) => (readable.has(e.channelId) && requester(e) ? (e.latestReason ?? e.reason ?? '') : '') },
      { label: 'Conversation', cell: (e) => conversationLink(ctx.community, e.channelId, e.messageId, readable), csv: (e) => (readable.has(e.channelId) ? conversationUrl(ctx.community, e.channelId, e.messageId) : '') },
    ],
    rows,
    empty: 'none match.',
  };
  const select = (name: string, label: string, values: string[], current: string) =>
    html`<label>${label}<select name="${name}"><option value="">any</option>${values.map((v) => html`<option value="${v}"${v === current ? new Html(' selected') : ''}>${v}</option>`)}</select></label>`;
  const query = new URLSearchParams(Object.entries({ ...f, weeks: String(weeks) }).filter(([, v]) => v)).toString();
  const body = html`<form class="filters" method="get" action="/requests">
${select('class', 'Stakes class', classes, f.class)}${select('way', 'Way in', ways, f.way)}${select('state', 'State', states, f.state)}
${select('age', 'Age', Object.keys(AGES), f.age)}
<label>Weeks <input type="number" name="weeks" min="2" max="52" value="${weeks}"></label><button type="submit">Filter</button></form>
<p class="note">Requests opened in the last ${weeks} weeks, and every one still open or claimed.</p>
<h2>Time to claim</h2>${definition('claim')}
${await durationHistogram('Time to claim, requests shown', rows.map(claimMs).filter((x): x is number => x !== null))}
${renderDataset(dataset, query)}`;
  return { title: 'Requests for a human', body, datasets: [dataset] };
}

// --- Same here --------------------------------------------------------------------------

export async function sameHerePage(ctx: PageContext): Promise<Page> {
  const { repos } = ctx.core;
  const weeks = clampWeeks(ctx.query.weeks);
  const since = ctx.now - weeks * 7 * DAY;
  const readable = await repos.channels.readableBy(ctx.community, ctx.moderator.id);
  const said = (await repos.sameHere.since(ctx.community, since)).filter((r) => r.at < ctx.now);
  // Only the members who said it are read (and each shown message's author), not the community's.
  const sayers = await repos.members.counted(ctx.community, said.map((r) => r.memberId));
  const rows = said.filter((r) => nameable(sayers, r.memberId));
  const byMessage = new Map<string, typeof rows>();
  for (const r of rows) byMessage.set(r.messageId, [...(byMessage.get(r.messageId) ?? []), r]);
  type Shared = { messageId: string; text: string; author: MemberRow; channelId: string; channelName: string; members: number; first: number; last: number };
  const shared: Shared[] = [];
  for (const [messageId, list] of [...byMessage].sort((a, b) => b[1].length - a[1].length)) {
    if (shared.length >= 25) break;
    const message = await repos.messages.get(ctx.community, messageId);
    const author = message && (await repos.members.get(ctx.community, message.authorId));
    if (!message || !isExportable(author) || !readable.has(message.channelId)) continue;
    const channel = await repos.channels.get(ctx.community, message.channelId);
    const times = list.map((r) => r.at);
    shared.push({ messageId, text: message.text ?? '', author, channelId: message.channelId, channelName: channel?.name ?? message.channelId, members: list.length, first: Math.min(...times), last: Math.max(...times) });
  }
  const messages: Dataset<Shared> = {
    name: 'same-here',
    caption: 'The messages most members share',
    columns: [
      { label: 'Message', cell: (s) => excerpt(s.text, 160), csv: (s) => s.text },
      { label: 'By', cell: (s) => personLink({ member: s.author.id, name: s.author.name }), csv: (s) => s.author.name },
      { label: 'Channel', cell: (s) => `#${s.channelName}` },
      { label: 'Same here', cell: (s) => s.members },
      { label: 'First / latest', cell: (s) => `${when(s.first)} / ${when(s.last)}`, csv: (s) => `${new Date(s.first).toISOString()} / ${new Date(s.last).toISOString()}` },
      { label: 'Conversation', cell: (s) => conversationLink(ctx.community, s.channelId, s.messageId, readable), csv: (s) => conversationUrl(ctx.community, s.channelId, s.messageId) },
    ],
    rows: shared,
    empty: 'nobody said “same here” in these weeks.',
  };
  const incidentRows = (await repos.escalations.list(ctx.community, { since })).filter((e) => e.source === 'incident' && e.createdAt < ctx.now).reverse();
  const incidents: Dataset<EscalationRow> = {
    name: 'incidents',
    caption: 'Same-here incidents',
    columns: [
      { label: '#', cell: (e) => e.id },
      { label: 'Opened', cell: (e) => when(e.createdAt), csv: (e) => new Date(e.createdAt).toISOString() },
      { label: 'Members affected', cell: (e) => e.sameHereCount },
      { label: 'Class', cell: (e) => e.stakesClass },
      { label: 'State', cell: (e) => e.status },
      { label: 'Conversation', cell: (e) => conversationLink(ctx.community, e.channelId, e.messageId, readable), csv: (e) => (readable.has(e.channelId) ? conversationUrl(ctx.community, e.channelId, e.messageId) : '') },
    ],
    rows: incidentRows,
    empty: 'none.',
  };
  const weekly = Array.from({ length: weeks }, (_, i) => {
    const end = ctx.now - (weeks - 1 - i) * 7 * DAY;
    return { label: day(end), value: rows.filter((r) => r.at >= end - 7 * DAY && r.at < end).length };
  });
  const body = html`<p class="note">The last ${weeks} weeks. ${definition('sameHere')}</p>
<h2>How “same here” grew</h2>${await lineChart('“Same here”s per week', weekly, 'count', (v) => String(v ?? 0))}
<h2>Messages most members share</h2>${renderDataset(messages, `weeks=${weeks}`)}
<h2>Incidents</h2>${definition('sameHereIncidents')}${renderDataset(incidents, `weeks=${weeks}`)}`;
  return { title: 'Same here', body, datasets: [messages, incidents] };
}

// --- Connections ------------------------------------------------------------------------

/**
 * Who helped whom (not themselves): each pair once, in the order of its first help, with its
 * helps. Ids and numbers only (a 12-week window has 100,000s of pairs): a pair becomes an
 * object only as a row shown or downloaded.
 */
interface HelpPairs {
  /** The members, as the helps' (a pair's `from` and `to` index them). */
  members: string[];
  from: Int32Array;
  to: Int32Array;
  count: Int32Array;
}

function helpPairs(helps: InternedHelps): HelpPairs {
  const total = helps.actor.length;
  const from = new Int32Array(total);
  const to = new Int32Array(total);
  const count = new Int32Array(total);
  let pairs = 0;
  // Each pair's index found by its helper and helped in an open-addressed table of at least
  // twice as many slots as helps (no map of 100,000s of entries rehashed as it grows).
  let bits = 4;
  while (1 << bits < total * 2) bits++;
  const mask = (1 << bits) - 1;
  const slots = new Int32Array(1 << bits).fill(-1);
  for (let i = 0; i < total; i++) {
    const actor = helps.actor[i];
    const subject = helps.subject[i];
    if (subject < 0 || subject === actor || helps.members[subject] === '') continue;
    let slot = (Math.imul(actor, 0x9e3779b1) ^ Math.imul(subject, 0x85ebca6b)) >>> (32 - bits);
    for (;;) {
      const pair = slots[slot];
      if (pair < 0) {
        slots[slot] = pairs;
        from[pairs] = actor;
        to[pairs] = subject;
        count[pairs++] = 1;
        break;
      }
      if (from[pair] === actor && to[pair] === subject) {
        count[pair]++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { members: helps.members, from: from.subarray(0, pairs), to: to.subarray(0, pairs), count: count.subarray(0, pairs) };
}

const pairEdge = (pairs: HelpPairs, pair: number): GraphEdge => ({ from: pairs.members[pairs.from[pair]], to: pairs.members[pairs.to[pair]], count: pairs.count[pair] });

/**
 * The pairs' CSV records in this order, as the helped-whom columns give them (helper's name,
 * helped's name, helps), in UTF-8: each member's name made a CSV field once, not once per
 * pair, and the records' bytes copied straight into the answer (no string per record).
 */
function pairsCsv(pairs: HelpPairs, order: Int32Array, name: (id: string) => string): Buffer {
  // Every member's field, one a line (two never run together: each encoded as on its own):
  // member m's bytes are fields[start[m]] up to fields[end[m]].
  const names = pairs.members.map((id) => csvField(name(id)));
  const fields = Buffer.from(names.join('\n'));
  const start = new Int32Array(names.length);
  const end = new Int32Array(names.length);
  for (let m = 0, at = 0; m < names.length; at = end[m++] + 1) {
    start[m] = at;
    end[m] = at + Buffer.byteLength(names[m]);
  }
  const digits = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : String(n).length);
  let size = 0;
  for (let i = 0; i < order.length; i++) {
    const pair = order[i];
    const from = pairs.from[pair];
    const to = pairs.to[pair];
    size += end[from] - start[from] + end[to] - start[to] + digits(pairs.count[pair]) + 3;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < order.length; i++) {
    const pair = order[i];
    for (let b = start[pairs.from[pair]], last = end[pairs.from[pair]]; b < last; b++) out[at++] = fields[b];
    out[at++] = 0x2c; // ,
    for (let b = start[pairs.to[pair]], last = end[pairs.to[pair]]; b < last; b++) out[at++] = fields[b];
    out[at++] = 0x2c;
    // The count's decimal digits (csvField of a number: its String).
    let count = pairs.count[pair]; // at least 1
    at += digits(count);
    for (let d = at - 1; count > 0; d--, count = (count / 10) | 0) out[d] = 0x30 + (count % 10);
    out[at++] = 0x0a; // \n
  }
  if (at !== size) throw new Error(`helped-whom CSV: ${at} bytes written of ${size}`);
  return out;
}

/** The `n` members in most helps (given or received), then by id; only the candidates are sorted by the collation. */
function mostConnected(pairs: HelpPairs, n: number): number[] {
  const degree = new Float64Array(pairs.members.length);
  for (let pair = 0; pair < pairs.count.length; pair++) {
    degree[pairs.from[pair]] += pairs.count[pair];
    degree[pairs.to[pair]] += pairs.count[pair];
  }
  // Members in no pair have none (a pair has at least one help).
  const degrees = degree.filter((d) => d > 0);
  if (degrees.length === 0) return [];
  // The n-th largest degree: nobody below it is among the first n.
  const cut = degrees.sort()[Math.max(0, degrees.length - n)];
  const candidates: Array<[number, number]> = [];
  for (let member = 0; member < degree.length; member++) if (degree[member] > 0 && degree[member] >= cut) candidates.push([member, degree[member]]);
  return candidates
    .sort((a, b) => b[1] - a[1] || compareIds(pairs.members[a[0]], pairs.members[b[0]]))
    .slice(0, n)
    .map(([member]) => member);
}

/** The pairs by their helps, most first; equal counts keep their order (a stable counting sort). */
function mostHelpsFirst(pairs: HelpPairs): Int32Array {
  let most = 0;
  for (const count of pairs.count) most = Math.max(most, count);
  const next = new Int32Array(most + 1);
  for (const count of pairs.count) next[count]++;
  // Where each count's pairs start: the larger counts first.
  let at = 0;
  for (let count = most; count > 0; count--) {
    const pairsWithCount = next[count];
    next[count] = at;
    at += pairsWithCount;
  }
  const order = new Int32Array(pairs.count.length);
  for (let pair = 0; pair < pairs.count.length; pair++) order[next[pairs.count[pair]]++] = pair;
  return order;
}

export async function connectionsPage(ctx: PageContext): Promise<Page> {
  const { repos } = ctx.core;
  const weeks = clampWeeks(ctx.query.weeks);
  const since = ctx.now - weeks * 7 * DAY;
  // Who counts and may be named, with their names: narrow rows, not the members' whole ones.
  const members = await repos.members.counted(ctx.community);
  // Asked once per member of the helps (internHelps), and for each mentorship signal.
  const counted = (id: string) => nameable(members, id);
  const signals = async (kind: SignalKind) => countedSignals(await repos.signals.list(ctx.community, { kind, since, until: ctx.now + 1 }), counted);
  // Who and when of every help (the chain needs each one), as columns (no object per help);
  // who helped whom counted from them. The mentorship table alone (its CSV) needs none of them.
  const allHelps = internHelps(wanted(ctx, 'helped-whom') ? await repos.signals.compactColumns(ctx.community, 'helped', since, ctx.now + 1) : { actorId: [], subjectId: [], at: [] }, counted);
  const pairs = helpPairs(allHelps);
  const order = mostHelpsFirst(pairs); // ties: the earlier first help first
  const name = (id: string) => members.get(id)?.name ?? id;
  const helpedWhom: Dataset<GraphEdge> = {
    name: 'helped-whom',
    caption: 'Who helped whom, most helps first',
    columns: [
      { label: 'Helper', cell: (e) => personLink({ member: e.from, name: name(e.from) }), csv: (e) => name(e.from) },
      { label: 'Helped', cell: (e) => personLink({ member: e.to, name: name(e.to) }), csv: (e) => name(e.to) },
      { label: 'Helps', cell: (e) => e.count },
    ],
    // The page's rows; the CSV has every pair.
    rows: Array.from(order.subarray(0, 100), (pair) => pairEdge(pairs, pair)),
    empty: 'no help recorded.',
    shown: 100,
    total: order.length,
    csvRecords: () => pairsCsv(pairs, order, name),
  };
  const mentorship = (wanted(ctx, 'mentorship') ? await signals('mentorship') : []).filter((s) => typeof s.data?.passedTo !== 'string' || counted(String(s.data.passedTo)));
  const chains: Dataset<(typeof mentorship)[number]> = {
    name: 'mentorship',
    caption: 'Mentorship: helped, then helped someone else',
    columns: [
      { label: 'Mentor', cell: (s) => personLink({ member: s.actorId, name: name(s.actorId) }), csv: (s) => name(s.actorId) },
      { label: 'Mentee', cell: (s) => personLink({ member: s.subjectId!, name: name(s.subjectId!) }), csv: (s) => name(s.subjectId!) },
      { label: 'Passed it on to', cell: (s) => (typeof s.data?.passedTo === 'string' ? personLink({ member: s.data.passedTo, name: name(s.data.passedTo) }) : ''), csv: (s) => (typeof s.data?.passedTo === 'string' ? name(s.data.passedTo) : '') },
      { label: 'When', cell: (s) => day(s.at) },
    ],
    rows: mentorship.filter((s) => s.subjectId),
    empty: 'none yet.',
  };
  if (ctx.dataset !== undefined) return { title: 'Connections', body: html``, datasets: [helpedWhom, chains] };
  const chain = longestChainOf(allHelps);
  const top = mostConnected(pairs, 16);
  const inTop = new Uint8Array(pairs.members.length);
  for (const member of top) inTop[member] = 1;
  const between: GraphEdge[] = [];
  for (const pair of order) if (inTop[pairs.from[pair]] && inTop[pairs.to[pair]]) between.push(pairEdge(pairs, pair));
  const body = html`<p class="note">The last ${weeks} weeks. Longest mentorship chain: ${chain || '–'} members. ${definition('mentorship')}</p>
${helpGraph(top.map((member) => pairs.members[member]).map((id) => ({ id, name: name(id) })), between)}
<h2>Who helped whom</h2>${renderDataset(helpedWhom, `weeks=${weeks}`)}
<h2>Mentorship</h2>${renderDataset(chains, `weeks=${weeks}`)}`;
  return { title: 'Connections', body, datasets: [helpedWhom, chains] };
}

// --- Member -----------------------------------------------------------------------------

const MEMBER_KINDS: Array<{ kind: SignalKind; label: string; role: 'actor' | 'subject' }> = [
  { kind: 'helped', label: 'Helps given', role: 'actor' },
  { kind: 'helped', label: 'Helps received', role: 'subject' },
  { kind: 'thanked', label: 'Thanks received', role: 'subject' },
  { kind: 'welcome_given', label: 'Welcomes given', role: 'actor' },
  { kind: 'same_here', label: '“Same here”s received', role: 'subject' },
];

/** One member's page, or undefined when there is nobody to show (unknown, opted out, forgotten, a bot). */
export async function memberPage(ctx: PageContext, memberId: string): Promise<Page | undefined> {
  const { repos } = ctx.core;
  const member = await repos.members.get(ctx.community, memberId);
  if (!isExportable(member)) return undefined;
  // The member's signals are read once, for their record and for the weeks below.
  const own = repos.signals.forMember(ctx.community, member.id);
  const signalsOnce = Object.create(repos.signals, { forMember: { value: (community: string, id: string) => (community === ctx.community && id === member.id ? own : repos.signals.forMember(community, id)) } });
  // Their record only for the page (its CSV is the weeks alone).
  const [health] = ctx.dataset === undefined ? await memberHealth(Object.create(ctx.core, { repos: { value: Object.create(repos, { signals: { value: signalsOnce } }) } }), ctx.community, { now: ctx.now, member: member.id }) : [];
  const mine = await own;
  // Who counts of those they met: the page's record read the whole community's (read once a
  // request: membersReadOnce), the CSV reads only theirs.
  const others = await repos.members.counted(ctx.community, ctx.dataset === undefined ? undefined : mine.flatMap((s) => (s.subjectId === null ? [s.actorId] : [s.actorId, s.subjectId])));
  const signals = countedSignals(mine, (id) => others.has(id)).filter((s) => s.at < ctx.now);
  const weeks = clampWeeks(ctx.query.weeks);
  type Week = { weekEnding: string; counts: number[] };
  const series: Week[] = Array.from({ length: weeks }, (_, i) => {
    const end = ctx.now - (weeks - 1 - i) * 7 * DAY;
    return {
      weekEnding: day(end),
      counts: MEMBER_KINDS.map((k) => signals.filter((s) => s.kind === k.kind && s.at >= end - 7 * DAY && s.at < end && (k.role === 'actor' ? s.actorId : s.subjectId) === member.id).length),
    };
  });
  const overTime: Dataset<Week> = {
    name: 'member-signals',
    caption: `${member.name}’s signals per week`,
    columns: [{ label: 'Week ending', cell: (w) => w.weekEnding }, ...MEMBER_KINDS.map((k, i) => ({ label: k.label, cell: (w: Week) => w.counts[i] }))],
    rows: series,
  };
  const facts: Array<[string, unknown]> = health
    ? [
        ['Joined', health.joinedAt?.slice(0, 10) ?? '–'],
        ['Last active', health.lastActiveAt.slice(0, 10)],
        ['Welcomed within 24h', health.welcomed === null ? '–' : health.welcomed ? 'yes' : 'no'],
        ['Helps given / received', `${health.helpsGiven} / ${health.helpsReceived}`],
        ['Thanks given / received', `${health.thanksGiven} / ${health.thanksReceived}`],
        ['Welcomes given', health.welcomesGiven],
        ['Requests for a human (open)', `${health.humanRequests} (${health.humanRequestsOpen})`],
        ['Helper load share this week', percent(health.helperLoadShare)],
        ['Burnout risk', health.burnoutRisk ? health.burnoutReasons.join(', ') : 'no'],
        ['Went quiet', health.wentQuiet ? 'yes' : 'no'],
      ]
    : [];
  const body = html`<dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
<h2>Helps given per week</h2>${await lineChart('Helps given', series.map((w) => ({ label: w.weekEnding, value: w.counts[0] })), 'count', (v) => String(v ?? 0))}
${renderDataset(overTime, `member=${encodeURIComponent(member.id)}&weeks=${weeks}`)}`;
  return { title: member.name, body, datasets: [overTime] };
}

// --- Care policy ------------------------------------------------------------------------

export async function carePolicyPage(ctx: PageContext): Promise<Page> {
  const text = await renderCarePolicy(ctx.core, ctx.community, commands);
  // The same text as /care-policy, with its markdown subset shown as such.
  const escaped = html`${text}`.value
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;])/g, '$1<em>$2</em>');
  return { title: 'Care policy', body: html`<p class="note">The live policy, exactly what <code>/care-policy</code> shows members.</p><div class="policy">${new Html(escaped)}</div>`, datasets: [] };
}

export const PAGES: Record<string, (ctx: PageContext) => Promise<Page>> = {
  '/overview': overviewPage,
  '/people': peoplePage,
  '/requests': requestsPage,
  '/same-here': sameHerePage,
  '/connections': connectionsPage,
  '/care-policy': carePolicyPage,
};
