/**
 * The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core:
 * no browser download): sign in through a link, every page, a member link, a CSV download,
 * refusals, role loss, the live waiting list and an axe-core accessibility check. Screenshots
 * of each page are written to test-artifacts/dashboard/ (look at them).
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../../src/dashboard';
import { silentLogger } from '../../src/log';
import { spawnShell } from '../helpers/spawn-shell';
import { harness } from '../helpers/harness';
import { dashboardCommunity, signInLink } from './fixture';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/dashboard');
const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser;
let context: BrowserContext | undefined;
let dashboard: RunningDashboard | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright gives each launch a fresh profile directory of its own (what --user-data-dir would).
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  await dashboard?.close();
  dashboard = undefined;
});

type T = Awaited<ReturnType<typeof dashboardCommunity>>;

/** The fixture community with its dashboard on a free port, links pointing at it. */
async function serve(t: T = undefined as unknown as T) {
  t ??= await dashboardCommunity();
  dashboard = await startDashboard({
    config: { HEARTH_DASHBOARD_PORT: 0, HEARTH_DASHBOARD_HOST: '127.0.0.1', HEARTH_PUBLIC_URL: undefined, HEARTH_TIMEZONE: 'UTC' },
    repos: t.repos,
    log: silentLogger,
    clock: t.clock,
    port: 0,
    livePollMs: 50,
  });
  t.core.dashboardUrl = dashboard.url;
  return t;
}

async function newPage(): Promise<Page> {
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

async function signIn(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole('button', { name: 'Open the dashboard' }).click();
  await page.waitForURL(/\/overview$/);
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('dashboard in Chromium', () => {
  it('a link from the shell community signs a moderator in to the real process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-dash-'));
    try {
      const port = await freePort();
      const shell = spawnShell(join(dir, 'hearth.db'), { HEARTH_DASHBOARD_PORT: String(port), HEARTH_SHELL_COMMUNITY: 'Lantern' });
      shell.send(':join ana');
      shell.send('How do I export my data?');
      shell.send(':as mod');
      shell.send('/dashboard');
      const line = await shell.waitFor(/\/signin\//);
      const link = line.match(/(http:\/\/\S+\/signin\/[A-Za-z0-9_-]+)/)![1];
      expect(link.startsWith(`http://127.0.0.1:${port}/signin/`)).toBe(true);
      const page = await newPage();
      await signIn(page, link);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Overview');
      expect(await page.locator('.brand').textContent()).toContain('Lantern');
      shell.child.stdin.end();
      await shell.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('every page, with screenshots, no serious accessibility violations, a member link and a CSV download', async () => {
    const t = await serve();
    const page = await newPage();
    await signIn(page, await signInLink(t));
    // The overview's figures are the /pulse card's.
    const pulse = (await t.command('mod', 'pulse')).text;
    expect(await page.locator('[data-figure=welcomeRatio] .value').textContent()).toBe(pulse.match(/welcomed by a human within 24h (\S+)/)![1]);
    expect(await page.locator('[data-figure=firstResponseP50] .value').textContent()).toBe(pulse.match(/First human response: median ([^,]+),/)![1]);
    for (const [path, heading] of [
      ['/overview', 'Overview'],
      ['/people', 'People'],
      ['/requests', 'Requests for a human'],
      ['/same-here', 'Same here'],
      ['/connections', 'Connections'],
      ['/care-policy', 'Care policy'],
    ]) {
      await page.getByRole('navigation').getByRole('link', { name: heading, exact: true }).click();
      await page.waitForURL(new RegExp(`${path}$`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      await page.screenshot({ path: join(ARTIFACTS, `${path.slice(1)}.png`), fullPage: true });
      expect(await seriousViolations(page), path).toEqual([]);
    }
    // A definition is one click away.
    await page.goto(`${dashboard!.url}/overview`);
    const welcome = page.locator('[data-figure=welcomeRatio]');
    await welcome.getByText('What is this?').click();
    expect(await welcome.locator('details.def p').isVisible()).toBe(true);
    // Follow a member link from People.
    await page.goto(`${dashboard!.url}/people`);
    await page.getByRole('table', { name: 'People to thank' }).getByRole('link', { name: 'sam' }).click();
    await page.waitForURL(/\/members\/sam$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('sam');
    await page.screenshot({ path: join(ARTIFACTS, 'member.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    // Download a table.
    await page.goto(`${dashboard!.url}/people`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.csv[href^="/csv/to-thank"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^hearth-to-thank-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('Member,Helps this week');
    // On a phone: the same page, readable.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${dashboard!.url}/overview`);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-phone.png') });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
  }, 120_000);

  it('refuses a reused link, a forged cookie, another community’s member and a cross-site form', async () => {
    const t = await serve();
    const other = harness({ community: 'shell:other', platformName: 'shell', database: t.database, clock: t.clock });
    await other.join('zed');
    const page = await newPage();
    const link = await signInLink(t);
    await signIn(page, link);
    // Reused.
    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign-in link refused');
    expect(await page.locator('main').textContent()).toContain('already used');
    // Another community's member, by id.
    const response = await page.goto(`${dashboard!.url}/members/zed`);
    expect(response?.status()).toBe(404);
    // A cross-site form: another origin posts to sign everyone out.
    const evil = await context!.newPage();
    await evil.setContent(`<form method="post" action="${dashboard!.url}/signout-everywhere"><input name="csrf" value="guess"></form>`);
    const [refused] = await Promise.all([evil.waitForNavigation(), evil.evaluate('document.forms[0].submit()')]);
    expect(refused?.status()).toBeGreaterThanOrEqual(401);
    const still = await page.goto(`${dashboard!.url}/people`);
    expect(still?.status()).toBe(200);
    // A forged cookie.
    await context!.clearCookies();
    await context!.addCookies([{ name: 'hearth_session', value: 'A'.repeat(43), url: dashboard!.url }]);
    const forged = await page.goto(`${dashboard!.url}/overview`);
    expect(forged?.status()).toBe(401);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to the Hearth dashboard');
  }, 60_000);

  it('the waiting list updates live, and losing the role ends the session', async () => {
    const t = await serve();
    const page = await newPage();
    await signIn(page, await signInLink(t));
    await page.goto(`${dashboard!.url}/people`);
    const waiting = page.locator('#waiting');
    expect(await waiting.textContent()).not.toContain('pia');
    // A new request while the page is open: it appears without a reload.
    await t.command('pia', 'human', { reason: 'my payment failed' });
    await waiting.getByRole('link', { name: 'pia' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'people-live.png'), fullPage: true });
    // The role is lost while the page is open: the live list stops and says the session ended.
    t.moderators.delete('mod');
    await t.say('mod', 'handing over moderation');
    await waiting.getByText('Your session has ended').waitFor();
    const after = await page.reload();
    expect(after?.status()).toBe(401);
    expect(await page.locator('main').textContent()).not.toContain('pia');
  }, 60_000);
});

/** A port nothing listens on now (for the spawned process's HEARTH_DASHBOARD_PORT). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
