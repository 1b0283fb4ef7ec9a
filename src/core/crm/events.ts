/**
 * What the CRM webhook sink is told, as durable events: a member's health record changed
 * (`member.health.changed`), and a request for a human was opened, claimed or resolved
 * (`human_request.*`). The core only queues them, each in the same transaction as the change
 * it reports (an escalation transition, the fingerprint of the record it sends), so a crash
 * never loses one and never queues one twice; src/crm/webhooks signs and delivers them.
 *
 * Privacy: nothing is queued about a member with analytics off, a forgotten member or a
 * bot; opting out (or forget-me) deletes what was queued about them; no message text, no
 * request reason and no note ever goes in an event.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CoreContext } from '../context';
import type { EscalationRow, MemberRow, RepositorySet } from '../storage';
import { isExportable, memberHealth, type MemberHealth } from '../health/member-health';

export const WEBHOOK_EVENT_TYPES = ['member.health.changed', 'human_request.opened', 'human_request.claimed', 'human_request.resolved'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type HumanRequestEventType = Extract<WebhookEventType, `human_request.${string}`>;

/** Every event's JSON body. Keys are stable: add fields, never rename them. */
export interface WebhookEnvelope<T> {
  /** The idempotency key (also the `Hearth-Event-Id` header): the same on every attempt. */
  id: string;
  type: WebhookEventType;
  /** When the change happened (ISO 8601, UTC); deliveries may arrive out of this order. */
  createdAt: string;
  communityId: string;
  platform: string;
  data: T;
}

export interface MemberHealthChanged {
  member: MemberHealth;
}

/** A request for a human as it stands after the change the event reports. */
export interface HumanRequestData {
  requestId: number;
  status: EscalationRow['status'];
  memberId: string;
  displayName: string;
  stakes: EscalationRow['stakes'];
  stakesClass: string;
  source: string;
  channelId: string;
  /** Requests merged into it (1: just the first). */
  requestCount: number;
  openedAt: string;
  claimedAt: string | null;
  claimedBy: string | null;
  claimedByName: string | null;
  timeToClaimMs: number | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolvedByName: string | null;
}

/** The sink name in `crm_sync` under which the last sent health fingerprints are kept. */
export const WEBHOOK_SINK = 'webhook';

/**
 * Queues the webhook sink's events. `enabled` is whether a webhook URL is configured: without
 * one nothing is queued (a queue nobody drains would only grow), but withdrawing a member
 * still deletes what an earlier run queued.
 */
export class CrmEvents {
  constructor(
    private readonly core: Pick<CoreContext, 'repos' | 'clock' | 'settings'>,
    readonly enabled: boolean,
  ) {}

  /**
   * A request for a human changed: `write` makes the change (returning the row, or undefined
   * when it did not happen) and the event is queued in the same transaction.
   */
  async humanRequest(
    type: HumanRequestEventType,
    write: (store: RepositorySet) => Promise<EscalationRow | undefined>,
  ): Promise<EscalationRow | undefined> {
    const { repos, clock } = this.core;
    if (!this.enabled) return write(repos);
    return repos.transaction(async (tx) => {
      const row = await write(tx);
      if (!row) return row;
      const requester = await tx.members.get(row.communityId, row.requesterId);
      if (!isExportable(requester)) return row;
      const platform = await platformOf(tx, row.communityId);
      const at = { 'human_request.opened': row.createdAt, 'human_request.claimed': row.claimedAt, 'human_request.resolved': row.resolvedAt }[type] ?? clock.now();
      const name = async (id: string | null) => (id ? nameIfExportable(await tx.members.get(row.communityId, id)) : null);
      const claimedByName = await name(row.claimedBy);
      const resolvedByName = await name(row.resolvedBy);
      const data: HumanRequestData = {
        requestId: row.id,
        status: row.status,
        memberId: row.requesterId,
        displayName: requester.name,
        stakes: row.stakes,
        stakesClass: row.stakesClass,
        source: row.source,
        channelId: row.channelId,
        requestCount: row.requestCount,
        openedAt: iso(row.createdAt),
        claimedAt: row.claimedAt == null ? null : iso(row.claimedAt),
        // A claimer who may not be named is left out, like a welcomer in the health record.
        claimedBy: claimedByName === null ? null : row.claimedBy,
        claimedByName,
        timeToClaimMs: row.claimedAt == null ? null : row.claimedAt - row.createdAt,
        resolvedAt: row.resolvedAt == null ? null : iso(row.resolvedAt),
        resolvedBy: resolvedByName === null ? null : row.resolvedBy,
        resolvedByName,
      };
      // Derived from the change itself: writing the same change again queues nothing new.
      const id = `evt_${createHash('sha256').update(`${row.communityId}\u0000${row.id}\u0000${type}`).digest('hex').slice(0, 32)}`;
      await tx.webhookEvents.enqueue(row.communityId, event({ id, type, createdAt: iso(at), communityId: row.communityId, platform, data }, row.requesterId, clock.now()));
      return row;
    });
  }

