/**
 * HTML building blocks for the dashboard's pages: every member-chosen text goes through
 * `esc`, and pages are plain server-rendered HTML (usable without JavaScript; the only
 * script keeps the waiting list live).
 */
import { FIGURE_DEFINITIONS, type FigureKey } from '../core/metrics/definitions';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** Trusted markup: only what this module and the chart renderer build. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}
/** Tagged template: interpolations are escaped unless they are Html (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}
function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return esc(value);
}

export const NAV = [
  ['/overview', 'Overview'],
  ['/people', 'People'],
  ['/requests', 'Requests for a human'],
  ['/same-here', 'Same here'],
  ['/connections', 'Connections'],
  ['/care-policy', 'Care policy'],
] as const;

export interface PageFrame {
  title: string;
  path: string;
  communityName: string;
  memberName: string;
  csrf: string;
}

export function layout(frame: PageFrame, body: Html, options: { script?: boolean } = {}): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${frame.communityName} · Hearth</title>
<link rel="stylesheet" href="/assets/style.css">
${options.script ? new Html('<script src="/assets/live.js" defer></script>') : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
  <p class="brand">Hearth · <span>${frame.communityName}</span></p>
  <nav aria-label="Dashboard pages"><ul>${NAV.map(
    ([href, label]) => html`<li><a href="${href}"${frame.path === href ? new Html(' aria-current="page"') : ''}>${label}</a></li>`,
  )}</ul></nav>
  <form method="post" action="/signout" class="signout">
    <input type="hidden" name="csrf" value="${frame.csrf}">
    <span>${frame.memberName}</span> <button type="submit">Sign out</button>
  </form>
</header>
<main id="main">
<h1>${frame.title}</h1>
${body}
</main>
<footer><form method="post" action="/signout-everywhere"><input type="hidden" name="csrf" value="${frame.csrf}"><button type="submit" class="link">Sign out everywhere</button> (every moderator’s session in this community)</form></footer>
</body>
</html>`}`;
}

/** A page shown without a session (sign-in, refusals). */
export function bare(title: string, body: Html): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Hearth</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><main id="main" class="bare"><h1>${title}</h1>${body}</main></body></html>`}`;
}

/** A figure's definition, one click (or hover) away, the same text for every page. */
export function definition(key: FigureKey): Html {
  const text = FIGURE_DEFINITIONS[key];
  return html`<details class="def"><summary title="${text}">What is this?</summary><p>${text}</p></details>`;
}

export interface Column<T> {
  label: string;
  cell: (row: T) => unknown;
  /** The CSV value, when the cell shows more than a value (a link). */
  csv?: (row: T) => unknown;
}

export function table<T>(caption: string, columns: Column<T>[], rows: T[], empty = 'Nobody.'): Html {
  if (rows.length === 0) return html`<p class="empty">${caption}: ${empty}</p>`;
  return html`<div class="scroll" tabindex="0" role="region" aria-label="${caption}"><table><caption>${caption}</caption><thead><tr>${columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map((c) => html`<td>${c.cell(r)}</td>`)}</tr>`)}</tbody></table></div>`;
}

export function csvLink(name: string, query = ''): Html {
  return html`<a class="csv" href="/csv/${name}${query ? `?${query}` : ''}" download>Download CSV</a>`;
}
