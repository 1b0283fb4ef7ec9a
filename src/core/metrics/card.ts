/**
 * The pulse card: the metrics as a compact text for moderators (`/pulse`, the weekly
 * digest). Pure: metrics in, text out. Members appear as `<@ID>` and are never listed in
 * `mentionUsers`, so the card pings nobody.
 */
import { formatDuration } from '../text/format';
import type { PulseMetrics } from './index';

const percent = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const duration = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));
const who = (m: { member: string }) => `<@${m.member}>`;
const REASONS: Record<string, string> = {
  large_share: 'carries a large share',
  rising_share: 'share rising fast',
  off_hours: 'mostly off-hours',
};

export function renderPulseCard(m: PulseMetrics, title = 'Community pulse'): string {
  const f = m.firstResponse;
  const w = m.welcome;
  const h = m.helping;
  const e = m.escalations;
  const r = m.resolution;
  const lines = [
    `**${title}** — last ${formatDuration(m.window.days * 86_400_000)} (to ${m.window.until.slice(0, 16).replace('T', ' ')} UTC)`,
    `• First human response: median ${duration(f.p50Ms)}, p90 ${duration(f.p90Ms)} · unanswered ${percent(f.unansweredShare)} of ${f.questions} question${f.questions === 1 ? '' : 's'}`,
    `• Newcomers: ${w.newcomers} · welcomed by a human within 24h ${percent(w.ratio)} (median ${duration(w.timeToFirstWelcomeP50Ms)}) · came back ${percent(m.newcomerReturn.rate)}`,
    `• Help: ${h.helps} answer${h.helps === 1 ? '' : 's'} by ${h.helpers} member${h.helpers === 1 ? '' : 's'} · top helper ${percent(h.topHelperShare)} · absence factor ${h.absenceFactor}` +
      ` · returning helpers ${m.returningHelpers.count}`,
    `• Connection: ${m.thanks.count} thanks · ${m.mentorship.links} mentorship link${m.mentorship.links === 1 ? '' : 's'} (longest chain ${m.mentorship.longestChain || '–'})` +
      ` · repair after conflict ${percent(m.repair.share)} of ${m.repair.conflicts}` +
      ` · ${m.reframes.count} debate${m.reframes.count === 1 ? '' : 's'} reframed${m.reframes.who.length ? ` (by ${m.reframes.who.slice(0, 3).map(who).join(', ')})` : ''}` +
      ` · help across languages ${m.translations.count}${m.translations.translators ? ` by ${m.translations.translators} translator${m.translations.translators === 1 ? '' : 's'}` : ''}`,
    `• Threads: ${percent(r.memberShare)} of ${r.questions} question${r.questions === 1 ? '' : 's'} resolved by a member` +
      ` (${r.resolvedByStaff} by staff, ${r.selfResolved} by the asker alone) · median time to resolve ${duration(r.medianTimeToResolveMs)}` +
      ` · reopened ${r.reopened} · unresolved over a week ${r.unresolvedOverAWeek}`,
    `• Requests for a human: ${e.opened} · claimed in median ${duration(e.claimP50Ms)}, p90 ${duration(e.claimP90Ms)} · unclaimed now ${e.unclaimedNow}`,
  ];
  const list = (heading: string, items: string[], empty: string) =>
    lines.push(`**${heading}:** ${items.length ? items.join(', ') : empty}`);
  const thankFor = (t: PulseMetrics['lists']['toThank'][number]) =>
    [t.helps ? `${t.helps} answer${t.helps === 1 ? '' : 's'}` : '', t.reframes ? `${t.reframes} reframe${t.reframes === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  list('People to thank', m.lists.toThank.slice(0, 5).map((t) => `${who(t)} (${thankFor(t)})`), 'nobody left unthanked');
  list(
    'Waiting for a human',
    [
      ...m.lists.waitingForHuman.slice(0, 5).map((x) => `${who(x)} #${x.escalationId} (${formatDuration(x.waitingMs)}${x.stakes === 'high' ? ', high stakes' : ''})`),
      ...(m.lists.waitingNotNamed ? [`${m.lists.waitingNotNamed} ${m.lists.waitingNotNamed === 1 ? 'request from a member' : 'requests from members'} not named (analytics off)`] : []),
    ],
    'nobody',
  );
  list('Newcomers nobody answered', m.lists.unansweredNewcomers.slice(0, 5).map((x) => `${who(x)} (${formatDuration(x.waitingMs)})`), 'none');
  list(
    'Helpers at risk',
    m.lists.helpersAtRisk.slice(0, 5).map((x) => `${who(x)} (${percent(x.share)} of help; ${x.reasons.map((r) => REASONS[r]).join(', ')})`),
    'none',
  );
  return lines.join('\n');
}
