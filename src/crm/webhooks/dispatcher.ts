/**
 * Delivers the webhook outbox (the `webhook_events` rows the core queues) to
 * HEARTH_WEBHOOK_URL: one signed POST per event, oldest due first.
 *
 * Delivery is at-least-once. An event is claimed with a lease before it is sent and marked
 * delivered only after a 2xx answer; a process that dies in between (request sent, answer not
 * recorded) sends it again once the lease runs out, with the same body and the same event id,
 * which receivers use to drop the repeat. An event recorded as delivered is never sent again.
 * A failed attempt (network error, timeout, any non-2xx) is retried with exponential backoff
 * (Retry-After honoured), capped, up to a number of attempts; then it is marked failed and kept.
 *
 * Privacy: right before each attempt the person the event is about is checked again (every
 * account of theirs, src/core/identity); when one opted out or was forgotten meanwhile, the
 * event's member has their events deleted instead of sent, and a claimer, resolver or welcomer
 * it names who may no longer be named is left out of what is sent (core/crm/events.ts).
 */
import type { Clock } from '../../core/clock';
import { MINUTE, HOUR } from '../../core/clock';
import { sendableBody } from '../../core/crm/events';
import { isExportablePerson, personOf } from '../../core/identity';
import type { Repositories, WebhookEventRow } from '../../core/storage';
import type { Logger } from '../../log';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature';

export interface WebhookDispatcherOptions {
  repos: Repositories;
  clock: Clock;
  log: Logger;
  url: string;
  secret: string;
  /** Per request; a slower receiver counts as a failed attempt. */
  timeoutMs?: number;
  /** Attempts before an event is marked failed (default 12: the last about 12 hours after the first, with the defaults). */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles it, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed event is held; past it, a dead sender's event is sent again. */
  leaseMs?: number;
  fetch?: typeof fetch;
}

export interface DispatchReport {
  delivered: number;
  retried: number;
  failed: number;
  /** Deleted unsent: their member opted out or was forgotten. */
  dropped: number;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, maxAttempts: 12, baseDelayMs: MINUTE / 2, maxDelayMs: 4 * HOUR, leaseMs: 2 * MINUTE };

/** The delay before attempt `attempts + 1`: base · 2^(attempts-1), capped. */
export function backoffDelay(attempts: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

export class WebhookDispatcher {
  private readonly options: Required<Omit<WebhookDispatcherOptions, 'fetch'>> & { fetch: typeof fetch };
  private running: Promise<DispatchReport> | undefined;

  constructor(options: WebhookDispatcherOptions) {
    this.options = { ...WEBHOOK_DEFAULTS, fetch: globalThis.fetch, ...options };
  }

  /** Send every event due now; a call while one runs waits for it (no overlapping sends). */
  runDue(): Promise<DispatchReport> {
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<DispatchReport> {
    const { repos, clock, leaseMs } = this.options;
    const report: DispatchReport = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
    for (;;) {
      const due = await repos.webhookEvents.due(clock.now());
      let progressed = false;
      for (const event of due) {
        if (!(await repos.webhookEvents.claim(event.id, clock.now(), clock.now() + leaseMs))) continue;
        progressed = true;
        await this.attempt({ ...event, attempts: event.attempts + 1 }, report);
      }
      if (!progressed) return report;
    }
  }

  private async attempt(event: WebhookEventRow, report: DispatchReport): Promise<void> {
    const { repos, clock, log, maxAttempts, baseDelayMs, maxDelayMs } = this.options;
    const person = event.memberId === null ? undefined : await personOf(repos, event.communityId, event.memberId);
    if (event.memberId !== null && (!person || !isExportablePerson(person))) {
      report.dropped += await repos.webhookEvents.deleteForMember(event.communityId, event.memberId);
      return;
    }
    // Whom else it names is checked again too (left out when they may no longer be named). A
    // body that cannot be checked is never sent: failed, and the drain goes on.
    let body: string;
    try {
      body = await sendableBody(repos, event);
    } catch (error) {
      await repos.webhookEvents.fail(event.id, (error as Error).message, clock.now());
      log.error({ err: error, event: event.eventId }, 'webhook event not sent: its body cannot be checked');
      report.failed++;
      return;
    }
    const outcome = await this.post({ ...event, body });
    if (outcome.ok) {
      await repos.webhookEvents.delivered(event.id, clock.now());
      report.delivered++;
      return;
    }
    if (event.attempts >= maxAttempts) {
      await repos.webhookEvents.fail(event.id, outcome.error, clock.now());
      log.error({ event: event.eventId, type: event.type, attempts: event.attempts, error: outcome.error }, 'webhook event failed for good');
      report.failed++;
      return;
    }
    const delay = Math.max(backoffDelay(event.attempts, baseDelayMs, maxDelayMs), Math.min(outcome.retryAfterMs ?? 0, maxDelayMs));
    await repos.webhookEvents.retry(event.id, clock.now() + delay, outcome.error);
    log.warn({ event: event.eventId, type: event.type, attempts: event.attempts, retryInMs: delay, error: outcome.error }, 'webhook delivery failed; will retry');
    report.retried++;
  }

  private async post(event: WebhookEventRow): Promise<{ ok: true } | { ok: false; error: string; retryAfterMs?: number }> {
    const { url, secret, clock, timeoutMs } = this.options;
    const timestamp = Math.floor(clock.now() / 1000);
    try {
      const response = await this.options.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Hearth-Webhooks/1',
          [EVENT_ID_HEADER]: event.eventId,
          [EVENT_TYPE_HEADER]: event.type,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, event.body),
        },
        body: event.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not read for anything, but it must be consumed to free the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, error: `HTTP ${response.status}`, retryAfterMs: retryAfter(response.headers.get('retry-after'), clock.now()) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, error: (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
