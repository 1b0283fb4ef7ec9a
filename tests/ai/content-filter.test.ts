import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiPort } from '../../src/ai/openai-client';
import { silentLogger } from '../../src/log';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiHarness } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

const port = () => new OpenAiPort({ apiKey: 'sk-test', baseURL: server.baseURL, chatModel: 'chat-model', timeoutMs: 5000, maxRetries: 0, log: silentLogger });

/** A 200 answer whose only choice was cut by the provider's content filter. */
const filtered = (content: string | null) => ({
  kind: 'status' as const,
  status: 200,
  body: {
    id: 'chatcmpl-f',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'chat-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'content_filter' }],
  },
});

describe('content filters', () => {
  it('a choice stopped by the content filter is a failure, not a (partial) answer', async () => {
    server.queueChat(filtered('Voici la premi'));
    const result = await port().chat([{ role: 'user', content: 'translate this' }]);
    expect(result).toMatchObject({ ok: false, reason: 'filtered' });
  });

  it('a translation cut by the content filter is reported unavailable, never shown as the translation', async () => {
    const t = aiHarness(server);
    const id = await t.say('maya', 'Hola a todos, ¿alguien sabe cómo exportar los datos del proyecto?');
    server.queueChat(filtered('Hello everyone, does anyone'));
    const reply = await t.command('sam', 'translate', { message: id, language: 'English' });
    expect(reply.label).toBeUndefined();
    expect(reply.text).toMatch(/Translation is unavailable/);
  });

  it('a prompt rejected by the content filter (HTTP 400, Azure) is not sent a second time', async () => {
    server.queueChat({ kind: 'status', status: 400, body: { error: { message: 'The response was filtered due to the prompt triggering the content management policy.', type: null, param: 'prompt', code: 'content_filter', status: 400 } } });
    const result = await port().chat([{ role: 'user', content: 'x' }]);
    expect(result).toMatchObject({ ok: false, reason: 'filtered' });
    expect(server.chatRequests()).toHaveLength(1);
  });
});
