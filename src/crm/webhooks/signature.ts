/**
 * Webhook signatures, Slack's and Stripe's scheme: HMAC-SHA256 with the shared secret over
 * `<timestamp>.<raw body>`, the timestamp (Unix seconds) in its own header. Signing the time
 * with the body lets a receiver refuse a replayed request; each attempt is signed afresh.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'hearth-signature';
export const TIMESTAMP_HEADER = 'hearth-timestamp';
/** The event's idempotency key: the same on every attempt of one event. */
export const EVENT_ID_HEADER = 'hearth-event-id';
export const EVENT_TYPE_HEADER = 'hearth-event-type';

/** How far a timestamp may be from the receiver's clock (Slack and Stripe use 5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyInput {
  secret: string;
  /** The raw body, byte for byte as received (not re-serialised JSON). */
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  /** The receiver's time, epoch milliseconds. */
  now: number;
  toleranceSeconds?: number;
}

/** The receiver's check (the README's snippet does the same): a valid signature on a fresh timestamp. */
export function verifyWebhook({ secret, body, timestamp, signature, now, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS }: VerifyInput): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
