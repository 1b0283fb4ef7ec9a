/** Test helpers: a harness whose companion talks to the local fake OpenAI server. */
import { OpenAiPort } from '../../src/ai/openai-client';
import { silentLogger } from '../../src/log';
import type { FakeOpenAiServer } from '../fakes/openai-server';
import { harness, type HarnessOptions } from '../helpers/harness';

export function aiPort(server: FakeOpenAiServer, options: { timeoutMs?: number; embeddingModel?: string; transcriptionModel?: string } = {}) {
  return new OpenAiPort({
    apiKey: 'sk-test',
    baseURL: server.baseURL,
    chatModel: 'test-chat',
    embeddingModel: options.embeddingModel,
    transcriptionModel: options.transcriptionModel ?? 'whisper-1',
    timeoutMs: options.timeoutMs ?? 5000,
    maxRetries: 0,
    log: silentLogger,
  });
}

export function aiHarness(server: FakeOpenAiServer, options: HarnessOptions & { timeoutMs?: number; embeddingModel?: string } = {}) {
  const { timeoutMs, embeddingModel, ...rest } = options;
  return harness({ ...rest, ai: aiPort(server, { timeoutMs, embeddingModel }) });
}

/** The user prompt of a recorded chat request. */
export function userPrompt(body: Record<string, any>): string {
  return (body.messages as { role: string; content: string }[]).filter((m) => m.role === 'user').map((m) => m.content).join('\n');
}
