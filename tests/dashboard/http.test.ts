/**
 * The dashboard over HTTP (fastify inject): sign-in links, sessions, CSRF, one community per
 * session, role loss, and what the pages may show. The browser tests (browser.test.ts) cover
 * the same flows through a real Chromium.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DAY, MINUTE } from '../../src/core/clock';
import { commands } from '../../commands';
import { parseCommandText } from '../../commands/parse';
import { csrfTokenFor } from '../../src/core/dashboard/access';
import { computePulse } from '../../src/core/metrics';
import { RecentPulses } from '../../src/core/metrics/recent';
import { WeeklyPulses } from '../../src/core/metrics/weeks';
import { waitingDataset } from '../../src/dashboard/pages';
import { createDashboardServer } from '../../src/dashboard/server';
import { csvRecord } from '../../src/cli/csv';
import { silentLogger } from '../../src/log';
import { harness, sqliteOf } from '../helpers/harness';
import { DASHBOARD_URL, dashboardCommunity, signInLink } from './fixture';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type T = Awaited<ReturnType<typeof dashboardCommunity>>;
const serve = (t: T, publicUrl?: string) => (app = createDashboardServer({ core: t.core, clock: t.clock, log: silentLogger, publicUrl }));
const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);
const cookieOf = (response: { headers: Record<string, unknown> }) => String(response.headers['set-cookie']).split(';')[0];
const form = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });

async function signIn(t: T, member = 'mod') {
  const link = await signInLink(t, member);
  const response = await app!.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(link) }) });
  expect(response.statusCode).toBe(303);
  return cookieOf(response);
}

describe('sign-in', () => {
  it('a moderator’s link opens a session once; the cookie is HttpOnly and SameSite', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const link = await signInLink(t);
    expect(link).toMatch(/^http:\/\/dashboard\.test\/signin\/[A-Za-z0-9_-]{43}$/);
    // Opening the link (or a chat app previewing it) only asks to continue.
    const preview = await app!.inject({ url: `/signin/${tokenOf(link)}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Open the dashboard');
    const first = await app!.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(link) }) });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/overview');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^hearth_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    expect(first.headers['referrer-policy']).toBe('same-origin');
    const page = await app!.inject({ url: '/overview', headers: { cookie: cookieOf(first) } });
    expect(page.statusCode).toBe(200);
    // Reused: refused, on the page and on the form.
    expect((await app!.inject({ url: `/signin/${tokenOf(link)}` })).statusCode).toBe(410);
    const again = await app!.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(link) }) });
    expect(again.statusCode).toBe(410);
    expect(again.headers['set-cookie']).toBeUndefined();
    // The database holds no token, only hashes.
    const rows = sqliteOf(t.database).sqlite.prepare('select token_hash from dashboard_links').all() as Array<{ token_hash: string }>;
    expect(rows.map((r) => r.token_hash)).not.toContain(tokenOf(link));
  });

  it('behind HTTPS the cookie is Secure and __Host- prefixed', async () => {
    const t = await dashboardCommunity();
    serve(t, 'https://hearth.example.org');
    const response = await app!.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(await signInLink(t)) }) });
    expect(String(response.headers['set-cookie'])).toMatch(/^__Host-hearth_session=.*; Secure/);
  });

  it('an expired, forged or unknown link is refused, and so is /dashboard for members', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const link = await signInLink(t);
    t.clock.advance(5 * MINUTE);
    expect((await app!.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(link) }) })).statusCode).toBe(410);
    expect((await app!.inject({ method: 'POST', url: '/signin', ...form({ token: 'A'.repeat(43) }) })).statusCode).toBe(404);
    expect((await app!.inject({ method: 'POST', url: '/signin', ...form({ token: '../../etc' }) })).statusCode).toBe(404);
    expect((await t.command('nina', 'dashboard')).text).toBe('`/dashboard` is for moderators.');
  });

  it('without a session, or with a forged cookie, nothing is shown', async () => {
    const t = await dashboardCommunity();
    serve(t);
    for (const url of ['/', '/overview', '/people', '/requests', '/same-here', '/connections', '/care-policy', '/members/sam', '/csv/to-thank', '/people/live']) {
      const none = await app!.inject({ url });
      expect(none.statusCode, url).toBe(401);
      expect(none.body).not.toContain('sam');
      const forged = await app!.inject({ url, headers: { cookie: `hearth_session=${'x'.repeat(43)}` } });
      expect(forged.statusCode, url).toBe(401);
    }
  });
});

describe('sessions', () => {
  it('every form needs the session’s CSRF token', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    for (const url of ['/signout', '/signout-everywhere']) {
      const missing = await app!.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      expect(missing.statusCode).toBe(403);
      const wrong = await app!.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${csrfTokenFor('B'.repeat(43))}` });
      expect(wrong.statusCode).toBe(403);
    }
    expect((await app!.inject({ url: '/overview', headers: { cookie } })).statusCode).toBe(200);
    const token = cookie.split('=')[1];
    const out = await app!.inject({ method: 'POST', url: '/signout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${csrfTokenFor(token)}` });
    expect(out.statusCode).toBe(200);
    expect((await app!.inject({ url: '/overview', headers: { cookie } })).statusCode).toBe(401);
  });

  it('a form posted from another site is refused, sign-in included', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    const token = cookie.split('=')[1];
    const evil = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' };
    expect((await app!.inject({ method: 'POST', url: '/signout-everywhere', headers: { ...evil, cookie }, payload: `csrf=${csrfTokenFor(token)}` })).statusCode).toBe(403);
    expect((await app!.inject({ method: 'POST', url: '/signin', headers: evil, payload: `token=${tokenOf(await signInLink(t))}` })).statusCode).toBe(403);
    expect((await app!.inject({ url: '/overview', headers: { cookie } })).statusCode).toBe(200);
    const own = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80', host: 'localhost:80' };
    expect((await app!.inject({ method: 'POST', url: '/signin', headers: own, payload: `token=${tokenOf(await signInLink(t))}` })).statusCode).toBe(303);
  });

  it('losing the moderator role ends the session on the next request', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    expect((await app!.inject({ url: '/people', headers: { cookie } })).statusCode).toBe(200);
    t.moderators.delete('mod');
    await t.say('mod', 'stepping back from moderating'); // the platform reports the member without the role
    const refused = await app!.inject({ url: '/people', headers: { cookie } });
    expect(refused.statusCode).toBe(403);
    t.moderators.add('mod');
    await t.say('mod', 'back again');
    // The session stays ended: a new link is needed.
    expect((await app!.inject({ url: '/people', headers: { cookie } })).statusCode).toBe(401);
  });

  it('a link given before the role was lost does not open', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const link = await signInLink(t);
    t.moderators.delete('mod');
    await t.say('mod', 'no longer a moderator');
    expect((await app!.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(link) }) })).statusCode).toBe(403);
  });

  it('sessions end after their lifetime', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    t.clock.advance(12 * 60 * MINUTE);
    expect((await app!.inject({ url: '/overview', headers: { cookie } })).statusCode).toBe(401);
  });

  it('/dashboard sign-out-everywhere ends every session of the community and no other', async () => {
    const t = await dashboardCommunity();
    const other = harness({ community: 'shell:other', platformName: 'shell', database: t.database, clock: t.clock });
    other.core.dashboardUrl = t.core.dashboardUrl;
    serve(t);
    const first = await signIn(t);
    const second = await signIn(t);
    const elsewhere = await signIn(other as unknown as T);
    const reply = await t.command('mod', 'dashboard', { action: 'sign-out-everywhere' });
    expect(reply.text).toMatch(/2 dashboard sessions ended/);
    for (const cookie of [first, second]) expect((await app!.inject({ url: '/overview', headers: { cookie } })).statusCode).toBe(401);
    expect((await app!.inject({ url: '/overview', headers: { cookie: elsewhere } })).statusCode).toBe(200);
  });
});

describe('/dashboard as typed', () => {
  it('Slack and the shell read `/dashboard sign-out-everywhere` as the action', async () => {
    const definition = commands.find((c) => c.name === 'dashboard')!;
    expect(parseCommandText(definition, 'sign-out-everywhere')).toEqual({ action: 'sign-out-everywhere' });
    expect(parseCommandText(definition, '')).toEqual({});
    const t = await dashboardCommunity();
    expect((await t.command('mod', 'dashboard', { action: 'sign-out-now' })).text).toMatch(/^Use `\/dashboard` for a sign-in link/);
    t.core.dashboardUrl = undefined;
    expect((await t.command('mod', 'dashboard')).text).toMatch(/^The dashboard is off here/);
  });
});

describe('one community per session', () => {
  it('another community’s member page by id is not found, and its data never shows', async () => {
    const t = await dashboardCommunity();
    const other = harness({ community: 'shell:other', platformName: 'shell', database: t.database, clock: t.clock });
    other.core.dashboardUrl = t.core.dashboardUrl;
    await other.join('zed');
    await other.say('zed', 'How do I reach the other side?');
    serve(t);
    const cookie = await signIn(t);
    expect((await app!.inject({ url: '/members/zed', headers: { cookie } })).statusCode).toBe(404);
    expect((await app!.inject({ url: '/members/sam', headers: { cookie } })).statusCode).toBe(200);
    for (const url of ['/overview', '/people', '/requests', '/same-here', '/connections']) {
      expect((await app!.inject({ url, headers: { cookie } })).body, url).not.toContain('zed');
    }
  });
});

describe('pages', () => {
  it('members with analytics off and forgotten members appear nowhere; private words stay private', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    const pages = ['/overview', '/people', '/requests', '/same-here', '/connections', '/care-policy'];
    const csvs = ['overview', 'waiting', 'to-thank', 'unanswered-newcomers', 'helpers-at-risk', 'went-quiet', 'requests', 'same-here', 'incidents', 'helped-whom', 'mentorship'];
    for (const url of [...pages, ...csvs.map((c) => `/csv/${c}`)]) {
      const body = (await app!.inject({ url, headers: { cookie } })).body;
      expect(body, url).not.toMatch(/olga|fay\b/);
      expect(body, url).not.toMatch(/secret plans|private matter/);
    }
    for (const id of ['olga', 'fay']) expect((await app!.inject({ url: `/members/${id}`, headers: { cookie } })).statusCode).toBe(404);
    const requests = (await app!.inject({ url: '/requests', headers: { cookie } })).body;
    expect(requests).toContain('not named (analytics off)');
    expect(requests).toContain('my account was charged twice');
    expect(requests).toContain('Time to claim, requests shown: 0 under 15 min, 1 15–60 min, 0 1–4 h');
  });

  it('the overview shows the /pulse figures for the same window', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    const pulse = (await t.command('mod', 'pulse')).text;
    const overview = (await app!.inject({ url: '/overview', headers: { cookie } })).body;
    const figure = (key: string) => overview.match(new RegExp(`data-figure="${key}"[\\s\\S]*?<p class="value">([^<]*)</p>`))?.[1];
    const card = pulse.match(/First human response: median ([^,]+), p90 ([^·]+?) · unanswered (\S+) of (\d+) questions?/)!;
    expect(figure('firstResponseP50')).toBe(card[1]);
    expect(figure('firstResponseP90')).toBe(card[2]);
    expect(overview).toContain(`${card[3]} of ${card[4]} questions`);
    expect(figure('welcomeRatio')).toBe(pulse.match(/welcomed by a human within 24h (\S+)/)![1]);
    expect(figure('newcomerReturn')).toBe(pulse.match(/came back (\S+)/)![1]);
    expect(figure('helperLoad')).toBe(pulse.match(/top helper (\S+)/)![1]);
    expect(figure('claimP50')).toBe(pulse.match(/claimed in median ([^,]+),/)![1]);
  });

  it('the overview never waits for past weeks: those not computed yet are blank, computed in the background, shown on the next view', async () => {
    const t = await dashboardCommunity();
    const weeks = new WeeklyPulses();
    app = createDashboardServer({ core: t.core, clock: t.clock, log: silentLogger, weeks });
    const cookie = await signIn(t);
    const first = (await app.inject({ url: '/overview?weeks=4', headers: { cookie } })).body;
    expect(first).toContain('3 earlier weeks are still being computed');
    expect(first.match(/<td>being computed<\/td>/g)?.length).toBe(3 * 14);
    await weeks.idle();
    const next = (await app.inject({ url: '/overview?weeks=4', headers: { cookie } })).body;
    expect(next).not.toContain('being computed');
    const csv = (await app.inject({ url: '/csv/overview?weeks=4', headers: { cookie } })).body.trim().split('\n');
    const expected = await new WeeklyPulses().closedWeeks(t.core, t.community, t.clock.now(), 3);
    expect(csv.slice(1, 4).map((line) => line.split(',')[0])).toEqual(expected.map((w) => w.weekEnding));
    expect(csv.slice(1, 4).map((line) => line.split(',')[1])).toEqual(expected.map((w) => String(w.metrics.welcome.ratio ?? '')));
    expect(csv.slice(1, 4).flatMap((line) => line.split(',').slice(1)).filter((cell) => cell !== '').length).toBeGreaterThan(10);
  });

  it('an overview view reads who does not count once, for the 7 days and the past weeks alike', async () => {
    const t = await dashboardCommunity();
    const recent = new RecentPulses(t.clock);
    app = createDashboardServer({ core: t.core, clock: t.clock, log: silentLogger, recent });
    const cookie = await signIn(t);
    await recent.idle();
    const leftOut = vi.spyOn(t.repos.members, 'leftOut');
    expect((await app.inject({ url: '/overview', headers: { cookie } })).statusCode).toBe(200);
    expect(leftOut).toHaveBeenCalledTimes(1);
  });

  it('the last 7 days are computed while the moderator opens the link, kept a minute, then shown while computed again after the view', async () => {
    const t = await dashboardCommunity();
    const recent = new RecentPulses(t.clock);
    app = createDashboardServer({ core: t.core, clock: t.clock, log: silentLogger, recent });
    const link = await signInLink(t);
    const computed = vi.spyOn(t.repos.messages, 'shapesInWindow');
    // The page that asks to continue starts the computation (a moderator is about to look).
    expect((await app.inject({ url: new URL(link).pathname })).statusCode).toBe(200);
    await recent.idle();
    expect(computed).toHaveBeenCalled();
    const cookie = cookieOf(await app.inject({ method: 'POST', url: '/signin', ...form({ token: tokenOf(link) }) }));
    computed.mockClear();
    const questions = (body: string) => body.match(/of (\d+) questions<\/p>/)?.[1];
    const first = (await app.inject({ url: '/overview', headers: { cookie } })).body;
    expect(first).toContain('computed just now');
    expect(computed).not.toHaveBeenCalled(); // the warmed figures, not computed again
    // A new question half a minute later: the kept figures, and the page says how old they are.
    t.clock.advance(30_000);
    await t.say('ana', 'How do I change the language of the emails?');
    const soon = (await app.inject({ url: '/overview', headers: { cookie } })).body;
    expect(soon).toContain('computed 30 seconds ago');
    expect(questions(soon)).toBe(questions(first));
    expect((await app.inject({ url: '/people', headers: { cookie } })).body).toContain('computed 30 seconds ago');
    await recent.idle();
    expect(computed).not.toHaveBeenCalled();
    // Past a minute: shown once more as kept, computed again after the view, then shown.
    expect(soon).not.toContain('Newer figures are being computed');
    t.clock.advance(MINUTE);
    const stale = (await app.inject({ url: '/overview', headers: { cookie } })).body;
    expect(questions(stale)).toBe(questions(first));
    expect(stale).toContain('computed 2 minutes ago');
    expect(stale).toContain('Newer figures are being computed: reload in a moment.');
    await recent.idle();
    expect(computed).toHaveBeenCalled();
    const next = (await app.inject({ url: '/overview', headers: { cookie } })).body;
    expect(Number(questions(next))).toBe(Number(questions(first)) + 1);
    expect(next).toContain('computed just now');
    // An opt-out shows on the next view, however young the kept figures.
    expect((await app.inject({ url: '/people', headers: { cookie } })).body).toContain('/members/sam');
    await t.command('sam', 'privacy', { analytics: 'off' });
    const people = (await app.inject({ url: '/people', headers: { cookie } })).body;
    expect(people).not.toContain('/members/sam');
  });

  it('a restart computes the last 7 days of the communities with a moderator still signed in, before they look again', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    await app!.close();
    const recent = new RecentPulses(t.clock);
    app = createDashboardServer({ core: t.core, clock: t.clock, log: silentLogger, recent });
    const shapes = vi.spyOn(t.repos.messages, 'shapesInWindow');
    // The last 7 days' reads (past weeks end on a Monday, not now).
    const lastSevenDays = () => shapes.mock.calls.filter(([, , until]) => until === t.clock.now() + 1).length;
    await app.ready();
    await recent.idle();
    expect(lastSevenDays()).toBe(1);
    const overview = (await app.inject({ url: '/overview', headers: { cookie } })).body;
    expect(overview).toContain('computed just now');
    expect(lastSevenDays()).toBe(1);
  });

  it('a page reads the community’s members once at most, however many figures name them (the others only whom they name); the next view reads them again', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    // Whole rows (`list`), the figures' columns (`roster`) or who of everyone counts
    // (`counted` without ids): each at most once a view, and only on the pages that read
    // every member's figures (the pulse reads who counts); the others read whom they name.
    const whole = vi.spyOn(t.repos.members, 'counted');
    const reads = [vi.spyOn(t.repos.members, 'list'), vi.spyOn(t.repos.members, 'roster')];
    const everyoneCounted = () => whole.mock.calls.filter(([, ids]) => ids === undefined).length;
    for (const url of ['/overview', '/people', '/members/sam', '/requests', '/same-here', '/connections', '/csv/helped-whom']) {
      [...reads, whole].forEach((spy) => spy.mockClear());
      expect((await app!.inject({ url, headers: { cookie } })).statusCode).toBe(200);
      for (const spy of reads) expect(spy.mock.calls.length, url).toBeLessThanOrEqual(1);
      expect(everyoneCounted(), url).toBeLessThanOrEqual(1);
      const total = reads.reduce((n, spy) => n + spy.mock.calls.length, 0) + everyoneCounted();
      if (['/overview', '/people', '/members/sam', '/connections', '/csv/helped-whom'].includes(url)) expect(total, url).toBeGreaterThanOrEqual(1);
      else expect(total, url).toBe(0);
    }
    // Who counts: the member page's record reads the whole community's, and its weeks the same answer (not read again).
    whole.mockClear();
    expect((await app!.inject({ url: '/members/sam', headers: { cookie } })).statusCode).toBe(200);
    expect(whole).toHaveBeenCalledTimes(1);
    // The people page: the roster of the regulars who went quiet alone, not everyone's.
    reads.forEach((spy) => spy.mockClear());
    await app!.inject({ url: '/people', headers: { cookie } });
    expect(reads[0]).not.toHaveBeenCalled();
    expect(reads[1]).toHaveBeenCalledTimes(1);
    expect(reads[1].mock.calls[0][1]).toEqual(expect.any(Array));
    // An opt-out between two views shows at once: nothing is kept past a request.
    await t.command('sam', 'privacy', { analytics: 'off' });
    expect((await app!.inject({ url: '/members/sam', headers: { cookie } })).statusCode).toBe(404);
  });

  it('the live waiting list is the pulse’s, read from the open requests alone (not a whole pulse every few seconds)', async () => {
    const t = await dashboardCommunity();
    const moderator = (await t.repos.members.get(t.community, 'mod'))!;
    const now = t.clock.now();
    const pulse = await computePulse(t.core, t.community, { since: now + 1 - 7 * DAY, until: now + 1 }, { listLimit: 100 });
    expect(pulse.lists.waitingForHuman.length).toBeGreaterThan(0);
    const reads = vi.spyOn(t.repos.messages, 'inWindow');
    const shapes = vi.spyOn(t.repos.messages, 'shapesInWindow');
    const roster = vi.spyOn(t.repos.members, 'roster');
    const noPulse = () => Promise.reject(new Error('the waiting list computes no pulse'));
    const waiting = await waitingDataset({ core: t.core, community: t.community, moderator, now, query: {}, weeks: new WeeklyPulses(), recentPulse: noPulse });
    expect(waiting.dataset.rows.map(({ channelId, messageId, ...w }) => w)).toEqual(pulse.lists.waitingForHuman);
    expect(waiting.notNamed).toBe(pulse.lists.waitingNotNamed);
    expect(reads).not.toHaveBeenCalled();
    expect(shapes).not.toHaveBeenCalled();
    expect(roster).not.toHaveBeenCalled();
  });

  it('every table downloads as CSV, with formulas neutralised', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    const csv = await app!.inject({ url: '/csv/to-thank', headers: { cookie } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="hearth-to-thank-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(csv.body.split('\n')[0]).toBe('Member,Helps this week');
    expect(csv.body).toContain('sam,');
    expect((await app!.inject({ url: '/csv/nothing', headers: { cookie } })).statusCode).toBe(404);
    const member = await app!.inject({ url: '/csv/member-signals?member=sam', headers: { cookie } });
    expect(member.body.split('\n')[0]).toMatch(/^Week ending,Helps given/);
  });

  it('a CSV computes its own table only: the mentorship and a member’s weeks read no helps, and are the page’s tables', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    const page = async (url: string) => (await app!.inject({ url, headers: { cookie } })).body;
    const helps = [vi.spyOn(t.repos.signals, 'compact'), vi.spyOn(t.repos.signals, 'compactColumns')];
    for (const url of ['/csv/mentorship', '/csv/member-signals?member=sam']) {
      for (const read of helps) read.mockClear();
      expect(await page(url), url).toMatch(/^(Mentor|Week ending),/);
      for (const read of helps) expect(read, url).not.toHaveBeenCalled();
    }
    expect(await page('/csv/helped-whom')).toBe('Helper,Helped,Helps\nsam,ana,1\nsam,nina,1\n');
    expect(await page('/connections')).toContain('<a href="/members/sam">sam</a></td><td><a href="/members/nina">nina</a></td><td>1</td>');
    const weeks = (await page('/csv/member-signals?member=sam')).trim().split('\n');
    expect(weeks).toHaveLength(13);
    expect(weeks.at(-1)).toMatch(/^\d{4}-\d\d-\d\d,1,0,0,1,0$/);
  });

  it('regulars who went quiet: the most recently quiet first, never one who opted out', async () => {
    const t = harness({ community: 'shell:local', platformName: 'shell' });
    t.core.dashboardUrl = DASHBOARD_URL;
    const now = t.clock.now();
    // Five posts each between 56 and 28 days ago, none since: abe's last 40 days ago, zoe's 33, opt's 30.
    for (const [who, last] of [['abe', 40], ['zoe', 33], ['opt', 30]] as const) {
      for (let i = 4; i >= 0; i--) {
        t.clock.set(now - (last + i) * DAY);
        await t.say(who, `update ${i} from ${who}`);
      }
    }
    await t.command('opt', 'privacy', { analytics: 'off' });
    t.clock.set(now);
    serve(t);
    const cookie = await signIn(t);
    const csv = (await app!.inject({ url: '/csv/went-quiet', headers: { cookie } })).body;
    expect(csv.trim().split('\n').map((line) => line.split(',')[0])).toEqual(['Member', 'zoe', 'abe']);
  });

  it('who helped whom downloads every pair, most helps first, its names as CSV fields (quoted, formulas neutralised)', async () => {
    const t = await dashboardCommunity();
    // A second help from sam to nina: their pair first.
    const q = await t.say('nina', 'And how do I disconnect it?');
    t.clock.advance(5 * MINUTE);
    await t.say('sam', 'Integrations, then Calendar, then Disconnect', { replyTo: q });
    await t.repos.members.upsert(t.community, { id: 'sam', name: '=cmd, "sam"' }, t.clock.now());
    await t.repos.members.upsert(t.community, { id: 'nina', name: '@nina' }, t.clock.now());
    serve(t);
    const cookie = await signIn(t);
    const csv = (await app!.inject({ url: '/csv/helped-whom', headers: { cookie } })).body;
    expect(csv).toBe(`Helper,Helped,Helps\n"'=cmd, ""sam""",'@nina,2\n"'=cmd, ""sam""",ana,1\n`);
    // The page shows the same pairs, escaped as HTML.
    expect((await app!.inject({ url: '/connections', headers: { cookie } })).body).toContain('<a href="/members/sam">=cmd, &quot;sam&quot;</a></td><td><a href="/members/nina">@nina</a></td><td>2</td>');
  });

  it('who helped whom: each record as the generic CSV writer would write it (counts of two digits, names with line breaks, commas and emoji)', async () => {
    const t = await dashboardCommunity();
    for (let i = 0; i < 11; i++) {
      const q = await t.say('nina', `Question ${i}: how do I do thing ${i}?`);
      t.clock.advance(MINUTE);
      await t.say('sam', `Answer ${i}: like this`, { replyTo: q });
    }
    await t.repos.members.upsert(t.community, { id: 'sam', name: 'Sam 🎉\nSmith, "the helper"' }, t.clock.now());
    await t.repos.members.upsert(t.community, { id: 'nina', name: '-Nina' }, t.clock.now());
    serve(t);
    const cookie = await signIn(t);
    const csv = (await app!.inject({ url: '/csv/helped-whom', headers: { cookie } })).body;
    const names: Record<string, string> = { sam: 'Sam 🎉\nSmith, "the helper"', nina: '-Nina', ana: 'ana' };
    const pairs: Array<[string, string, number]> = [['sam', 'nina', 12], ['sam', 'ana', 1]];
    expect(csv).toBe(`${csvRecord(['Helper', 'Helped', 'Helps'])}\n${pairs.map(([from, to, n]) => `${csvRecord([names[from], names[to], n])}\n`).join('')}`);
  });

  it('the waiting list is oldest first with a link to the conversation only where the moderator can read', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    const csv = (await app!.inject({ url: '/csv/waiting', headers: { cookie } })).body.trim().split('\n');
    expect(csv[0]).toBe('Member,Request,Waiting,Stakes,Conversation');
    // leo's request was claimed; rex asked in a private channel: no link.
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['ola', 'rex']);
    expect(csv[2].endsWith(',')).toBe(true);
  });

  it('every page answers later in the session too', async () => {
    const t = await dashboardCommunity();
    serve(t);
    const cookie = await signIn(t);
    t.clock.advance(DAY / 2 - MINUTE);
    for (const url of ['/overview', '/people', '/requests', '/same-here', '/connections', '/members/sam', '/care-policy']) {
      expect((await app!.inject({ url, headers: { cookie } })).statusCode, url).toBe(200);
    }
  });
});
