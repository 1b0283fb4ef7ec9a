/**
 * The AI port over any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama,
 * llama.cpp, LM Studio) with the official SDK. Every failure becomes a typed result: a
 * timeout, a 5xx, a body that is not the documented shape or an empty answer never throws
 * into a feature. The whole call (retries included) is bounded by `timeoutMs`.
 */
import OpenAI, { toFile } from 'openai';
import type { Logger } from '../log';
import { aiFailure, type AiAudio, type AiChatMessage, type AiChatOptions, type AiInfo, type AiPort, type AiResult, type AiTranscribeOptions } from '../core/ai/port';

export interface OpenAiPortOptions {
  apiKey?: string;
  /** e.g. `http://127.0.0.1:11434/v1`; default: OpenAI. */
  baseURL?: string;
  chatModel: string;
  embeddingModel?: string;
  /** Audio transcription model (`whisper-1`, a local whisper server's model); none: no transcription. */
  transcriptionModel?: string;
  /** Deadline for one call, retries included. */
  timeoutMs: number;
  /** Deadline for one transcription (minutes of audio take longer than a chat answer); default `timeoutMs`. */
  transcriptionTimeoutMs?: number;
  /** Retries after a quick failure (5xx, reset) while the deadline allows; default 1. */
  maxRetries?: number;
  log: Logger;
}

/** Inputs per embeddings request (OpenAI accepts 2048; local servers are happier with fewer). */
const EMBED_BATCH = 64;

export class OpenAiPort implements AiPort {
  readonly info: AiInfo;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiPortOptions) {
    this.client = new OpenAI({
      // Local servers need no key, but the SDK refuses to start without one.
      apiKey: options.apiKey ?? 'no-key',
      baseURL: options.baseURL ?? 'https://api.openai.com/v1',
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries ?? 1,
    });
    this.info = {
      chat: true,
      embeddings: Boolean(options.embeddingModel),
      chatModel: options.chatModel,
      embeddingModel: options.embeddingModel,
      endpointHost: hostOf(options.baseURL ?? 'https://api.openai.com/v1'),
      transcription: Boolean(options.transcriptionModel),
      transcriptionModel: options.transcriptionModel,
    };
  }

  async chat(messages: AiChatMessage[], options: AiChatOptions = {}): Promise<AiResult<string>> {
    const first = await this.chatOnce(messages, options);
    // Some models (OpenAI reasoning models) only accept the default temperature: answer 400
    // once, then never send it again.
    if (!first.ok && first.detail === 'HTTP 400' && !this.omitTemperature) {
      this.omitTemperature = true;
      const second = await this.chatOnce(messages, options);
      if (!second.ok) this.omitTemperature = false;
      return second;
    }
    return first;
  }

  private omitTemperature = false;

  private async chatOnce(messages: AiChatMessage[], options: AiChatOptions): Promise<AiResult<string>> {
    const model = this.options.chatModel;
    const result = await this.call(options.purpose ?? 'chat', async (signal) => {
      const response: unknown = await this.client.chat.completions.create(
        {
          model,
          messages,
          ...(this.omitTemperature ? {} : { temperature: options.temperature ?? 0.2 }),
          ...(options.json ? { response_format: { type: 'json_object' as const } } : {}),
        },
        { signal },
      );
      if (!isObject(response) || !Array.isArray(response.choices)) return aiFailure('malformed', 'no choices array in the response');
      const first: unknown = response.choices[0];
      if (!isObject(first)) return aiFailure('empty', 'the response has no choices');
      // A choice cut by the content filter may carry a partial text: never pass it off as an answer.
      if (first.finish_reason === 'content_filter') return aiFailure('filtered', 'the answer was stopped by the content filter');
      const content = isObject(first.message) ? first.message.content : undefined;
      if (typeof content !== 'string' || !content.trim()) return aiFailure('empty', 'the first choice has no text');
      return { ok: true as const, value: content, model: typeof response.model === 'string' ? response.model : model };
    });
    return result;
  }

  async embed(texts: string[]): Promise<AiResult<number[][]>> {
    const model = this.options.embeddingModel;
    if (!model) return aiFailure('disabled', 'no embeddings model configured');
    if (texts.length === 0) return { ok: true, value: [], model };
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      const batch = texts.slice(start, start + EMBED_BATCH).map((t) => t || ' ');
      const result = await this.call('embed', async (signal) => {
        // `float` explicitly: the SDK would ask for base64, which some local servers lack.
        const response: unknown = await this.client.embeddings.create({ model, input: batch, encoding_format: 'float' }, { signal });
        return parseEmbeddings(response, batch.length, model);
      });
      if (!result.ok) return result;
      vectors.push(...result.value);
    }
    const dims = vectors[0]?.length;
    if (vectors.some((v) => v.length !== dims)) return aiFailure('malformed', 'vectors of different dimensions');
    return { ok: true, value: vectors, model };
  }

  async transcribe(audio: AiAudio, options: AiTranscribeOptions = {}): Promise<AiResult<string>> {
    const model = this.options.transcriptionModel;
    if (!model) return aiFailure('disabled', 'no transcription model configured');
    const timeoutMs = this.options.transcriptionTimeoutMs ?? this.options.timeoutMs;
    return this.call(
      'transcribe',
      async (signal) => {
        // A multipart upload; `json` is the one response format every compatible server has.
        const file = await toFile(audio.data, audio.filename, { type: audio.contentType });
        const response: unknown = await this.client.audio.transcriptions.create(
          { file, model, response_format: 'json', ...(options.language ? { language: options.language } : {}) },
          { signal, timeout: timeoutMs },
        );
        if (!isObject(response) || typeof response.text !== 'string') return aiFailure('malformed', 'no text in the transcription response');
        const text = response.text.trim();
        if (!text) return aiFailure('empty', 'the transcription is empty');
        return { ok: true as const, value: text, model };
      },
      timeoutMs,
    );
  }

  /** Run one SDK call under the overall deadline and turn every failure into a result. */
  private async call<T>(purpose: string, run: (signal: AbortSignal) => Promise<AiResult<T>>, timeoutMs = this.options.timeoutMs): Promise<AiResult<T>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    // The SDK sleeps for a Retry-After of any length without watching the signal: the
    // deadline itself ends the call, whatever the SDK is still waiting for.
    const deadline = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new OpenAI.APIUserAbortError()), { once: true }),
    );
    let result: AiResult<T>;
    try {
      const running = run(controller.signal);
      running.catch(() => undefined); // settles after the deadline: nobody is waiting any more
      result = await Promise.race([running, deadline]);
    } catch (error) {
      result = classifyError(error, controller.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
    if (!result.ok) this.options.log.warn({ purpose, reason: result.reason, detail: result.detail }, 'AI call failed; using the fallback');
    return result;
  }
}

