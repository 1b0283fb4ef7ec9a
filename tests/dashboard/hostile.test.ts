/**
 * Member-chosen text on every dashboard page (names, channel names, message text, reasons,
 * the community's name): shown as text, never as markup; links stay http(s) or the
 * dashboard's own paths, whatever the ids hold.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDashboardServer } from '../../src/dashboard/server';
import { PAGES } from '../../src/dashboard/pages';
import { silentLogger } from '../../src/log';
import { dashboardCommunity, signInLink } from './fixture';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const EVIL = `"'><script>alert(1)</script><img src=x onerror=alert(2)>`;

describe('hostile text on the dashboard', () => {
  it('every page shows it as text; every link is the dashboard’s own or https', async () => {
    const t = await dashboardCommunity();
    const evilMember = { id: 'eve', name: `Eve ${EVIL}`, isModerator: false };
    const channel = { id: 'javascript:alert(3)', name: `chan ${EVIL}`, visibility: 'public' as const, kind: 'text' as const };
    const base = () => ({ community: t.community, communityName: `Com ${EVIL}`, at: t.clock.now() });
    await t.companion.handle({ ...base(), type: 'member_joined', member: evilMember });
    await t.companion.handle({ ...base(), type: 'message_posted', message: { id: 'javascript:alert(4)', channel, author: evilMember, text: `I need a human ${EVIL}`, at: t.clock.now() } });
    for (const who of ['ana', 'nina']) await t.say(who, `same here ${EVIL}`, { replyTo: 'javascript:alert(4)', channel });
    await t.companion.command({ ...base(), type: 'command_invoked', command: 'human', options: { reason: `help ${EVIL}` }, member: evilMember, channel });
    await t.say('sam', `answer ${EVIL}`, { replyTo: 'javascript:alert(4)', channel });
    await t.companion.handle({ ...base(), type: 'message_posted', message: { id: 'e2', channel, author: evilMember, text: `thanks sam ${EVIL}`, replyTo: 'javascript:alert(4)', at: t.clock.now() } });
    app = createDashboardServer({ core: t.core, clock: t.clock, log: silentLogger });
    const link = await signInLink(t);
    const signin = await app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${link.slice(link.lastIndexOf('/') + 1)}` });
    const cookie = String(signin.headers['set-cookie']).split(';')[0];
    const paths = [...Object.keys(PAGES), '/members/eve', `/members/${encodeURIComponent(EVIL)}`];
    let sawEve = false;
    for (const path of paths) {
      const page = await app.inject({ url: path, headers: { cookie } });
      expect([200, 404], path).toContain(page.statusCode);
      expect(page.body, path).not.toMatch(/<script>alert|<img src=x/);
      expect(page.body, path).not.toMatch(/href="\s*javascript:/i);
      for (const href of page.body.matchAll(/href="([^"]*)"/g)) expect(href[1], path).toMatch(/^(\/|#|https:\/\/)/);
      sawEve ||= page.body.includes('Eve &quot;&#39;&gt;&lt;script&gt;');
      expect(page.headers['content-security-policy'], path).toMatch(/script-src 'self'/);
    }
    expect(sawEve).toBe(true);
  });
});