  /**
   * Queue `member.health.changed` for every member whose record changed since the last one
   * queued (and for every member on the first scan); returns how many were queued.
   * `lastActiveAt` alone is no change: a post is not news for a CRM.
   */
  async scanHealth(community: string): Promise<number> {
    if (!this.enabled) return 0;
    const { repos, clock } = this.core;
    const now = clock.now();
    const records = await memberHealth(this.core, community, { now });
    const sent = new Map((await repos.crmSync.list(community, WEBHOOK_SINK)).map((row) => [row.memberId, row.fingerprint]));
    const gone = new Set(sent.keys());
    const platform = await platformOf(repos, community);
    let queued = 0;
    for (const record of records) {
      const fingerprint = healthFingerprint(record);
      gone.delete(record.memberId);
      if (sent.get(record.memberId) === fingerprint) continue;
      const body = event<MemberHealthChanged>(
        { id: `evt_${randomUUID().replaceAll('-', '')}`, type: 'member.health.changed', createdAt: iso(now), communityId: community, platform, data: { member: record } },
        record.memberId,
        now,
      );
      // The event and the fingerprint it sends together: a crash leaves both or neither.
      await repos.transaction(async (tx) => {
        await tx.webhookEvents.enqueue(community, body);
        await tx.crmSync.put(community, WEBHOOK_SINK, record.memberId, { fingerprint, externalId: null, createdBySink: false }, now);
      });
      queued++;
    }
    // Members who have no record any more (opted out, forgotten, now a bot): a record after
    // they come back is news again.
    for (const memberId of gone) await repos.crmSync.remove(community, WEBHOOK_SINK, memberId);
    return queued;
  }

  /** Analytics off or forget-me: delete every event about the member, queued or sent. */
  async withdraw(community: string, memberId: string): Promise<number> {
    const { repos } = this.core;
    await repos.crmSync.remove(community, WEBHOOK_SINK, memberId);
    return repos.webhookEvents.deleteForMember(community, memberId);
  }
}

/** What decides "changed": the whole record but its last activity time. */
export function healthFingerprint(record: MemberHealth): string {
  const { lastActiveAt: _lastActiveAt, ...rest } = record;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

function event<T>(envelope: WebhookEnvelope<T>, memberId: string, at: number) {
  return { eventId: envelope.id, type: envelope.type, memberId, body: JSON.stringify(envelope), createdAt: at };
}

async function platformOf(store: Pick<RepositorySet, 'communities'>, community: string): Promise<string> {
  return (await store.communities.get(community))?.platform ?? community.split(':')[0];
}

const nameIfExportable = (member: MemberRow | undefined) => (isExportable(member) ? member.name : null);
const iso = (at: number) => new Date(at).toISOString();
