/**
 * The dashboard's only assets, served by Hearth itself (no CDN): a stylesheet (system
 * fonts, contrast above WCAG AA, readable on a phone) and the small script that keeps the
 * waiting list live through server-sent events.
 */
export const STYLE = `
:root { --ink:#1b1b1f; --muted:#4a4a55; --line:#d0d0d8; --bg:#fafafa; --card:#fff; --accent:#0b57a4; --warn:#8a3b00; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); }
a:focus, button:focus, summary:focus, select:focus, input:focus { outline:3px solid #f0b400; outline-offset:2px; }
.skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:4px 8px; z-index:2; }
header { display:flex; flex-wrap:wrap; align-items:center; gap:8px 24px; padding:8px 16px; background:#fff; border-bottom:1px solid var(--line); }
.brand { margin:0; font-weight:700; } .brand span { font-weight:400; }
nav ul { display:flex; flex-wrap:wrap; gap:4px 16px; list-style:none; margin:0; padding:0; }
nav a[aria-current=page] { font-weight:700; text-decoration-thickness:3px; }
.signout { margin-left:auto; } .signout span { color:var(--muted); }
button { font:inherit; padding:4px 12px; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:4px; cursor:pointer; }
button.link { background:none; border:none; color:var(--accent); text-decoration:underline; padding:0; }
main { padding:16px; max-width:1200px; margin:0 auto; } main.bare { max-width:640px; }
h1 { font-size:1.6rem; margin:0.2em 0 0.6em; } h2 { font-size:1.25rem; margin:1.4em 0 0.4em; }
.cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(300px, 1fr)); gap:16px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.card h2 { font-size:1rem; margin:0; color:var(--muted); } .value { font-size:1.8rem; font-weight:700; margin:4px 0; }
.value small { font-size:1rem; font-weight:400; color:var(--muted); }
figure.chart { margin:8px 0; } .chart svg { width:100%; height:auto; max-width:560px; display:block; }
.graph svg { max-width:560px; display:block; margin:0 auto; }
dl.facts { display:grid; grid-template-columns:repeat(auto-fill, minmax(220px, 1fr)); gap:8px 16px; } dl.facts div { background:#fff; border:1px solid var(--line); border-radius:6px; padding:8px; }
dl.facts dt { color:var(--muted); font-size:0.9rem; } dl.facts dd { margin:0; font-weight:600; }
details.def summary, details.data summary { cursor:pointer; color:var(--accent); font-size:0.9rem; }
details.def p { margin:4px 0; font-size:0.9rem; color:var(--muted); }
.scroll { overflow-x:auto; } table { border-collapse:collapse; width:100%; background:#fff; margin:8px 0; }
caption { text-align:left; font-weight:600; padding:4px 0; } th, td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
.empty { color:var(--muted); } .note { color:var(--muted); font-size:0.9rem; } .high { color:var(--warn); font-weight:600; }
.csv { display:inline-block; margin:4px 0 12px; font-size:0.9rem; }
form.filters { display:flex; flex-wrap:wrap; gap:8px 16px; align-items:end; } form.filters label { display:flex; flex-direction:column; font-size:0.9rem; }
select, input[type=number] { font:inherit; padding:4px; }
.policy { white-space:pre-wrap; background:#fff; border:1px solid var(--line); padding:16px; border-radius:8px; }
footer { padding:16px; text-align:center; color:var(--muted); font-size:0.9rem; }
@media (max-width:600px) { .signout { margin-left:0; } .value { font-size:1.5rem; } }
`;

/** Replaces the waiting list whenever the server sends a new one (server-sent events). */
export const LIVE_SCRIPT = `
(function () {
  var region = document.getElementById('waiting');
  if (!region || !window.EventSource) return;
  var source = new EventSource('/people/live');
  source.addEventListener('waiting', function (event) { region.innerHTML = JSON.parse(event.data).html; });
  // The session ended (signed out, or no longer a moderator): stop, and say so.
  source.addEventListener('end', function () {
    source.close();
    region.innerHTML = '<p class="note">Your session has ended. <a href="/">Sign in again</a> with a new link from /dashboard.</p>';
  });
})();
`;
