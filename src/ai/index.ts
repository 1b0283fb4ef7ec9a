/**
 * Builds the optional AI port from process config. AI is on only when HEARTH_AI is true
 * and an endpoint is configured (OPENAI_API_KEY and/or OPENAI_BASE_URL); otherwise the
 * companion runs on its offline fallbacks (extractive summaries, lexical risk flags).
 */
import type { Config } from '../config';
import type { AiPort } from '../core/ai/port';
import type { Logger } from '../log';
import { OpenAiPort } from './openai-client';

type AiConfig = Pick<
  Config,
  | 'HEARTH_AI'
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'OPENAI_CHAT_MODEL'
  | 'OPENAI_EMBEDDING_MODEL'
  | 'OPENAI_TIMEOUT_MS'
  | 'OPENAI_TRANSCRIPTION_MODEL'
  | 'OPENAI_TRANSCRIPTION_TIMEOUT_MS'
>;

export function aiConfigured(config: AiConfig): boolean {
  return config.HEARTH_AI && Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}

export function createAiPort(config: AiConfig, log: Logger, options: { maxRetries?: number } = {}): AiPort | undefined {
  if (!aiConfigured(config)) return undefined;
  return new OpenAiPort({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    chatModel: config.OPENAI_CHAT_MODEL,
    embeddingModel: config.OPENAI_EMBEDDING_MODEL,
    transcriptionModel: config.OPENAI_TRANSCRIPTION_MODEL === 'off' ? undefined : config.OPENAI_TRANSCRIPTION_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    transcriptionTimeoutMs: config.OPENAI_TRANSCRIPTION_TIMEOUT_MS,
    maxRetries: options.maxRetries,
    log: log.child({ component: 'ai' }),
  });
}

export { OpenAiPort } from './openai-client';
