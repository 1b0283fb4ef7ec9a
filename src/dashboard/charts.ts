/**
 * Charts as SVG rendered on the server with Vega-Lite (the digest's chart library: no canvas,
 * no browser script), each with a text alternative and its numbers in a table beside it.
 * Vega loads on first use: loaded before discord.js it breaks it (see core/metrics/digest.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { esc, html, Html, table } from './html';

export interface Point {
  label: string;
  value: number | null;
}

type Format = 'percent' | 'duration' | 'count';

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const HOURS = 3_600_000;
/** Durations are drawn in hours; percentages as shares with a % axis. */
const plotted = (value: number | null, format: Format) => (value === null ? null : format === 'duration' ? Math.round((value / HOURS) * 100) / 100 : value);

/** A weekly line chart, with `shown` formatting each value for the text alternative and table. */
export async function lineChart(title: string, points: Point[], format: Format, shown: (v: number | null) => string): Promise<Html> {
  const values = points.map((p) => ({ week: p.label, value: plotted(p.value, format) })).filter((v) => v.value !== null);
  const svg = values.length
    ? await toSvg({
        width: 'container' as unknown as number,
        height: 90,
        autosize: { type: 'fit-x', contains: 'padding' },
        config: { view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11, labelColor: '#333', titleColor: '#333' } },
        data: { values },
        mark: { type: 'line', point: true, color: '#0b57a4' },
        encoding: {
          x: { field: 'week', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0, labelOverlap: true } },
          y: {
            field: 'value',
            type: 'quantitative',
            title: format === 'duration' ? 'hours' : null,
            axis: { format: format === 'percent' ? '%' : undefined, tickCount: 3 },
            ...(format === 'percent' ? { scale: { domain: [0, 1] } } : {}),
          },
        },
      } as TopLevelSpec)
    : '';
  const known = points.filter((p) => p.value !== null);
  const summary = known.length
    ? `${title}, week by week: ${shown(known[0].value)} in the week ending ${known[0].label}, ${shown(known.at(-1)!.value)} in the week ending ${known.at(-1)!.label}.`
    : `${title}: no data in these weeks.`;
  return html`<figure class="chart">
  <div role="img" aria-label="${summary}">${new Html(svg.replace(/<svg /, '<svg aria-hidden="true" focusable="false" width="100%" '))}</div>
  <figcaption class="note">${summary}</figcaption>
  <details class="data"><summary>Table</summary>${table(`${title} per week`, [
    { label: 'Week ending', cell: (p: Point) => p.label },
    { label: title, cell: (p: Point) => shown(p.value) },
  ], points)}</details>
</figure>`;
}

/** A histogram of durations (time to claim), in hour bins. */
export async function durationHistogram(title: string, durationsMs: number[]): Promise<Html> {
  if (durationsMs.length === 0) return html`<p class="empty">${title}: no claimed requests.</p>`;
  const bins = [
    { label: 'under 15 min', max: 0.25 },
    { label: '15–60 min', max: 1 },
    { label: '1–4 h', max: 4 },
    { label: '4–24 h', max: 24 },
    { label: 'over a day', max: Infinity },
  ];
  const counts = bins.map((b) => ({ ...b, count: 0 }));
  for (const ms of durationsMs) counts.find((b) => ms / HOURS < b.max)!.count++;
  const svg = await toSvg({
    width: 'container' as unknown as number,
    height: 140,
    autosize: { type: 'fit-x', contains: 'padding' },
    config: { view: { stroke: null } },
    data: { values: counts.map((c) => ({ bin: c.label, count: c.count })) },
    mark: { type: 'bar', color: '#0b57a4' },
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: null, title: 'time to claim', axis: { labelAngle: 0 } },
      y: { field: 'count', type: 'quantitative', title: 'requests', axis: { tickMinStep: 1 } },
    },
  } as TopLevelSpec);
  const summary = `${title}: ${counts.map((c) => `${c.count} ${c.label}`).join(', ')}.`;
  return html`<figure class="chart"><div role="img" aria-label="${summary}">${new Html(svg.replace(/<svg /, '<svg aria-hidden="true" focusable="false" width="100%" '))}</div>
<figcaption class="note">${summary}</figcaption></figure>`;
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
  const svg = `<svg viewBox="0 0 ${size} ${size}" width="100%" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6b8c"/></marker></defs>${lines.join('')}${labels.join('')}</svg>`;
  const summary = `Who helped whom among the ${nodes.length} most connected members: ${edges.length} helper-to-member pairs (listed in the table below).`;
  return html`<figure class="chart graph"><div role="img" aria-label="${summary}">${new Html(svg)}</div><figcaption class="note">${summary}</figcaption></figure>`;
}
