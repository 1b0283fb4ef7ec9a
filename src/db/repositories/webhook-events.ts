import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import { webhookEvents } from '../schema';
import type { NewWebhookEvent, WebhookEventRow, WebhookEventStatus, WebhookEventsRepository } from '../../core/storage';

/** The webhook sink's durable outbox (see the `webhook_events` table). */
export function webhookEventsRepo(db: Db): WebhookEventsRepository {
  return {
    async enqueue(community: string, event: NewWebhookEvent): Promise<boolean> {
      return db
        .insert(webhookEvents)
        .values({ communityId: community, ...event, nextAttemptAt: event.createdAt })
        .onConflictDoNothing()
        .run().changes > 0;
    },
    async due(now: number, limit = 50): Promise<WebhookEventRow[]> {
      return db
        .select()
        .from(webhookEvents)
        .where(
          or(
            and(eq(webhookEvents.status, 'pending'), lte(webhookEvents.nextAttemptAt, now)),
            and(eq(webhookEvents.status, 'sending'), lte(webhookEvents.leaseUntil, now)),
          ),
        )
        .orderBy(asc(webhookEvents.nextAttemptAt), asc(webhookEvents.id))
        .limit(limit)
        .all();
    },
    async claim(id: number, at: number, leaseUntil: number): Promise<boolean> {
      return (
        db
          .update(webhookEvents)
          .set({ status: 'sending', leaseUntil, attempts: sql`${webhookEvents.attempts} + 1` })
          .where(
            and(
              eq(webhookEvents.id, id),
              or(eq(webhookEvents.status, 'pending'), and(eq(webhookEvents.status, 'sending'), lte(webhookEvents.leaseUntil, at))),
            ),
          )
          .run().changes > 0
      );
    },
    async delivered(id: number, at: number): Promise<void> {
      db.update(webhookEvents).set({ status: 'delivered', leaseUntil: null, deliveredAt: at, lastError: null }).where(eq(webhookEvents.id, id)).run();
    },
    async retry(id: number, nextAttemptAt: number, error: string): Promise<void> {
      db.update(webhookEvents)
        .set({ status: 'pending', leaseUntil: null, nextAttemptAt, lastError: error.slice(0, 500) })
        .where(and(eq(webhookEvents.id, id), eq(webhookEvents.status, 'sending')))
        .run();
    },
    async fail(id: number, error: string, _at: number): Promise<void> {
      db.update(webhookEvents).set({ status: 'failed', leaseUntil: null, lastError: error.slice(0, 500) }).where(eq(webhookEvents.id, id)).run();
    },
    async deleteForMember(community: string, memberId: string): Promise<number> {
      return db.delete(webhookEvents).where(and(eq(webhookEvents.communityId, community), eq(webhookEvents.memberId, memberId))).run().changes;
    },
    async setBody(community: string, id: number, body: string): Promise<void> {
      db.update(webhookEvents).set({ body }).where(and(eq(webhookEvents.communityId, community), eq(webhookEvents.id, id))).run();
    },
    async get(community: string, eventId: string): Promise<WebhookEventRow | undefined> {
      return db.select().from(webhookEvents).where(and(eq(webhookEvents.communityId, community), eq(webhookEvents.eventId, eventId))).get();
    },
    async list(community: string, options: { status?: WebhookEventStatus[] } = {}): Promise<WebhookEventRow[]> {
      return db
        .select()
        .from(webhookEvents)
        .where(and(eq(webhookEvents.communityId, community), options.status ? inArray(webhookEvents.status, options.status) : undefined))
        .orderBy(asc(webhookEvents.id))
        .all();
    },
  };
}