function parseEmbeddings(response: unknown, expected: number, model: string): AiResult<number[][]> {
  if (!isObject(response) || !Array.isArray(response.data)) return aiFailure('malformed', 'no data array in the embeddings response');
  if (response.data.length !== expected) return aiFailure(response.data.length ? 'malformed' : 'empty', `expected ${expected} vectors, got ${response.data.length}`);
  const out: number[][] = new Array(expected);
  for (const [position, item] of response.data.entries()) {
    if (!isObject(item)) return aiFailure('malformed', 'an embeddings item is not an object');
    const index = typeof item.index === 'number' ? item.index : position;
    const vector = item.embedding;
    if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return aiFailure('malformed', 'an embedding is not a list of numbers');
    }
    if (index < 0 || index >= expected || out[index]) return aiFailure('malformed', 'embeddings indexes do not match the inputs');
    out[index] = vector as number[];
  }
  return { ok: true, value: out, model: typeof response.model === 'string' ? response.model : model };
}

function classifyError(error: unknown, deadlinePassed: boolean): { ok: false; reason: import('../core/ai/port').AiFailureReason; detail: string } {
  if (error instanceof OpenAI.APIConnectionTimeoutError || (deadlinePassed && error instanceof OpenAI.APIUserAbortError)) {
    return aiFailure('timeout', 'the AI endpoint did not answer in time');
  }
  if (deadlinePassed) return aiFailure('timeout', 'the AI endpoint did not answer in time');
  if (error instanceof OpenAI.APIConnectionError) return aiFailure('network', error.message);
  // Azure OpenAI rejects a filtered prompt with 400 `content_filter`: not a reason to retry without temperature.
  if (error instanceof OpenAI.APIError && error.code === 'content_filter') return aiFailure('filtered', `HTTP ${error.status ?? '?'} content_filter`);
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') return aiFailure('http_error', `HTTP ${error.status}`);
  if (error instanceof SyntaxError) return aiFailure('malformed', 'the response body is not JSON');
  return aiFailure('error', (error as Error)?.message ?? String(error));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
