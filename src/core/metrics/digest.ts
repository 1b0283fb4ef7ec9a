/**
 * The weekly digest: the pulse card plus a small PNG chart of weekly trends. Rendering is a
 * pure function of the metrics (vega-lite -> SVG -> PNG with resvg, no native canvas);
 * posting and scheduling live in the signals feature and src/jobs/digest.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { OutgoingMessage } from '../platform';
import { renderPulseCard } from './card';
import type { PulseMetrics, PulseWithoutResolution } from './index';

export interface TrendPoint {
  weekEnding: string;
  metrics: PulseWithoutResolution;
}

/** The series drawn, as shares (0..1) so one axis fits all. */
const SERIES: Array<{ label: string; value: (m: PulseWithoutResolution) => number | null }> = [
  { label: 'questions answered', value: (m) => (m.firstResponse.unansweredShare === null ? null : 1 - m.firstResponse.unansweredShare) },
  { label: 'newcomers welcomed in 24h', value: (m) => m.welcome.ratio },
  { label: 'newcomers who came back', value: (m) => m.newcomerReturn.rate },
  { label: 'top helper share', value: (m) => m.helping.topHelperShare },
];

export function trendSpec(points: TrendPoint[]): TopLevelSpec {
  const values = points.flatMap((p) =>
    SERIES.map((s) => ({ week: p.weekEnding.slice(5), series: s.label, value: s.value(p.metrics) })).filter((v) => v.value !== null),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Community pulse, weekly',
    width: 480,
    height: 180,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'week', type: 'ordinal', sort: null, title: 'week ending (month-day)', axis: { labelAngle: 0 } }, // data order: weeks may cross a new year
      y: { field: 'value', type: 'quantitative', title: null, axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 260 } },
    },
  };
}

/**
 * Render the weekly trend chart as PNG bytes. The chart libraries load on first use, not at
 * start-up: loaded before discord.js, vega-lite makes discord.js fail to load at all
 * (tests/reliability/load-order.test.ts), and a weekly chart need not slow every start.
 */
export async function renderTrendChart(points: TrendPoint[]): Promise<Buffer> {
  const [vega, { compile }, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  const view = new vega.View(vega.parse(compile(trendSpec(points)).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true }, background: 'white' }).render().asPng());
  } finally {
    view.finalize();
  }
}

/** The digest message (computeTrend's figures): the card for the latest week and the trend chart as an attachment. */
export async function renderDigest(trend: { points: TrendPoint[]; latest: PulseMetrics }): Promise<OutgoingMessage> {
  const last = trend.points.at(-1);
  if (!last) throw new Error('renderDigest needs at least one week of metrics');
  const chart = await renderTrendChart(trend.points);
  return {
    text: renderPulseCard(trend.latest, 'Weekly community pulse'),
    attachments: [{ name: `pulse-${last.weekEnding}.png`, contentType: 'image/png', data: chart }],
  };
}
