import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiPort } from '../../src/ai/openai-client';
import { silentLogger } from '../../src/log';
import { FakeOpenAiServer } from '../fakes/openai-server';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

describe('the deadline holds against a long Retry-After', () => {
  it('a 429 asking to retry in an hour ends as a timeout at the deadline, not an hour later', { timeout: 10_000 }, async () => {
    server.queueChat({ kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } });
    const ai = new OpenAiPort({ apiKey: 'sk-test', baseURL: server.baseURL, chatModel: 'chat-model', timeoutMs: 300, maxRetries: 1, log: silentLogger });
    const result = await ai.chat([{ role: 'user', content: 'hi' }]);
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('embeddings too', { timeout: 10_000 }, async () => {
    server.queueEmbeddings({ kind: 'status', status: 429, headers: { 'retry-after-ms': '3600000' } });
    const ai = new OpenAiPort({ apiKey: 'sk-test', baseURL: server.baseURL, chatModel: 'chat-model', embeddingModel: 'e', timeoutMs: 300, maxRetries: 1, log: silentLogger });
    expect(await ai.embed(['x'])).toMatchObject({ ok: false, reason: 'timeout' });
  });
});
