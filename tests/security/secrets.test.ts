/**
 * Secrets never reach a log line: the adapters run against the fakes with a real pino logger
 * at debug level writing into memory, through normal work and through start-up failures, and
 * the real process is started with a Discord token and its stderr read.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiPort } from '../../src/ai/openai-client';
import { parseConfig } from '../../src/config';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { startDiscord } from '../../src/platforms/discord';
import { startSlack } from '../../src/platforms/slack';
import { discordCommunity, type DiscordCommunity } from '../discord/setup';
import { FakeDiscord } from '../fakes/discord/server';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { FakeSlack } from '../fakes/slack/server';
import { signedPost } from '../fakes/slack/signing';
import { logBuffer } from '../helpers/log-buffer';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';
import { IDS, SIGNING_SECRET, slackHarness, type SlackHarness } from '../slack/harness';

const root = resolve(import.meta.dirname, '../..');

function expectClean(text: string, secrets: string[]) {
  for (const secret of secrets) expect(text, `a log line contains ${secret.slice(0, 6)}…`).not.toContain(secret);
}

describe('the logger', () => {
  it('scrubs configured secret values from every line, in messages, fields and errors alike', () => {
    const token = 'xoxb-1234-very"secret';
    const logs = logBuffer('debug', [token, 'short']);
    logs.log.info(`connecting with ${token}`);
    logs.log.warn({ url: `https://x.test/?t=${token}`, nested: { value: token } }, 'odd place');
    logs.log.error({ err: new Error(`refused ${token}`) }, 'failed');
    logs.log.info({ token: 'abc' }, 'a short word is kept');
    expect(logs.lines).toHaveLength(4);
    expectClean(logs.text(), [token, JSON.stringify(token).slice(1, -1)]);
    expect(logs.text()).toContain('[redacted]');
    expect(logs.text()).toContain('a short word is kept');
  });

  it('scrubs interaction and webhook tokens from request URLs (discord.js puts them on its errors)', () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';
    const logs = logBuffer('debug');
    const err = Object.assign(new Error('Unknown Webhook'), { url: `https://discord.com/api/v10/webhooks/900000000000000001/${token}/messages/@original` });
    logs.log.error({ err }, 'discord interaction failed');
    logs.log.warn(`POST /interactions/1234567890123456789/${token}/callback failed`);
    expectClean(logs.text(), [token]);
    expect(logs.text()).toContain('/webhooks/900000000000000001/[redacted]/messages/@original');
  });
});

describe('Slack', () => {
  let t: SlackHarness | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each(['socket', 'http'] as const)('logs no token or signing secret at debug level (%s mode)', async (mode) => {
    const logs = logBuffer('debug');
    t = await slackHarness(mode, { log: logs.log });
    await t.join('U0NEW', 'newbie');
    await t.say(IDS.maya, 'How do I export my data?', { channel: IDS.help });
    const { responseId } = await t.command(IDS.maya, 'human', 'billing question');
    await t.eventually(() => expect(t!.fake.responses.find((r) => r.id === responseId)).toBeDefined());
    if (mode === 'http') {
      const forged = await signedPost(t.eventsUrl, JSON.stringify({ type: 'event_callback' }), 'application/json', { secret: 'wrong-secret' });
      expect(forged.status).toBe(401);
    }
    t.fake.fail('chat.postMessage', 'channel_not_found'); // an API error on the way
    await t.join('U0NEXT', 'next');
    await t.eventually(() => expect(logs.find('could not post the welcome').length).toBeGreaterThan(0));
    expect(logs.lines.length).toBeGreaterThan(10); // debug logging really was on
    expectClean(logs.text(), [t.fake.botToken, t.fake.appToken, SIGNING_SECRET]);
  });

  it('a refused token fails start-up without logging or throwing it', async () => {
    const fake = new FakeSlack();
    await fake.start();
    const logs = logBuffer('debug');
    const database = openDatabase(':memory:');
    const wrong = 'xoxb-wrong-secret-token';
    const config = parseConfig({ SLACK_BOT_TOKEN: wrong, SLACK_APP_TOKEN: fake.appToken, SLACK_MODE: 'socket', SLACK_API_URL: fake.apiUrl });
    const failure = await startSlack({ config, repos: createRepositories(database), log: logs.log, webApi: { retry: { retries: 0 }, timeoutMs: 2000 } }).then(
      () => undefined,
      (error: Error) => error,
    );
    await fake.close();
    database.close();
    expect(failure?.message).toMatch(/invalid_auth/);
    expectClean(`${failure?.message}\n${failure?.stack}\n${JSON.stringify(failure)}\n${logs.text()}`, [wrong, fake.appToken]);
  });
});

describe('Discord', () => {
  let d: DiscordCommunity | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });

  it('logs no token at debug level', async () => {
    const logs = logBuffer('debug');
    d = await discordCommunity();
    // A second adapter on the same fake with the logger under test.
    const database = openDatabase(':memory:');
    const config = parseConfig({ DISCORD_TOKEN: d.fake.token, DISCORD_APPLICATION_ID: d.fake.applicationId, DISCORD_API_URL: d.fake.apiUrl });
    const service = await startDiscord({ config, repos: createRepositories(database), log: logs.log }, { rest: { retries: 0, timeout: 2000, offset: 0 }, schedule: false });
    d.fake.memberJoins(d.newcomer);
    // Both adapters post the welcome (Discord keeps one message: the same bot, the same enforced nonce).
    await waitFor(() => d!.fake.requestsTo('POST', new RegExp(`/channels/${d!.general}/messages$`)).length >= 2, 'both adapters posted the welcome');
    d.fake.failNext('POST', /\/messages$/, 500, { message: 'boom', code: 0 });
    d.fake.memberPosts(d.maya, d.general, 'anyone around? I need a human please');
    await service.stop();
    database.close();
    expect(logs.lines.length).toBeGreaterThan(0);
    expectClean(logs.text(), [d.fake.token]);
  });

  it('a refused token fails start-up without logging or throwing it', async () => {
    const fake = await FakeDiscord.start();
    const logs = logBuffer('debug');
    const database = openDatabase(':memory:');
    const wrong = 'wrong.discord-secret-token';
    const config = parseConfig({ DISCORD_TOKEN: wrong, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    const failure = await startDiscord({ config, repos: createRepositories(database), log: logs.log }, { rest: { retries: 0, timeout: 2000, offset: 0 } }).then(
      () => undefined,
      (error: Error) => error,
    );
    await fake.close();
    database.close();
    expect(failure).toBeInstanceOf(Error);
    expectClean(`${failure?.message}\n${failure?.stack}\n${logs.text()}`, [wrong]);
  });
});

describe('OpenAI', () => {
  let server: FakeOpenAiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('logs no API key, even when the endpoint echoes it back in an error', async () => {
    server = await FakeOpenAiServer.start();
    const key = 'sk-live-very-secret-key-123';
    const logs = logBuffer('debug');
    const port = new OpenAiPort({ apiKey: key, baseURL: server.baseURL, chatModel: 'test-chat', timeoutMs: 2000, maxRetries: 0, log: logs.log });
    server.queueChat({ kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error' } } });
    const result = await port.chat([{ role: 'user', content: 'hello' }], { purpose: 'summary' });
    expect(result.ok).toBe(false);
    expect(logs.lines.length).toBeGreaterThan(0);
    expectClean(`${logs.text()}\n${JSON.stringify(result)}`, [key]);
  });
});

describe('the real process', () => {
  it('starts Discord after the shell modules are loaded, logs no token, and stops on SIGTERM', async () => {
    const fake = await FakeDiscord.start({
      guilds: [{ id: '100000000000000001', name: 'G', owner_id: '130000000000000001', channels: [{ id: '110000000000000001', type: 0, name: 'general' }], roles: [{ id: '100000000000000001', name: '@everyone', permissions: '0' }], members: [] }],
    });
    const dir = tempDir('hearth-secrets-');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HEARTH_DB_PATH: join(dir, 'hearth.db'),
      HEARTH_DASHBOARD_PORT: '0',
      HEARTH_LOG_LEVEL: 'debug',
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      OPENAI_API_KEY: 'sk-process-secret-456',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: 'pipe' });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await waitFor(() => stderr.includes('hearth is running') || stderr.includes('"level":50') || child.exitCode !== null, 'the process to start', 20_000);
      expect(stderr).toContain('discord connected');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      // The directory (and its database) is removed after the test: stop the process first.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await fake.close();
    }
    expectClean(stderr, [fake.token, 'sk-process-secret-456']);
  }, 30_000);
});
