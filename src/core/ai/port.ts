/**
 * The AI port: what the core may ask of a language model, in core terms. The only
 * implementation talks to an OpenAI-compatible endpoint (src/ai/openai-client.ts); the core
 * never imports the SDK. AI is optional: `core.ai` is undefined when it is not configured,
 * and every call returns a result instead of throwing, so a feature always has a fallback.
 */

export interface AiChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface AiChatOptions {
  /** Ask for a JSON object (`response_format: {type: 'json_object'}`). */
  json?: boolean;
  /** 0..2; low by default: summaries and classifications should not be creative. */
  temperature?: number;
  /** What the call is for, for logs only (`summarize`, `risk`, ...). Never content. */
  purpose?: string;
}

/** Why a call produced no usable output. Features treat every reason the same: fall back. */
export type AiFailureReason =
  | 'disabled' // not configured (no endpoint, HEARTH_AI=false, or no embeddings model)
  | 'timeout' // no answer within OPENAI_TIMEOUT_MS
  | 'http_error' // the endpoint answered 4xx / 5xx
  | 'network' // connection refused, reset, DNS
  | 'malformed' // the body was not the documented JSON shape (or the model's JSON was invalid)
  | 'empty' // no choices / empty content / no vectors
  | 'filtered' // the provider's content filter rejected the prompt or cut the answer
  | 'error'; // anything else

export type AiResult<T> =
  | { ok: true; value: T; model: string }
  | { ok: false; reason: AiFailureReason; detail: string };

/** Public facts about the configured AI (for the care policy and availability checks). */
export interface AiInfo {
  /** Chat completions are configured (summaries, drafts, translation, risk classification). */
  chat: boolean;
  /** An embeddings model is configured (hybrid related-discussion ranking). */
  embeddings: boolean;
  chatModel?: string;
  embeddingModel?: string;
  /** Host of the endpoint (`api.openai.com`, `127.0.0.1:11434`): where text is sent. */
  endpointHost?: string;
  /** Audio transcription is configured (voice messages and audio clips). */
  transcription?: boolean;
  transcriptionModel?: string;
}

/** One audio clip to transcribe: its bytes as downloaded, never stored. */
export interface AiAudio {
  data: Buffer;
  filename: string;
  contentType: string;
}

export interface AiTranscribeOptions {
  /** ISO-639-1 hint (`pt`, `en`): improves accuracy when the community's language is known. */
  language?: string;
}

export interface AiPort {
  readonly info: AiInfo;
  /** A chat completion; the value is the first choice's text (non-empty). */
  chat(messages: AiChatMessage[], options?: AiChatOptions): Promise<AiResult<string>>;
  /** One vector per input text, in order (all of the same dimension). */
  embed(texts: string[]): Promise<AiResult<number[][]>>;
  /** The words spoken in a clip (OpenAI's audio transcription API); optional capability. */
  transcribe?(audio: AiAudio, options?: AiTranscribeOptions): Promise<AiResult<string>>;
}

export function aiFailure(reason: AiFailureReason, detail: string): { ok: false; reason: AiFailureReason; detail: string } {
  return { ok: false, reason, detail };
}

/** Is chat available on this (optional) port? */
export function canChat(ai: AiPort | undefined): ai is AiPort {
  return Boolean(ai?.info.chat);
}

/** Are embeddings available on this (optional) port? */
export function canEmbed(ai: AiPort | undefined): ai is AiPort {
  return Boolean(ai?.info.embeddings);
}

/** Is audio transcription available on this (optional) port? */
export function canTranscribe(ai: AiPort | undefined): ai is AiPort & Required<Pick<AiPort, 'transcribe'>> {
  return Boolean(ai?.info.transcription && ai.transcribe);
}
