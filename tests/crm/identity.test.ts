/**
 * One person across platforms (issue 24, "Identity"): accounts with the same email, or linked
 * explicitly, are one person in the export and in the webhook events, figures combined and
 * every account listed; never merged on a display name; if any of their accounts opted out
 * or was forgotten, nothing about the person leaves Hearth, and a webhook receiver that heard
 * of them is told to delete them (`member.deleted`, ids only).
 *
 * Three communities in one database, built through the real Companion, one manual clock:
 * - slack:T1: ana (email ana@example.org), mod.
 * - slack:T2: ana.b (email ' Ana@Example.ORG', the same person by email), mod.
 * - discord:G1: anad (no email: Discord gives none; linked to slack:T1/ana by an operator),
 *   ana (another person who happens to share the display name), mod.
 * Each community's mod thanks its ana account, and discord's mod the other ana.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run as exportRun } from '../../src/cli/commands/export';
import { run as identityRun } from '../../src/cli/commands/identity';
import { DAY, HOUR, ManualClock } from '../../src/core/clock';
import { WebhookDispatcher } from '../../src/crm/webhooks/dispatcher';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection';
import { verifyWebhook } from '../../src/crm/webhooks/signature';
import { harness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';
import { silentLogger } from '../../src/log';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook/receiver';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const SECRET = 'whsec-identity-0123456789';

interface World {
  file: string;
  database: DatabaseHandle;
  clock: ManualClock;
  t1: Harness;
  t2: Harness;
  g1: Harness;
}

async function joinWithEmail(t: Harness, id: string, email: string | null) {
  await t.companion.handle({ community: t.community, communityName: t.community, at: t.clock.now(), type: 'member_joined', member: { id, name: id, email }, welcomeChannelId: 'general' });
}

async function world(options: { webhooks?: boolean } = {}): Promise<World> {
  const file = join(tempDir('hearth-identity-'), 'hearth.db');
  const database = openDatabase(file);
  const clock = new ManualClock(T0);
  const webhooks = options.webhooks ?? false;
  const t1 = harness({ database, clock, webhooks, platformName: 'slack', community: 'slack:T1' });
  const t2 = harness({ database, clock, webhooks, platformName: 'slack', community: 'slack:T2' });
  const g1 = harness({ database, clock, webhooks, platformName: 'discord', community: 'discord:G1' });
  await joinWithEmail(t1, 'ana', 'ana@example.org');
  clock.advance(HOUR);
  await joinWithEmail(t2, 'ana.b', ' Ana@Example.ORG');
  clock.advance(HOUR);
  await g1.join('anad');
  await g1.join('ana');
  clock.advance(HOUR);
  for (const [t, who] of [[t1, 'ana'], [t2, 'ana.b'], [g1, 'anad'], [g1, 'ana']] as const) {
    await t.say(who, `hello from ${who}`);
    await t.say('mod', `hi ${who}`);
    await t.command('mod', 'thanks', { member: who });
  }
  // Figures count up to, not including, the time they describe.
  clock.advance(HOUR);
  return { file, database, clock, t1, t2, g1 };
}

async function cli(run: typeof exportRun, args: string[], now = T0 + DAY) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough(), now: () => now });
  return { code, out, err };
}

async function exported(w: World, extra: string[] = []) {
  const result = await cli(exportRun, ['members', '--format', 'jsonl', '--db', w.file, ...extra]);
  expect(result.err).toEqual([]);
  expect(result.code).toBe(0);
  return result.out.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const linkAna = (w: World) => w.t1.core.identity.link({ communityId: 'slack:T1', memberId: 'ana' }, { communityId: 'discord:G1', memberId: 'anad' }, 'moderator');
const anaAccounts = ['discord:G1/anad', 'slack:T1/ana', 'slack:T2/ana.b'];
const hasAna = (records: Record<string, unknown>[]) => records.some((r) => (r.accounts as string[]).some((a) => anaAccounts.includes(a)));

let w: World | undefined;
afterEach(() => {
  w?.database.close();
  w = undefined;
});

describe('identity in the export', () => {
  it('accounts with the same email (any case) are one person, figures combined, every account listed', async () => {
    w = await world();
    const records = await exported(w);
    const ana = records.filter((r) => (r.accounts as string[]).includes('slack:T1/ana'));
    expect(ana).toHaveLength(1);
    expect(ana[0]).toMatchObject({ personId: 'slack:T1/ana', accounts: ['slack:T1/ana', 'slack:T2/ana.b'], thanksReceived: 2, email: 'ana@example.org' });
    expect(records.some((r) => r.memberId === 'ana.b')).toBe(false);
  });

  it('an explicit link joins a Discord account (no email) to the person; the same display name never does', async () => {
    w = await world();
    expect((await cli(identityRun, ['link', 'slack:T1/ana', 'discord:G1/anad', '--db', w.file])).code).toBe(0);
    const records = await exported(w);
    const ana = records.find((r) => r.personId === 'slack:T1/ana')!;
    expect(ana).toMatchObject({ accounts: anaAccounts, thanksReceived: 3, firstSeenAt: new Date(T0).toISOString() });
    // discord:G1/ana shares the name "ana" with slack:T1/ana and stays her own person.
    expect(records.find((r) => r.personId === 'discord:G1/ana')).toMatchObject({ accounts: ['discord:G1/ana'], thanksReceived: 1 });
    // --community keeps the people with an account there, with their whole record.
    const discordOnly = await exported(w, ['--community', 'discord:G1']);
    expect(discordOnly.find((r) => r.personId === 'slack:T1/ana')).toEqual(ana);
    expect(discordOnly.some((r) => r.personId === 'slack:T2/mod')).toBe(false);
  });

  it('one account with analytics off, and nothing about the person is exported', async () => {
    w = await world();
    await linkAna(w);
    await w.g1.command('anad', 'privacy', { analytics: 'off' });
    const records = await exported(w);
    expect(hasAna(records)).toBe(false);
    expect(JSON.stringify(records)).not.toContain('ana@example.org');
    expect(records.find((r) => r.personId === 'discord:G1/ana')).toBeDefined();
  });

  it('identity unlink undoes a link, but not while any account of the person is withheld', async () => {
    w = await world();
    expect((await cli(identityRun, ['link', 'slack:T1/ana', 'discord:G1/anad', '--db', w.file])).code).toBe(0);
    await w.g1.command('anad', 'privacy', { analytics: 'off' });
    for (const account of ['slack:T1/ana', 'discord:G1/anad']) {
      const refused = await cli(identityRun, ['unlink', account, '--db', w.file]);
      expect(refused.code).toBe(1);
      expect(refused.err.join('\n')).toMatch(/opted out or was forgotten/);
    }
    expect(hasAna(await exported(w))).toBe(false);
    await w.g1.command('anad', 'privacy', { analytics: 'on' });
    expect((await cli(identityRun, ['unlink', 'slack:T1/ana', '--db', w.file])).out).toEqual(['removed 1 link']);
    expect((await exported(w)).find((r) => r.personId === 'discord:G1/anad')).toMatchObject({ accounts: ['discord:G1/anad'] });
  });

  it('one account forgotten, and nothing about the person is exported, though its email is gone', async () => {
    w = await world();
    await w.t2.core.features.signals.privacy.forget('slack:T2', 'ana.b');
    const records = await exported(w);
    // anad was never linked here: a person of her own.
    expect(records.flatMap((r) => r.accounts as string[]).filter((a) => anaAccounts.includes(a))).toEqual(['discord:G1/anad']);
    expect(JSON.stringify(records)).not.toContain('ana@example.org');
  });
});

describe('identity in the webhook events', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  const send = (x: World) => new WebhookDispatcher({ repos: x.t1.repos, clock: x.clock, log: silentLogger, url: receiver.url, secret: SECRET }).runDue();
  const events = () => receiver.requests.map((r) => JSON.parse(r.body) as { type: string; communityId: string; data: Record<string, any> });

  it('a person is one member.health.changed, with every account', async () => {
    w = await world({ webhooks: true });
    await linkAna(w);
    await w.t1.core.crm.scanHealth();
    await send(w);
    const health = events().filter((e) => e.type === 'member.health.changed').map((e) => e.data.member);
    const ana = health.filter((m) => (m.accounts as string[]).some((a) => anaAccounts.includes(a)));
    expect(ana).toHaveLength(1);
    expect(ana[0]).toMatchObject({ personId: 'slack:T1/ana', accounts: anaAccounts, thanksReceived: 3 });
    // Nothing changed: nothing more.
    expect(await w.t1.core.crm.scanHealth()).toBe(0);
  });

  it('an account that opts out later: the receiver gets a signed member.deleted with ids only', async () => {
    w = await world({ webhooks: true });
    await linkAna(w);
    await w.t1.core.crm.scanHealth();
    await send(w);
    receiver.requests.length = 0;
    await w.g1.command('anad', 'privacy', { analytics: 'off' });
    await send(w);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const header = (name: string) => String(request.headers[name]);
    expect(verifyWebhook({ secret: SECRET, body: request.body, timestamp: header('hearth-timestamp'), signature: header('hearth-signature'), now: w.clock.now() })).toBe(true);
    expect(request.headers['hearth-event-type']).toBe('member.deleted');
    const event = JSON.parse(request.body);
    expect(event).toMatchObject({ type: 'member.deleted', communityId: 'slack:T1', platform: 'slack' });
    expect(event.data).toEqual({ personId: 'slack:T1/ana', accounts: anaAccounts });
    expect(request.body).not.toMatch(/example\.org|displayName|hello/);
    // The next scan neither re-sends the person nor deletes them again (discord's mod thanked
    // anad, who no longer counts: his record changed).
    w.clock.advance(HOUR);
    expect(await w.t1.core.crm.scanHealth()).toBe(1);
    await send(w);
    expect(events().map((e) => [e.type, e.data.personId ?? e.data.member?.personId])).toEqual([
      ['member.deleted', 'slack:T1/ana'],
      ['member.health.changed', 'discord:G1/mod'],
    ]);
  });

  it('forget-me on one account: member.deleted too, and nothing of the person is sent after', async () => {
    w = await world({ webhooks: true });
    await w.t1.core.crm.scanHealth();
    await send(w);
    receiver.requests.length = 0;
    await w.t2.core.features.signals.privacy.forget('slack:T2', 'ana.b');
    w.clock.advance(HOUR);
    await w.t1.core.crm.scanHealth();
    await send(w);
    expect(events().map((e) => [e.type, e.data.personId ?? e.data.member?.personId])).toEqual([
      ['member.deleted', 'slack:T1/ana'],
      // slack:T2's mod thanked ana.b, who no longer counts: his record changed; ana's person is not sent again.
      ['member.health.changed', 'slack:T2/mod'],
    ]);
    expect(events()[0].data).toEqual({ personId: 'slack:T1/ana', accounts: ['slack:T1/ana', 'slack:T2/ana.b'] });
  });

  it('a linked account opted out between queueing and sending: the person is dropped at send time', async () => {
    w = await world({ webhooks: true });
    await linkAna(w);
    await w.t1.core.crm.scanHealth();
    // Straight in the store, past the privacy service: the dispatcher checks the person itself.
    await w.g1.repos.members.setAnalyticsOptOut('discord:G1', 'anad', true);
    await send(w);
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.some((r) => r.body.includes('slack:T1/ana'))).toBe(false);
  });

  it('a person never sent before: opting out sends no member.deleted', async () => {
    w = await world({ webhooks: true });
    await w.g1.command('anad', 'privacy', { analytics: 'off' });
    await send(w);
    expect(receiver.requests).toEqual([]);
  });

  it('a request for a human names the person, and none is sent while a linked account is opted out', async () => {
    w = await world({ webhooks: true });
    await linkAna(w);
    await w.g1.command('anad', 'human', { reason: 'help' });
    await send(w);
    expect(events().map((e) => [e.type, e.data.memberId, e.data.personId])).toEqual([['human_request.opened', 'anad', 'slack:T1/ana']]);
    await w.t1.command('ana', 'privacy', { analytics: 'off' });
    await w.g1.command('anad', 'human', { reason: 'again' }, { channel: w.g1.channel('elsewhere') });
    await send(w);
    expect(events().map((e) => e.type)).toEqual(['human_request.opened', 'member.deleted']);
  });
});
