/**
 * The dashboard's web server (fastify): sign-in by a `/dashboard` link, one community per
 * session, the pages of ./pages.ts, CSV downloads and the live waiting list. An adapter of
 * the core like the platforms: it reads through the core and holds no business rules.
 *
 * Security: the session cookie is HttpOnly, SameSite=Lax (a link from chat must carry it to
 * the page it redirects to) and Secure behind HTTPS; every POST carries the session's CSRF
 * token, and a POST from another origin is refused; responses are never cached, never
 * framed, and send no Referer to other sites (a sign-in URL must not leak); the moderator
 * role is checked again on every request.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { csrfMatches, csrfTokenFor, currentSession, checkSignInToken, openSignInLink, SESSION_LIFETIME, signOutEverywhere, type LinkRefusal } from '../core/dashboard/access';
import type { Clock } from '../core/clock';
import { BackgroundWork } from '../core/metrics/background';
import { KEPT_COMMUNITIES, RecentPulses } from '../core/metrics/recent';
import { WeeklyPulses } from '../core/metrics/weeks';
import type { CoreContext } from '../core/context';
import type { CountedMember, DashboardSessionRow, MemberRow } from '../core/storage';
import { csvRecord } from '../cli/csv';
import type { Logger } from '../log';
import { LIVE_SCRIPT, STYLE } from './assets';
import { bare, html, layout } from './html';
import { memberPage, PAGES, renderWaiting, waitingDataset, type Dataset, type Page, type PageContext } from './pages';

export interface DashboardOptions {
  /** A core context over the store (the dashboard's own companion: see ./index.ts). */
  core: CoreContext;
  clock: Clock;
  log: Logger;
  /** HEARTH_PUBLIC_URL: https there makes the cookie Secure. */
  publicUrl?: string;
  /** Asks the platform whether a member is still a moderator (undefined: it cannot tell; the stored role decides). */
  stillModerator?: (community: string, memberId: string) => Promise<boolean | undefined>;
  /** How often the live waiting list is recomputed (ms). */
  livePollMs?: number;
  /** Past weeks' pulses (default: this server's own, kept for its life). */
  weeks?: WeeklyPulses;
  /** The last 7 days' pulse per community (default: this server's own). */
  recent?: RecentPulses;
}

