/** Reading a model's JSON answer: untrusted, sometimes fenced, sometimes not JSON at all. */
import type { z } from 'zod';
import { aiFailure, type AiResult } from './port';

export function parseModelJson<T>(raw: AiResult<string>, schema: z.ZodType<T>): AiResult<T> {
  if (!raw.ok) return raw;
  const body = raw.value.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return aiFailure('malformed', 'the model did not answer with JSON');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) return aiFailure('malformed', `the model's JSON has the wrong shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { ok: true, value: parsed.data, model: raw.model };
}
