/**
 * Charts as SVG drawn on the server, each with a text alternative and its numbers in a
 * table beside it. Drawn here rather than with Vega-Lite (the digest's library): on these
 * machines Vega-Lite takes about 70 ms per chart (compile, parse, render), so the overview's
 * nine charts alone would take the page far past its 300 ms budget; these take well under
 * a millisecond each, and the same data always gives the same picture.
 */
import { esc, html, Html, table } from './html';

export interface Point {
  label: string;
  value: number | null;
}

type Format = 'percent' | 'duration' | 'count';

const HOURS = 3_600_000;
const W = 320;
const H = 130;
const M = { left: 44, right: 10, top: 10, bottom: 24 };

/** Axis ticks: 0, a round middle and a round top for the largest value. */
function ticks(max: number, format: Format): number[] {
  if (format === 'percent') return [0, 0.5, 1];
  if (max <= 0) return [0, 1];
  const step = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 2.5, 5, 10].map((f) => f * step).find((v) => v >= max) ?? max;
  if (format === 'count' && top < 2) return [0, 1, 2];
  // Counts are whole: no 2.5 line between 0 and 5.
  return format === 'count' && !Number.isInteger(top / 2) ? [0, top] : [0, top / 2, top];
}
const tickLabel = (v: number, format: Format) => (format === 'percent' ? `${Math.round(v * 100)}%` : format === 'duration' ? `${+v.toFixed(2)}h` : `${+v.toFixed(1)}`);

