/**
 * CRM webhooks end to end: the real companion queues events in its database, the real
 * dispatcher signs and POSTs them to a receiver on 127.0.0.1, and the clock is a manual one
 * (retries fall due when the test moves it, never by waiting).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ManualClock, MINUTE } from '../../src/core/clock';
import { backoffDelay, WebhookDispatcher, type WebhookDispatcherOptions } from '../../src/crm/webhooks/dispatcher';
import { signWebhook, verifyWebhook } from '../../src/crm/webhooks/signature';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import type { Repositories } from '../../src/core/storage';
import { silentLogger } from '../../src/log';
import { harness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../fakes/webhook/receiver';

const SECRET = 'whsec-test-0123456789abcdef';

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

function dispatcher(repos: Repositories, clock: ManualClock, options: Partial<WebhookDispatcherOptions> = {}) {
  return new WebhookDispatcher({ repos, clock, log: silentLogger, url: receiver.url, secret: SECRET, ...options });
}

const body = (request: ReceivedRequest) => JSON.parse(request.body) as { id: string; type: string; createdAt: string; communityId: string; data: Record<string, unknown> };
const types = () => receiver.requests.map((r) => body(r).type);

/** A community with maya (a member), mod (a moderator), and CRM webhooks on. */
async function community(options: { webhooks?: boolean } = {}): Promise<Harness> {
  const t = harness({ webhooks: options.webhooks ?? true });
  await t.say('maya', 'hello all');
  await t.say('mod', 'welcome!');
  return t;
}

describe('signatures', () => {
  const now = Date.UTC(2026, 0, 5, 9, 0, 0);
  const ts = now / 1000;
  const signed = { secret: SECRET, body: '{"id":"evt_1"}', timestamp: String(ts), signature: signWebhook(SECRET, ts, '{"id":"evt_1"}'), now };

  it('HMAC-SHA256 over "<timestamp>.<body>", hex, with a v1= prefix', () => {
    expect(signWebhook('key', 1700000000, 'body')).toBe(`v1=${createHmac('sha256', 'key').update('1700000000.body').digest('hex')}`);
    expect(signWebhook('key', 1700000000, 'body')).not.toBe(signWebhook('key', 1700000001, 'body'));
  });

  it('verifies a fresh, intact request and refuses a changed body, another secret, a stale or missing timestamp', () => {
    expect(verifyWebhook(signed)).toBe(true);
    expect(verifyWebhook({ ...signed, body: '{"id":"evt_2"}' })).toBe(false);
    expect(verifyWebhook({ ...signed, secret: 'another-secret-0123456789' })).toBe(false);
    expect(verifyWebhook({ ...signed, now: now + 301_000 })).toBe(false);
    expect(verifyWebhook({ ...signed, now: now + 299_000 })).toBe(true);
    expect(verifyWebhook({ ...signed, timestamp: undefined })).toBe(false);
    expect(verifyWebhook({ ...signed, signature: 'v1=00' })).toBe(false);
  });
});