interface Signed {
  session: DashboardSessionRow;
  member: MemberRow;
  token: string;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin: the sign-in URL never reaches another site, and the browser still sends
  // this site's Origin on its own forms (with no-referrer Chromium sends "null").
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

const LINK_REFUSALS: Record<LinkRefusal, string> = {
  unknown: 'This sign-in link is not valid. Run /dashboard in your community for a new one.',
  used: 'This sign-in link was already used: each link opens once. Run /dashboard for a new one.',
  expired: 'This sign-in link has expired: links open for a few minutes only. Run /dashboard for a new one.',
  not_moderator: 'This link belongs to someone who is no longer a moderator of the community.',
};

export function createDashboardServer(options: DashboardOptions): FastifyInstance {
  const { core, clock } = options;
  const secure = options.publicUrl?.toLowerCase().startsWith('https://') ?? false;
  // __Host-: the browser keeps it to this exact origin, path / and HTTPS.
  const COOKIE = secure ? '__Host-hearth_session' : 'hearth_session';
  const deps = { repos: core.repos, clock };
  // What views leave to the background (past weeks, the 7 days once a minute old) is done
  // one piece at a time, in one queue.
  const background = new BackgroundWork();
  // Past weeks' pulses, kept for this server's life (bounded; see core/metrics/weeks.ts).
  const weeks = options.weeks ?? new WeeklyPulses(undefined, background);
  // The 7 days to now, computed at most once a minute per community (core/metrics/recent.ts).
  const recent = options.recent ?? new RecentPulses(clock, background);
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  // Work still queued for the background is dropped; what is being computed is let finish
  // (the store stays open until it has).
  app.addHook('onClose', async () => {
    await Promise.all([weeks.close(), recent.close()]);
  });
  // A restart while moderators are signed in: they look again soon, so their communities'
  // last 7 days are computed first, in the background (a failure is left to their view).
  app.addHook('onReady', async () => {
    try {
      for (const community of (await core.repos.dashboardAccess.signedInCommunities(clock.now())).slice(0, KEPT_COMMUNITIES)) recent.warm(core, community);
    } catch (error) {
      options.log.warn({ err: error }, 'dashboard: could not list the signed-in communities');
    }
  });
  void app.register(cookie);
  void app.register(formbody);
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });
  app.setErrorHandler((error, request, reply) => {
    options.log.error({ err: error, url: request.url }, 'dashboard error');
    const status = (error as { statusCode?: number }).statusCode;
    void reply
      .code(status && status < 500 ? status : 500)
      .type('text/html')
      .send(bare('Something went wrong', html`<p>The page could not be shown. Try again; if it persists, the operator’s logs say why.</p>`));
  });
  // Forms come from the dashboard's own pages: a POST whose Origin is another site is refused
  // before anything else (the CSRF token is the main defence; this also covers the sign-in form).
  // Host names only: a port differs behind a proxy, and a browser's "site" has no port either.
  const hostname = (value: string | undefined, base = 'http://') => {
    try {
      return value ? new URL(value.includes('://') ? value : `${base}${value}`).hostname : undefined;
    } catch {
      return undefined;
    }
  };
  const ownHosts = new Set([hostname(options.publicUrl)].filter(Boolean));
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.headers.origin === undefined) return;
    const from = hostname(request.headers.origin);
    if (from && (from === hostname(request.headers.host) || ownHosts.has(from))) return;
    return reply.code(403).type('text/html').send(bare('Request refused', html`<p>This form was not sent from the dashboard.</p>`));
  });

  const clearCookie = (reply: FastifyReply) => reply.clearCookie(COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  const signInHelp = html`<p>Run <code>/dashboard</code> in your community (moderators only) for a sign-in link.</p>`;

  /** The signed-in moderator, or a refusal already sent. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<Signed | undefined> {
    const token = request.cookies[COOKIE];
    const result = await currentSession(deps, token, options.stillModerator);
    if (result.ok) return { session: result.session, member: result.member, token: token! };
    if (token) clearCookie(reply);
    if (result.reason === 'not_moderator') {
      void reply.code(403).type('text/html').send(bare('No longer a moderator', html`<p>Your session has ended: you are no longer a moderator of this community.</p>`));
    } else {
      void reply.code(401).type('text/html').send(bare('Sign in to the Hearth dashboard', signInHelp));
    }
    return undefined;
  }

  const pageContext = (signed: Signed, request: FastifyRequest): PageContext => {
    const now = clock.now();
    return {
      core: membersReadOnce(core),
      community: signed.session.communityId,
      moderator: signed.member,
      now,
      weeks,
      // The store itself, not this request's members read once: the figures may be computed
      // again in the background, after the request.
      recentPulse: (notCounted) => recent.get(core, signed.session.communityId, now, notCounted),
      query: Object.fromEntries(Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
    };
  };

  async function frame(signed: Signed, path: string, page: Page): Promise<string> {
    const community = await core.repos.communities.get(signed.session.communityId);
    return layout({ title: page.title, path, communityName: community?.name ?? signed.session.communityId, memberName: signed.member.name, csrf: csrfTokenFor(signed.token) }, page.body, { script: page.live });
  }

  /** POST forms: a session and its CSRF token, or a refusal. */
  async function withCsrf(request: FastifyRequest, reply: FastifyReply): Promise<Signed | undefined> {
    const signed = await signedIn(request, reply);
    if (!signed) return undefined;
    if (!csrfMatches(signed.token, (request.body as Record<string, unknown> | undefined)?.csrf)) {
      void reply.code(403).type('text/html').send(bare('Request refused', html`<p>This form was not sent from your dashboard page (its security token is missing or wrong). Go back and try again.</p>`));
      return undefined;
    }
    return signed;
  }

  app.get('/assets/style.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLE));
  app.get('/assets/live.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LIVE_SCRIPT));

  app.get('/', async (request, reply) => {
    if (!(await signedIn(request, reply))) return reply;
    return reply.redirect('/overview', 303);
  });

  // Opening a link only asks to continue: chat apps fetch links to preview them, and that
  // fetch must not use up the link. The POST below (from this page) does.
  app.get<{ Params: { token: string } }>('/signin/:token', async (request, reply) => {
    const checked = await checkSignInToken(deps, request.params.token);
    if (!checked.ok) return reply.code(checked.reason === 'unknown' ? 404 : 410).type('text/html').send(bare('Sign-in link refused', html`<p>${LINK_REFUSALS[checked.reason]}</p>`));
    // A moderator is about to look: the overview's figures are computed while they click.
    recent.warm(core, checked.communityId);
    return reply.type('text/html').send(
      bare('Sign in to the Hearth dashboard', html`<form method="post" action="/signin"><input type="hidden" name="token" value="${request.params.token}"><p>This link signs you in once, on this browser.</p><button type="submit">Open the dashboard</button></form>`),
    );
  });

  app.post('/signin', async (request, reply) => {
    const token = (request.body as Record<string, unknown> | undefined)?.token;
    const result = await openSignInLink(deps, typeof token === 'string' ? token : undefined);
    if (!result.ok) return reply.code(result.reason === 'unknown' ? 404 : result.reason === 'not_moderator' ? 403 : 410).type('text/html').send(bare('Sign-in link refused', html`<p>${LINK_REFUSALS[result.reason]}</p>`));
    // A session cookie already here (another community, say) is replaced, and ended.
    const previous = request.cookies[COOKIE];
    if (previous) {
      const old = await currentSession(deps, previous);
      if (old.ok) await core.repos.dashboardAccess.endSession(old.session.idHash);
    }
    reply.setCookie(COOKIE, result.sessionToken, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_LIFETIME / 1000 });
    return reply.redirect('/overview', 303);
  });

  app.post('/signout', async (request, reply) => {
    const signed = await withCsrf(request, reply);
    if (!signed) return reply;
    await core.repos.dashboardAccess.endSession(signed.session.idHash);
    clearCookie(reply);
    return reply.type('text/html').send(bare('Signed out', signInHelp));
  });

  app.post('/signout-everywhere', async (request, reply) => {
    const signed = await withCsrf(request, reply);
    if (!signed) return reply;
    const ended = await signOutEverywhere(deps, signed.session.communityId);
    clearCookie(reply);
    return reply.type('text/html').send(bare('Signed out everywhere', html`<p>${ended} dashboard ${ended === 1 ? 'session' : 'sessions'} of this community ended, and unused sign-in links no longer open.</p>${signInHelp}`));
  });

  for (const [path, render] of Object.entries(PAGES)) {
    app.get(path, async (request, reply) => {
      const signed = await signedIn(request, reply);
      if (!signed) return reply;
      const page = await render(pageContext(signed, request));
      return reply.type('text/html; charset=utf-8').send(await frame(signed, path, page));
    });
  }

  app.get<{ Params: { id: string } }>('/members/:id', async (request, reply) => {
    const signed = await signedIn(request, reply);
    if (!signed) return reply;
    // Unknown here, another community's, opted out or forgotten: the same answer for all.
    const page = await memberPage(pageContext(signed, request), request.params.id);
    if (!page) return reply.code(404).type('text/html').send(bare('No such member', html`<p>There is nobody to show here.</p><p><a href="/people">Back to People</a></p>`));
    return reply.type('text/html; charset=utf-8').send(await frame(signed, '/members', page));
  });

  /** Every table is a CSV of the same rows: the page is computed and the table picked. */
  const CSV_SOURCES: Record<string, (ctx: PageContext) => Promise<Page | undefined>> = {
    overview: PAGES['/overview'],
    waiting: PAGES['/people'],
    'to-thank': PAGES['/people'],
    'unanswered-newcomers': PAGES['/people'],
    'helpers-at-risk': PAGES['/people'],
    'went-quiet': PAGES['/people'],
    requests: PAGES['/requests'],
    'same-here': PAGES['/same-here'],
    incidents: PAGES['/same-here'],
    'helped-whom': PAGES['/connections'],
    mentorship: PAGES['/connections'],
    'member-signals': (ctx) => memberPage(ctx, ctx.query.member ?? ''),
  };
  app.get<{ Params: { name: string } }>('/csv/:name', async (request, reply) => {
    const signed = await signedIn(request, reply);
    if (!signed) return reply;
    const source = CSV_SOURCES[request.params.name];
    const dataset = source && (await source({ ...pageContext(signed, request), dataset: request.params.name }))?.datasets.find((d) => d.name === request.params.name);
    if (!dataset) return reply.code(404).type('text/html').send(bare('No such table', html`<p><a href="/overview">Back to the dashboard</a></p>`));
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="hearth-${dataset.name}-${day}.csv"`)
      .send(toCsv(dataset));
  });

  // The waiting list, live: recomputed every few seconds (the store may be written by
  // another process: `hearth dashboard` beside the bot) and sent when it changed.
  app.get('/people/live', async (request, reply) => {
    const signed = await signedIn(request, reply);
    if (!signed) return reply;
    reply.hijack();
    reply.raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    let last = '';
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const still = await currentSession(deps, signed.token, options.stillModerator);
        if (!still.ok) {
          reply.raw.end('event: end\ndata: {}\n\n');
          return stop();
        }
        const markup = renderWaiting(await waitingDataset(pageContext({ ...signed, member: still.member }, request))).value;
        if (markup !== last) {
          last = markup;
          reply.raw.write(`event: waiting\ndata: ${JSON.stringify({ html: markup })}\n\n`);
        } else {
          reply.raw.write(': still here\n\n');
        }
      } catch (error) {
        options.log.warn({ err: error }, 'dashboard live update failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), options.livePollMs ?? 5000);
    const stop = () => clearInterval(timer);
    request.raw.on('close', stop);
    await tick();
  });

  return app;
}

function toCsv(dataset: Dataset): string | Buffer {
  const header = csvRecord(dataset.columns.map((c) => c.label));
  if (dataset.csvRecords) return Buffer.concat([Buffer.from(`${header}\n`), dataset.csvRecords()]);
  const lines = [header];
  for (const row of dataset.rows) lines.push(csvRecord(dataset.columns.map((c) => (c.csv ? c.csv(row) : c.cell(row)))));
  return `${lines.join('\n')}\n`;
}

/**
 * The core as one request sees it: the community's members (and who of them counts) read
 * once, however many of the page's figures ask for them (a page asks two or three times;
 * each whole read is ~100 ms in a community of 25,000 members; who counts, less).
 * Everything else, and the next request, reads the store.
 */
export function membersReadOnce(core: CoreContext): CoreContext {
  const once = <T>(read: (community: string) => Promise<T>) => {
    const done = new Map<string, Promise<T>>();
    return (community: string): Promise<T> => {
      let rows = done.get(community);
      if (!rows) done.set(community, (rows = read(community)));
      return rows;
    };
  };
  const list = once<MemberRow[]>((community) => core.repos.members.list(community));
  // Who counts, of the whole community (some ids: read each time, a few rows).
  const everyCounted = once<Map<string, CountedMember>>((community) => core.repos.members.counted(community));
  const counted = (community: string, ids?: readonly string[]) => (ids === undefined ? everyCounted(community) : core.repos.members.counted(community, ids));
  const members = Object.create(core.repos.members, { list: { value: list }, counted: { value: counted } });
  return Object.create(core, { repos: { value: Object.create(core.repos, { members: { value: members } }) } });
}
