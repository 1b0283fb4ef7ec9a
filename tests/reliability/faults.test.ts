/**
 * Faults from the platforms and the database: rate limits, server errors and timeouts are
 * retried (or given up on) without a duplicate post, a locked database makes a write wait
 * instead of failing, and a throwing feature or command never stops an adapter.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands';
import { defineCommand } from '../../commands/define';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { SLACK_WEB_API_POLICY } from '../../src/platforms/slack/app';
import { isTimeout } from '../../src/platforms/slack/errors';
import { discordCommunity, type DiscordCommunity } from '../discord/setup';
import { logBuffer } from '../helpers/log-buffer';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';
import { IDS, slackHarness, type SlackHarness } from '../slack/harness';

/** Fast backoff for tests; production uses SLACK_WEB_API_POLICY. */
const FAST = { retry: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 }, timeoutMs: 2000 };

const broken = defineCommand({
  name: 'broken',
  description: 'Always throws (a bug in a command).',
  options: [],
  access: 'everyone',
  async run() {
    throw new Error('bug in a command');
  },
});

describe('Slack Web API faults', () => {
  let t: SlackHarness | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const welcomes = (h: SlackHarness) => h.fake.callsTo('chat.postMessage').filter((m) => String(m.text).includes('Welcome'));

  it('has a bounded production policy: a few retries with backoff and a per-attempt timeout', () => {
    expect(SLACK_WEB_API_POLICY.timeoutMs).toBeGreaterThan(0);
    expect(SLACK_WEB_API_POLICY.timeoutMs).toBeLessThanOrEqual(30_000);
    expect(SLACK_WEB_API_POLICY.retry.retries).toBeGreaterThan(0);
    expect(SLACK_WEB_API_POLICY.retry.retries).toBeLessThanOrEqual(5);
    expect(SLACK_WEB_API_POLICY.retry.factor).toBeGreaterThan(1);
    expect(isTimeout(Object.assign(new Error('A request error occurred'), { original: new DOMException('timed out', 'TimeoutError') }))).toBe(true);
    expect(isTimeout(new Error('An HTTP protocol error occurred: statusCode = 503'))).toBe(false);
  });

  it('waits out a 429 for its Retry-After, then posts once', async () => {
    t = await slackHarness('socket', { webApi: FAST });
    t.fake.failHttpNext('chat.postMessage', 429, { 'retry-after': '1' });
    const started = Date.now();
    await t.join('U0NEW', 'newbie');
    await t.eventually(() => expect(welcomes(t!)).toHaveLength(1), 8000);
    const attempts = t.fake.statuses.filter((s) => s.method === 'chat.postMessage');
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 second was honoured
    expect(welcomes(t)).toHaveLength(1);
  });

  it('retries a 5xx with backoff and posts once', async () => {
    t = await slackHarness('socket', { webApi: FAST });
    t.fake.failHttpNext('chat.postMessage', 503);
    t.fake.failHttpNext('chat.postMessage', 500);
    await t.join('U0NEW', 'newbie');
    await t.eventually(() => expect(welcomes(t!)).toHaveLength(1));
    expect(t.fake.statuses.filter((s) => s.method === 'chat.postMessage').map((s) => s.status)).toEqual([503, 500, 200]);
  });

  it('gives up on a timed-out post instead of posting twice, and keeps serving the workspace', async () => {
    const logs = logBuffer('info');
    t = await slackHarness('socket', { webApi: { ...FAST, timeoutMs: 200 }, log: logs.log });
    // Slack receives the post but its answer never comes back in time.
    const release = t.fake.hold('chat.postMessage');
    await t.join('U0NEW', 'newbie');
    await t.eventually(() => expect(logs.find('could not post the welcome')).toHaveLength(1));
    release(); // Slack "acts" on the held request now, as it may have in reality
    await t.eventually(() => expect(t!.fake.statuses.filter((s) => s.method === 'chat.postMessage')).toHaveLength(1));
    // The next newcomer is welcomed as usual: the community's queue was not stuck.
    await t.join('U0NEXT', 'next');
    await t.eventually(() => expect(welcomes(t!).map((m) => String(m.text))).toEqual([expect.stringContaining('<@U0NEW>'), expect.stringContaining('<@U0NEXT>')]));
    expect(welcomes(t).filter((m) => String(m.text).includes('<@U0NEW>'))).toHaveLength(1);
  });

  it('a throwing feature or command never stops the adapter', async () => {
    const logs = logBuffer('info');
    t = await slackHarness('http', { commands: [...commands, broken], log: logs.log });
    const related = t.service.companion.core.features.related;
    const spy = vi.spyOn(related, 'onEvent').mockRejectedValueOnce(new Error('bug in a feature'));
    const first = await t.say(IDS.maya, 'How do I export my data?');
    await t.eventually(() => expect(logs.find('feature failed on event')).toHaveLength(1));
    expect(await t.repos.messages.get(t.community, t.id(IDS.general, first))).toBeDefined(); // recorded all the same
    const { responseId } = await t.command(IDS.maya, 'broken', '');
    await t.eventually(() => expect(t!.fake.responses.find((r) => r.id === responseId)?.body.text).toContain('Something went wrong on my side'));
    expect(logs.find('command failed')).toHaveLength(1);
    // The next event and command are served as usual.
    const second = await t.say(IDS.maya, 'Is there an export limit?');
    await t.eventually(async () => expect(await t!.repos.messages.get(t!.community, t!.id(IDS.general, second))).toBeDefined());
    expect(spy).toHaveBeenCalledTimes(2);
    const care = await t.command(IDS.maya, 'care-policy', '');
    await t.eventually(() => expect(t!.fake.responses.find((r) => r.id === care.responseId)?.body.text).toBeTruthy());
  });
});

