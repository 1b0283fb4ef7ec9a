/**
 * A small community with something on every dashboard page, built through the companion
 * like a live one: newcomers, questions and answers, thanks, requests for a human, same
 * here, a private channel, a member with analytics off and a forgotten one.
 */
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { harness, type HarnessOptions } from '../helpers/harness';

export const DASHBOARD_URL = 'http://dashboard.test';

export async function dashboardCommunity(options: HarnessOptions = {}) {
  const t = harness({ community: 'shell:local', platformName: 'shell', ...options });
  t.core.dashboardUrl = DASHBOARD_URL;
  // Three weeks ago: a first week of help, so the trend has more than one point.
  t.clock.advance(-21 * DAY);
  await t.join('ana');
  const a = await t.say('ana', 'How do I export my data?');
  t.clock.advance(30 * MINUTE);
  await t.say('sam', 'Settings, then Export, then choose CSV', { replyTo: a });
  await t.say('ana', 'thanks sam', { replyTo: a });
  t.clock.advance(21 * DAY - 2 * DAY);
  // This week.
  await t.join('nina');
  const q = await t.say('nina', 'How do I connect my calendar?');
  t.clock.advance(20 * MINUTE);
  await t.say('sam', 'Integrations, then Calendar, then Connect', { replyTo: q });
  await t.join('kim');
  await t.say('kim', 'is anyone around to help with SSO?');
  const outage = await t.say('leo', 'the login page is down for me, error 502');
  for (const who of ['ana', 'nina', 'ola']) await t.say(who, 'same here', { replyTo: outage });
  await t.command('ola', 'human', { reason: 'my account was charged twice' });
  t.clock.advance(25 * MINUTE);
  await t.press('mod', 'escalation:claim', '1'); // leo's outage, claimed in 25 minutes
  t.clock.advance(35 * MINUTE);
  // A private channel the moderator is not in: its words never reach the dashboard.
  await t.say('rex', 'secret plans: how do we fix the billing bug?', { channel: t.channel('staff-only', { visibility: 'private', memberIds: ['rex'] }) });
  await t.command('rex', 'human', { reason: 'private matter in staff-only' }, { channel: t.channel('staff-only', { visibility: 'private', memberIds: ['rex'] }) });
  // Analytics off, and forgotten: never named.
  await t.join('olga');
  await t.say('olga', 'How do I change my avatar?');
  await t.command('olga', 'privacy', { analytics: 'off' });
  await t.command('olga', 'human', { reason: 'olga needs a person' });
  await t.join('fay');
  const fay = await t.say('fay', 'How do I delete my account?');
  await t.say('sam', 'Account, then Delete, then confirm twice', { replyTo: fay });
  await t.repos.members.forget(t.community, 'fay', t.clock.now());
  t.clock.advance(10 * MINUTE);
  return t;
}

/** The sign-in link `/dashboard` gives a moderator, as they would read it. */
export async function signInLink(t: Awaited<ReturnType<typeof dashboardCommunity>>, member = 'mod'): Promise<string> {
  const reply = await t.command(member, 'dashboard');
  const match = reply.text.match(/(https?:\/\/\S+\/signin\/[A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no link in: ${reply.text}`);
  return match[1];
}