function lineSvg(points: Point[], format: Format, shown: (v: number | null) => string): string {
  const values = points.map((p) => (p.value === null ? null : format === 'duration' ? p.value / HOURS : p.value));
  const yTicks = ticks(Math.max(0, ...values.filter((v): v is number => v !== null)), format);
  const top = yTicks.at(-1)!;
  const x = (i: number) => M.left + (points.length === 1 ? 0.5 : i / (points.length - 1)) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - Math.min(v, top) / top) * (H - M.top - M.bottom);
  const grid = yTicks
    .map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/><text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#333">${tickLabel(t, format)}</text>`)
    .join('');
  // A line through known weeks; a week with nothing to measure breaks it.
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const lines = segments.map((s) => `<polyline points="${s}" fill="none" stroke="#0b57a4" stroke-width="2"/>`).join('');
  const dots = values
    .map((v, i) => (v === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="#0b57a4"><title>${esc(points[i].label)}: ${esc(shown(points[i].value))}</title></circle>`))
    .join('');
  const labelAt = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const xLabels = labelAt
    .map((i) => `<text x="${x(i).toFixed(1)}" y="${H - 6}" text-anchor="${i === 0 && points.length > 1 ? 'start' : i === points.length - 1 && points.length > 1 ? 'end' : 'middle'}" font-size="11" fill="#333">${esc(points[i].label.slice(5))}</text>`)
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">${grid}${lines}${dots}${xLabels}</svg>`;
}

/** A weekly line chart, with `shown` formatting each value for the text alternative and table. */
export async function lineChart(title: string, points: Point[], format: Format, shown: (v: number | null) => string): Promise<Html> {
  const known = points.filter((p) => p.value !== null);
  const summary = known.length
    ? `${title}, week by week: ${shown(known[0].value)} in the week ending ${known[0].label}, ${shown(known.at(-1)!.value)} in the week ending ${known.at(-1)!.label}.`
    : `${title}: no data in these weeks.`;
  return html`<figure class="chart">
  ${known.length ? html`<div role="img" aria-label="${summary}">${new Html(lineSvg(points, format, shown))}</div>` : ''}
  <figcaption class="note">${summary}</figcaption>
  <details class="data"><summary>Table</summary>${table(`${title} per week`, [
    { label: 'Week ending', cell: (p: Point) => p.label },
    { label: title, cell: (p: Point) => shown(p.value) },
  ], points)}</details>
</figure>`;
}

/** A histogram of durations (time to claim) in a few readable bins. */
export async function durationHistogram(title: string, durationsMs: number[]): Promise<Html> {
  if (durationsMs.length === 0) return html`<p class="empty">${title}: no claimed requests.</p>`;
  const bins = [
    { label: 'under 15 min', max: 0.25 },
    { label: '15–60 min', max: 1 },
    { label: '1–4 h', max: 4 },
    { label: '4–24 h', max: 24 },
    { label: 'over a day', max: Infinity },
  ].map((b) => ({ ...b, count: 0 }));
  for (const ms of durationsMs) bins.find((b) => ms / HOURS < b.max)!.count++;
  const max = Math.max(...bins.map((b) => b.count));
  const width = 420;
  const height = 150;
  const slot = (width - 20) / bins.length;
  const bars = bins
    .map((b, i) => {
      const h = (b.count / max) * (height - 50);
      const x = 10 + i * slot;
      return `<rect x="${(x + 8).toFixed(1)}" y="${(height - 30 - h).toFixed(1)}" width="${(slot - 16).toFixed(1)}" height="${h.toFixed(1)}" fill="#0b57a4"><title>${b.label}: ${b.count}</title></rect><text x="${(x + slot / 2).toFixed(1)}" y="${(height - 34 - h).toFixed(1)}" text-anchor="middle" font-size="12" fill="#1b1b1f">${b.count}</text><text x="${(x + slot / 2).toFixed(1)}" y="${height - 12}" text-anchor="middle" font-size="11" fill="#333">${b.label}</text>`;
    })
    .join('');
  const svg = `<svg viewBox="0 0 ${width} ${height}" width="100%" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">${bars}</svg>`;
  const summary = `${title}: ${bins.map((c) => `${c.count} ${c.label}`).join(', ')}.`;
  return html`<figure class="chart"><div role="img" aria-label="${summary}">${new Html(svg)}</div><figcaption class="note">${summary}</figcaption></figure>`;
}

export interface GraphNode {
  id: string;
  name: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  count: number;
}

/**
 * Who helped whom among the most connected members: members on a circle, an arrow per
 * helper -> helped pair, thicker for more helps. Drawn directly (a circle needs no layout
 * engine, and the same data always gives the same picture).
 */
export function helpGraph(nodes: GraphNode[], edges: GraphEdge[]): Html {
  if (nodes.length === 0) return html`<p class="empty">No help between members in these weeks.</p>`;
  const size = 520;
  const centre = size / 2;
  const radius = size / 2 - 90;
  const at = new Map(nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
    return [n.id, { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle), angle }];
  }));
  const max = Math.max(...edges.map((e) => e.count), 1);
  const lines = edges
    .filter((e) => at.has(e.from) && at.has(e.to))
    .map((e) => {
      const a = at.get(e.from)!;
      const b = at.get(e.to)!;
      // Stop short of the target's dot so the arrow head shows.
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      const end = { x: b.x - (dx / len) * 12, y: b.y - (dy / len) * 12 };
      return `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${end.x.toFixed(1)}" y2="${end.y.toFixed(1)}" stroke="#5b6b8c" stroke-opacity="0.7" stroke-width="${(1 + (3 * e.count) / max).toFixed(1)}" marker-end="url(#arrow)"/>`;
    });
  const labels = nodes.map((n) => {
    const p = at.get(n.id)!;
    const right = Math.cos(p.angle) >= 0;
    const lx = p.x + (right ? 10 : -10);
    return `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="7" fill="#0b57a4"/><text x="${lx.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" font-size="13" font-family="sans-serif" fill="#1b1b1f" text-anchor="${right ? 'start' : 'end'}">${esc(n.name.slice(0, 24))}</text>`;
  });
  const svg = `<svg viewBox="0 0 ${size} ${size}" width="100%" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6b8c"/></marker></defs>${lines.join('')}${labels.join('')}</svg>`;
  const summary = `Who helped whom among the ${nodes.length} most connected members: ${edges.length} helper-to-member pairs (listed in the table below).`;
  return html`<figure class="chart graph"><div role="img" aria-label="${summary}">${new Html(svg)}</div><figcaption class="note">${summary}</figcaption></figure>`;
}