describe('Discord REST faults', () => {
  let d: DiscordCommunity | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });

  it('retries a 5xx on a message post without posting twice', async () => {
    d = await discordCommunity({ rest: { retries: 2, timeout: 2000, offset: 0 } });
    const route = new RegExp(`^/channels/${d.general}/messages$`);
    d.fake.failNext('POST', route, 502, { message: 'Bad Gateway', code: 0 });
    d.fake.memberJoins(d.newcomer);
    await waitFor(() => d!.fake.messagesIn(d!.general)[0], 'the welcome after the 502');
    expect(d.fake.requestsTo('POST', route).map((r) => r.status)).toEqual([502, 200]);
    expect(d.fake.messagesIn(d.general)).toHaveLength(1);
  });

  it('retries a timed-out post with the same enforced nonce, so Discord keeps one message', async () => {
    d = await discordCommunity({ rest: { retries: 2, timeout: 300, offset: 0 } });
    const route = new RegExp(`^/channels/${d.general}/messages$`);
    d.fake.stallNext('POST', route); // Discord creates the message, the answer is lost
    d.fake.memberJoins(d.newcomer);
    await waitFor(() => d!.fake.requestsTo('POST', route).find((r) => r.status === 200 && d!.fake.requestsTo('POST', route).length === 2), 'the retried post');
    const [first, second] = d.fake.requestsTo('POST', route);
    expect(first.body.enforce_nonce).toBe(true);
    expect(second.body.nonce).toBe(first.body.nonce);
    expect(d.fake.messagesIn(d.general)).toHaveLength(1);
  });

  it('a throwing command or feature never stops the adapter', async () => {
    d = await discordCommunity({ commands: [...commands, broken] });
    vi.spyOn(d.service.companion.core.features.related, 'onEvent').mockRejectedValueOnce(new Error('bug in a feature'));
    const first = d.fake.memberPosts(d.maya, d.general, 'How do I export my data?');
    const token = d.fake.slashCommand(d.maya, d.general, 'broken');
    const reply = await waitFor(() => d!.fake.interactionCalls(token).find((c) => JSON.stringify(c.body ?? {}).includes('Something went wrong')), 'the apology');
    expect(reply).toBeDefined();
    expect(await d.repos.messages.get(d.community, first.id)).toBeDefined();
    d.fake.memberJoins(d.newcomer);
    await waitFor(() => d!.fake.messagesIn(d!.general)[0], 'the welcome after the failures');
  });
});

describe('SQLite busy', () => {
  it('configures a busy timeout on every connection', () => {
    const handle = openDatabase(':memory:');
    expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    handle.close();
  });

  it("waits for another connection's write lock instead of failing, and loses neither write", async () => {
    const path = join(tempDir('hearth-busy-'), 'hearth.db');
    const handle = openDatabase(path);
    const repos = createRepositories(handle);
    await repos.communities.ensure('test:c1', 'test', 'C1', 0);
    // Another process (an import CLI next to the bot) holds the write lock. better-sqlite3 is
    // synchronous, so the holder lives on another thread: it commits as soon as we signal
    // that our write is starting (no timer decides anything).
    const holder = lockHolder(path);
    await holder.locked;
    const impatient = new Database(path);
    impatient.pragma('busy_timeout = 0');
    expect(() => impatient.prepare("insert into settings (community_id, key, value, updated_at) values ('test:c1', 'x', '1', 0)").run()).toThrow(/locked|busy/i);
    impatient.close();

    holder.release();
    await repos.settings.set('test:c1', 'digestDay', 1, 0); // waits on busy_timeout, then writes
    await holder.done;
    expect(await repos.settings.all('test:c1')).toEqual({ digestDay: 1, welcomeMode: 'dm' });
    handle.close();
  });
});

/**
 * A second connection on a worker thread: BEGIN IMMEDIATE + an insert, then COMMIT once the
 * shared flag is set. The flag is set synchronously just before our write runs.
 */
function lockHolder(path: string) {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require('better-sqlite3');
     const db = new Database(workerData.path);
     db.exec('BEGIN IMMEDIATE');
     db.prepare("insert into settings (community_id, key, value, updated_at) values ('test:c1', 'welcomeMode', ?, 0)").run(JSON.stringify('dm'));
     parentPort.postMessage('locked');
     Atomics.wait(workerData.flag, 0, 0);
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage('committed');`,
    { eval: true, workerData: { path, flag } },
  );
  const messages = (wanted: string) => new Promise<void>((resolve, reject) => {
    worker.on('message', (m) => m === wanted && resolve());
    worker.on('error', reject);
  });
  const locked = messages('locked');
  const done = messages('committed').then(() => worker.terminate()).then(() => undefined);
  return {
    locked,
    done,
    release() {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    },
  };
}
