import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAiPort } from '../../src/ai';
import { OpenAiPort } from '../../src/ai/openai-client';
import { parseConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { FakeOpenAiServer } from '../fakes/openai-server';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

const port = (extra: Partial<ConstructorParameters<typeof OpenAiPort>[0]> = {}) =>
  new OpenAiPort({ apiKey: 'sk-test', baseURL: server.baseURL, chatModel: 'chat-model', embeddingModel: 'embed-model', timeoutMs: 5000, maxRetries: 0, log: silentLogger, ...extra });

describe('the OpenAI-compatible client', () => {
  it('sends the documented chat request (model, messages, JSON response format, bearer key)', async () => {
    server.queueChat({ kind: 'chat', content: '{"points":[]}' });
    const result = await port().chat([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], { json: true });
    expect(result).toEqual({ ok: true, value: '{"points":[]}', model: 'chat-model' });
    const [request] = server.chatRequests();
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({
      model: 'chat-model',
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }],
      response_format: { type: 'json_object' },
    });
  });

  it('omits the JSON response format for plain text calls', async () => {
    await port().chat([{ role: 'user', content: 'hi' }]);
    expect(server.chatRequests()[0].body.response_format).toBeUndefined();
  });

  it('sends the documented embeddings request and returns vectors in input order', async () => {
    server.queueEmbeddings({ kind: 'embeddings', vectors: [[1, 0], [0, 1]] });
    const result = await port().embed(['first', 'second']);
    expect(result).toEqual({ ok: true, value: [[1, 0], [0, 1]], model: 'embed-model' });
    expect(server.embeddingRequests()[0].body).toEqual({ model: 'embed-model', input: ['first', 'second'], encoding_format: 'float' });
  });

  it('turns a hanging endpoint into a timeout result, within the deadline', async () => {
    server.queueChat({ kind: 'hang' });
    const started = performance.now();
    const result = await port({ timeoutMs: 200 }).chat([{ role: 'user', content: 'hi' }]);
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('turns 500, malformed bodies and empty choices into typed failures, never throws', async () => {
    server.queueChat({ kind: 'status', status: 500 }, { kind: 'malformed' }, { kind: 'empty' });
    expect(await port().chat([{ role: 'user', content: 'a' }])).toMatchObject({ ok: false, reason: 'http_error', detail: 'HTTP 500' });
    expect(await port().chat([{ role: 'user', content: 'b' }])).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await port().chat([{ role: 'user', content: 'c' }])).toMatchObject({ ok: false, reason: 'empty' });
    server.queueEmbeddings({ kind: 'status', status: 503 }, { kind: 'embeddings', vectors: [[1, 2]] });
    expect(await port().embed(['x'])).toMatchObject({ ok: false, reason: 'http_error' });
    expect(await port().embed(['x', 'y'])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('retries a quick 5xx once when retries are allowed', async () => {
    server.queueChat({ kind: 'status', status: 502 }, { kind: 'chat', content: 'second try' });
    const result = await port({ maxRetries: 1, timeoutMs: 5000 }).chat([{ role: 'user', content: 'hi' }]);
    expect(result).toMatchObject({ ok: true, value: 'second try' });
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('drops the temperature for models that reject it (HTTP 400), once and for all', async () => {
    server.queueChat({ kind: 'status', status: 400, body: { error: { message: "Unsupported value: 'temperature'", type: 'invalid_request_error' } } });
    const ai = port();
    expect(await ai.chat([{ role: 'user', content: 'a' }])).toMatchObject({ ok: true });
    expect(await ai.chat([{ role: 'user', content: 'b' }])).toMatchObject({ ok: true });
    const [first, second, third] = server.chatRequests();
    expect(first.body.temperature).toBe(0.2);
    expect(second.body).not.toHaveProperty('temperature');
    expect(third.body).not.toHaveProperty('temperature');
  });

  it('reports a refused connection as a network failure', async () => {
    const url = server.baseURL;
    await server.close();
    server = await FakeOpenAiServer.start();
    const result = await port({ baseURL: url }).chat([{ role: 'user', content: 'hi' }]);
    expect(result.ok).toBe(false);
    expect(['network', 'timeout']).toContain(!result.ok && result.reason);
  });

  it('is off unless HEARTH_AI is true and a key or base URL is set; embeddings only with a model', () => {
    expect(createAiPort(parseConfig({}), silentLogger)).toBeUndefined();
    expect(createAiPort(parseConfig({ OPENAI_API_KEY: 'k', HEARTH_AI: 'false' }), silentLogger)).toBeUndefined();
    const local = createAiPort(parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }), silentLogger);
    expect(local?.info).toMatchObject({ chat: true, embeddings: false, chatModel: 'gpt-4o-mini', endpointHost: '127.0.0.1:11434' });
    const withEmbeddings = createAiPort(parseConfig({ OPENAI_API_KEY: 'k', OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small' }), silentLogger);
    expect(withEmbeddings?.info).toMatchObject({ embeddings: true, endpointHost: 'api.openai.com' });
  });
});

describe('audio transcription', () => {
  const clip = { data: Buffer.from('the deploy failed again'), filename: 'voice-message.ogg', contentType: 'audio/ogg' };

  it('uploads the clip as multipart with the model and language hint, and returns the text', async () => {
    const result = await port({ transcriptionModel: 'whisper-1' }).transcribe(clip, { language: 'en' });
    expect(result).toEqual({ ok: true, value: 'the deploy failed again', model: 'whisper-1' });
    const [request] = server.transcriptionRequests();
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({ model: 'whisper-1', language: 'en', response_format: 'json', file: { name: 'voice-message.ogg', type: 'audio/ogg', size: clip.data.length } });
  });

  it('is off without a transcription model, and turns failures into typed results', async () => {
    expect(port().info.transcription).toBe(false);
    expect(await port().transcribe(clip)).toMatchObject({ ok: false, reason: 'disabled' });
    expect(server.transcriptionRequests()).toHaveLength(0);
    server.queueTranscriptions({ kind: 'status', status: 413 }, { kind: 'empty' }, { kind: 'hang' });
    const ai = port({ transcriptionModel: 'whisper-1', transcriptionTimeoutMs: 200 });
    expect(await ai.transcribe(clip)).toMatchObject({ ok: false, reason: 'http_error', detail: 'HTTP 413' });
    expect(await ai.transcribe(clip)).toMatchObject({ ok: false, reason: 'empty' });
    expect(await ai.transcribe(clip)).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('is configured from OPENAI_TRANSCRIPTION_MODEL (whisper-1 by default, off to disable)', () => {
    expect(createAiPort(parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' }), silentLogger)?.info).toMatchObject({ transcription: true, transcriptionModel: 'whisper-1' });
    expect(createAiPort(parseConfig({ OPENAI_API_KEY: 'k', OPENAI_TRANSCRIPTION_MODEL: 'off' }), silentLogger)?.info.transcription).toBe(false);
  });
});