describe("the README's verification snippet", () => {
  it('accepts what the dispatcher sends and refuses a tampered body or another secret', async () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const code = /```js\n(\/\/ verify-hearth\.js[\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const verify = new Function('require', `${code}\nreturn verifyHearthWebhook;`)(createRequire(import.meta.url)) as (secret: string, raw: string, headers: Record<string, unknown>, now?: number) => boolean;
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    await dispatcher(t.repos, t.clock).runDue();
    const [request] = receiver.requests;
    expect(verify(SECRET, request.body, request.headers, t.clock.now())).toBe(true);
    expect(verify(SECRET, request.body.replace('maya', 'mayb'), request.headers, t.clock.now())).toBe(false);
    expect(verify('another-secret-0123456789', request.body, request.headers, t.clock.now())).toBe(false);
    expect(verify(SECRET, request.body, request.headers, t.clock.now() + 10 * MINUTE)).toBe(false);
  });
});

describe('requests for a human', () => {
  it('opened, claimed and resolved each arrive once, signed, with the event id as idempotency key and no words of the member', async () => {
    const t = await community();
    await t.command('maya', 'human', { reason: 'I was charged twice for my plan' });
    t.clock.advance(4 * MINUTE);
    await t.press('mod', 'escalation:claim', '1');
    t.clock.advance(MINUTE);
    await t.command('mod', 'resolve', { id: 1, note: 'refunded the second charge' });
    const report = await dispatcher(t.repos, t.clock).runDue();
    expect(report).toEqual({ delivered: 3, retried: 0, failed: 0, dropped: 0 });
    expect(types()).toEqual(['human_request.opened', 'human_request.claimed', 'human_request.resolved']);
    for (const request of receiver.requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['hearth-event-id']).toBe(body(request).id);
      expect(request.headers['hearth-event-type']).toBe(body(request).type);
      expect(verifyWebhook({ secret: SECRET, body: request.body, timestamp: request.headers['hearth-timestamp'] as string, signature: request.headers['hearth-signature'] as string, now: t.clock.now() })).toBe(true);
      expect(request.body).not.toMatch(/charged|refunded/);
    }
    expect(new Set(receiver.requests.map((r) => body(r).id)).size).toBe(3);
    expect(body(receiver.requests[2])).toMatchObject({
      type: 'human_request.resolved',
      communityId: t.community,
      data: { requestId: 1, status: 'resolved', memberId: 'maya', displayName: 'maya', claimedBy: 'mod', timeToClaimMs: 4 * MINUTE, resolvedBy: 'mod' },
    });
    // Delivered is final: nothing is sent twice.
    t.clock.advance(10 * MINUTE);
    expect((await dispatcher(t.repos, t.clock).runDue()).delivered).toBe(0);
    expect(receiver.requests).toHaveLength(3);
  });

  it('a repeated request, a second claim or resolve queue nothing more', async () => {
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    await t.command('maya', 'human', { reason: 'help, anyone?' });
    await t.press('mod', 'escalation:claim', '1');
    await t.press('mod', 'escalation:claim', '1');
    await t.command('mod', 'resolve', { id: 1 });
    await t.command('mod', 'resolve', { id: 1 });
    expect((await t.repos.webhookEvents.list(t.community)).map((e) => e.type)).toEqual(['human_request.opened', 'human_request.claimed', 'human_request.resolved']);
  });

  it('without a webhook URL nothing is queued', async () => {
    const t = await community({ webhooks: false });
    await t.command('maya', 'human', { reason: 'help' });
    await t.press('mod', 'escalation:claim', '1');
    expect(await t.repos.webhookEvents.list(t.community)).toEqual([]);
  });
});

describe('retries', () => {
  it('backs off exponentially, honours Retry-After, keeps the same id and body, then delivers', async () => {
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    receiver.answers.push({ status: 500 }, { status: 503, headers: { 'retry-after': '300' } }, { status: 502 });
    const d = dispatcher(t.repos, t.clock, { baseDelayMs: 30_000, maxDelayMs: 10 * MINUTE });
    const start = t.clock.now();
    expect(await d.runDue()).toMatchObject({ retried: 1 });
    const event = (await t.repos.webhookEvents.list(t.community))[0];
    expect(event).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: start + 30_000, lastError: 'HTTP 500' });
    t.clock.advance(29_000);
    expect(await d.runDue()).toMatchObject({ delivered: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(1);
    t.clock.advance(1_000);
    await d.runDue();
    // Backoff said 60 s; the receiver asked for 300.
    expect((await t.repos.webhookEvents.get(t.community, event.eventId))).toMatchObject({ attempts: 2, nextAttemptAt: t.clock.now() + 300_000 });
    t.clock.advance(300_000);
    await d.runDue();
    expect((await t.repos.webhookEvents.get(t.community, event.eventId))?.nextAttemptAt).toBe(t.clock.now() + 120_000);
    t.clock.advance(120_000);
    expect(await d.runDue()).toMatchObject({ delivered: 1 });
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((r) => r.headers['hearth-event-id']))).toEqual(new Set([event.eventId]));
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    // Each attempt is signed at its own time.
    expect(new Set(receiver.requests.map((r) => r.headers['hearth-timestamp'])).size).toBe(4);
  });

  it('the delay doubles up to its cap, and an event is given up after the last attempt', async () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 30_000, 4 * MINUTE))).toEqual([30_000, 60_000, 120_000, 4 * MINUTE, 4 * MINUTE, 4 * MINUTE]);
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    receiver.answers.push(...Array.from({ length: 10 }, () => ({ status: 500 })));
    const d = dispatcher(t.repos, t.clock, { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 2_000 });
    for (let i = 0; i < 6; i++) {
      await d.runDue();
      t.clock.advance(2_000);
    }
    expect(receiver.requests).toHaveLength(3);
    expect(await t.repos.webhookEvents.list(t.community)).toMatchObject([{ status: 'failed', attempts: 3, lastError: 'HTTP 500' }]);
  });

  it('an unreachable receiver is a failed attempt like any other', async () => {
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    await receiver.close();
    const report = await dispatcher(t.repos, t.clock).runDue();
    expect(report.retried).toBe(1);
    expect((await t.repos.webhookEvents.list(t.community))[0].lastError).toMatch(/ECONNREFUSED|fetch failed/);
    receiver = await startWebhookReceiver();
  });
});

describe('privacy', () => {
  it('a member with analytics off or forgotten is in no event', async () => {
    const t = await community();
    await t.command('maya', 'privacy', { analytics: 'off' });
    await t.command('maya', 'human', { reason: 'help' });
    await t.press('mod', 'escalation:claim', '1');
    expect(await t.repos.webhookEvents.list(t.community)).toEqual([]);
    expect(await t.core.crm.scanHealth()).toBe(1); // mod's record only
    expect((await t.repos.webhookEvents.list(t.community)).map((e) => e.memberId)).toEqual(['mod']);
  });

  it('opting out later drops what was queued about them; forget-me too', async () => {
    const t = await community();
    await t.say('leo', 'hi');
    await t.command('maya', 'human', { reason: 'help' });
    await t.command('leo', 'human', { reason: 'me too', }, { channel: t.channel('other') });
    await t.core.crm.scanHealth();
    expect(new Set((await t.repos.webhookEvents.list(t.community)).map((e) => e.memberId))).toEqual(new Set(['maya', 'leo', 'mod']));
    await t.command('maya', 'privacy', { analytics: 'off' });
    await t.core.features.signals.privacy.forget(t.community, 'leo');
    // What was queued about them is gone; in its place a deletion notice each, ids only.
    expect((await t.repos.webhookEvents.list(t.community)).map((e) => [e.type, e.memberId])).toEqual([
      ['member.health.changed', 'mod'],
      ['member.deleted', null],
      ['member.deleted', null],
    ]);
    await dispatcher(t.repos, t.clock).runDue();
    expect(receiver.requests.map((r) => body(r).data)).toEqual([
      expect.objectContaining({ member: expect.objectContaining({ memberId: 'mod' }) }),
      { personId: `${t.community}/maya`, accounts: [`${t.community}/maya`] },
      { personId: `${t.community}/leo`, accounts: [`${t.community}/leo`] },
    ]);
  });

  it('a claimer, resolver or welcomer who opted out or was forgotten before sending is not named in what is sent', async () => {
    const t = await community();
    t.moderators.add('lee');
    t.moderators.add('ola');
    await t.join('kim');
    const hello = await t.say('kim', 'hi everyone, I am new here');
    await t.say('lee', 'welcome kim, glad you are here!', { replyTo: hello });
    await t.command('maya', 'human', { reason: 'help' });
    await t.press('lee', 'escalation:claim', '1');
    await t.command('lee', 'resolve', { id: 1 });
    await t.command('maya', 'human', { reason: 'help again' }, { channel: t.channel('other') });
    await t.press('ola', 'escalation:claim', '2');
    t.clock.advance(MINUTE);
    await t.core.crm.scanHealth();
    const queued = (await t.repos.webhookEvents.list(t.community)).map((e) => e.body).join('\n');
    expect(queued).toContain('"claimedBy":"lee"');
    expect(queued).toContain('"welcomedBy":"lee"');
    expect(queued).toContain('"claimedBy":"ola"');
    // Both moderators leave analytics before the receiver is reached.
    await t.command('lee', 'privacy', { analytics: 'off' });
    await t.core.features.signals.privacy.forget(t.community, 'ola');
    await dispatcher(t.repos, t.clock).runDue();
    const sent = receiver.requests.map((r) => body(r));
    expect(sent.filter((e) => e.type === 'human_request.resolved')).toHaveLength(1);
    expect(sent.filter((e) => e.type === 'human_request.claimed')).toHaveLength(2);
    for (const request of receiver.requests) expect(request.body).not.toMatch(/"lee"|"ola"|forgotten member/);
    expect(sent.find((e) => e.type === 'human_request.resolved')?.data).toMatchObject({ claimedBy: null, claimedByName: null, resolvedBy: null, resolvedByName: null, memberId: 'maya' });
    const kim = sent.find((e) => e.type === 'member.health.changed' && (e.data.member as { memberId: string }).memberId === 'kim');
    expect(kim?.data.member).toMatchObject({ welcomedBy: null, welcomedByName: null, welcomed: true });
  });

  it('forget-me removes a claimer or welcomer from the stored events about others, queued or sent', async () => {
    const t = await community();
    t.moderators.add('lee');
    await t.join('kim');
    const hello = await t.say('kim', 'hi everyone, I am new here');
    await t.say('lee', 'welcome kim, glad you are here!', { replyTo: hello });
    await t.command('maya', 'human', { reason: 'help' });
    await t.press('lee', 'escalation:claim', '1');
    t.clock.advance(MINUTE);
    await t.core.crm.scanHealth();
    await dispatcher(t.repos, t.clock).runDue(); // some sent already
    await t.core.features.signals.privacy.forget(t.community, 'lee');
    const stored = await t.repos.webhookEvents.list(t.community);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((e) => e.status === 'delivered')).toBe(true);
    for (const e of stored) expect(e.body).not.toMatch(/"lee"/);
    expect(stored.map((e) => JSON.parse(e.body) as { type: string; data: Record<string, unknown> }).find((e) => e.type === 'human_request.claimed')?.data).toMatchObject({ claimedBy: null, claimedByName: null, memberId: 'maya' });
  });

  it('an event whose body is not JSON is failed, never sent, and the drain goes on', async () => {
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    await t.repos.webhookEvents.enqueue(t.community, { eventId: 'broken', type: 'human_request.opened', memberId: 'maya', body: '{"cut off', createdAt: 0 });
    await dispatcher(t.repos, t.clock).runDue();
    expect(await t.repos.webhookEvents.get(t.community, 'broken')).toMatchObject({ status: 'failed', lastError: 'webhook event body is not JSON: not sent' });
    expect(receiver.requests.map((r) => body(r).type)).toEqual(['human_request.opened']);
    expect(receiver.requests.some((r) => r.body.includes('cut off'))).toBe(false);
  });

  it('a member who opted out between queueing and sending is dropped at send time', async () => {
    const t = await community();
    await t.command('maya', 'human', { reason: 'help' });
    // Straight in the store, past the privacy service: the dispatcher checks again itself.
    await t.repos.members.setAnalyticsOptOut(t.community, 'maya', true);
    expect(await dispatcher(t.repos, t.clock).runDue()).toMatchObject({ delivered: 0, dropped: 1 });
    expect(receiver.requests).toEqual([]);
    expect(await t.repos.webhookEvents.list(t.community)).toEqual([]);
  });
});

describe('member health changes', () => {
  it('the first scan sends every record; then only records that changed', async () => {
    const t = await community();
    t.bots.add('bot');
    await t.say('bot', 'beep');
    expect(await t.core.crm.scanHealth()).toBe(2);
    expect(await t.core.crm.scanHealth()).toBe(0);
    // A post alone changes only lastActiveAt: no news.
    t.clock.advance(MINUTE);
    await t.say('maya', 'another post');
    expect(await t.core.crm.scanHealth()).toBe(0);
    // A thanks changes both members' records.
    await t.command('maya', 'thanks', { member: 'mod' });
    t.clock.advance(MINUTE);
    expect(await t.core.crm.scanHealth()).toBe(2);
    await dispatcher(t.repos, t.clock).runDue();
    const last = receiver.requests.slice(-2).map((r) => body(r));
    expect(last.map((e) => e.type)).toEqual(['member.health.changed', 'member.health.changed']);
    expect(last.find((e) => (e.data.member as { memberId: string }).memberId === 'mod')?.data.member).toMatchObject({ thanksReceived: 1, displayName: 'mod', platform: 'test' });
  });

  it('a member who opts out and back in is news again', async () => {
    const t = await community();
    await t.core.crm.scanHealth();
    await t.command('maya', 'privacy', { analytics: 'off' });
    expect(await t.core.crm.scanHealth()).toBe(0);
    await t.command('maya', 'privacy', { analytics: 'on' });
    expect(await t.core.crm.scanHealth()).toBe(1);
  });
});

describe('restarts', () => {
  it('a restart between send and record sends the event again with the same id; once recorded, never again', async () => {
    const file = join(tempDir('hearth-webhooks-'), 'hearth.db');
    const clock = new ManualClock();
    const first = openDatabase(file);
    const t = harness({ database: first, clock, webhooks: true });
    await t.say('maya', 'hello');
    await t.command('maya', 'human', { reason: 'help' });
    // The process dies right after the receiver answered, before the outcome is written.
    const dying: Repositories = { ...t.repos, webhookEvents: { ...t.repos.webhookEvents, delivered: async () => { throw new Error('killed'); } } };
    await expect(dispatcher(dying, clock).runDue()).rejects.toThrow('killed');
    first.close();
    expect(receiver.requests).toHaveLength(1);

    const second = openDatabase(file);
    const repos = createRepositories(second);
    try {
      // The dead sender's lease still holds: nobody sends it meanwhile.
      clock.advance(MINUTE);
      expect(await dispatcher(repos, clock).runDue()).toMatchObject({ delivered: 0 });
      clock.advance(MINUTE);
      expect(await dispatcher(repos, clock).runDue()).toMatchObject({ delivered: 1 });
      clock.advance(10 * MINUTE);
      expect(await dispatcher(repos, clock).runDue()).toMatchObject({ delivered: 0 });
      expect(receiver.requests).toHaveLength(2);
      const [a, b] = receiver.requests;
      expect(b.headers['hearth-event-id']).toBe(a.headers['hearth-event-id']);
      expect(b.body).toBe(a.body);
      expect((await repos.webhookEvents.list(t.community))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      second.close();
    }
  });
});

describe('kill -9 mid-send', () => {
  it('a sender killed while its request is in flight loses nothing: the next run sends the same event id, once', async () => {
    const file = join(tempDir('hearth-webhooks-kill-'), 'hearth.db');
    const clock = new ManualClock();
    const database = openDatabase(file);
    const t = harness({ database, clock, webhooks: true });
    await t.say('maya', 'hello');
    await t.say('mod', 'hi maya');
    await t.command('maya', 'human', { reason: 'help' });
    expect(await t.core.crm.scanHealth()).toBe(2);
    database.close();

    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/webhook-sender-child.ts'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEARTH_DB_PATH: file, HEARTH_WEBHOOK_URL: receiver.url, HEARTH_WEBHOOK_SECRET: SECRET, HEARTH_TEST_NOW: String(clock.now()) },
      stdio: 'pipe',
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    // The second request reaches the receiver; the sender dies before any answer comes back.
    receiver.onRequest = async () => {
      if (receiver.requests.length === 2) {
        child.kill('SIGKILL');
        await exited;
      }
    };
    expect(await exited).toBe('SIGKILL');
    receiver.onRequest = undefined;
    const beforeRestart = receiver.requests.map((r) => r.headers['hearth-event-id'] as string);
    expect(beforeRestart).toHaveLength(2);

    const reopened = openDatabase(file);
    try {
      const repos = createRepositories(reopened);
      clock.advance(5 * MINUTE); // past the dead sender's lease
      const report = await dispatcher(repos, clock).runDue();
      expect(report.delivered).toBe(3 - 1); // the killed one again, and the one never tried
      clock.advance(30 * MINUTE);
      expect((await dispatcher(repos, clock).runDue()).delivered).toBe(0);
      const ids = receiver.requests.map((r) => r.headers['hearth-event-id'] as string);
      // Every event arrived; the only repeat is the one whose answer the killed sender never read.
      expect(new Set(ids).size).toBe(3);
      expect(ids.filter((id) => id === beforeRestart[1])).toHaveLength(2);
      expect(ids.filter((id) => id === beforeRestart[0])).toHaveLength(1);
      expect((await repos.webhookEvents.list(t.community)).every((e) => e.status === 'delivered')).toBe(true);
    } finally {
      reopened.close();
    }
  });
});
