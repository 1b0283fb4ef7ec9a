/**
 * What the CRM webhook sink is told, as durable events: a person's health record changed
 * (`member.health.changed`; one record for a person's accounts across the group's
 * communities, src/core/identity), a person must be deleted (`member.deleted`: an account
 * opted out or was forgotten, or the record the receiver holds no longer stands as it was),
 * and a request for a human was opened, claimed or resolved (`human_request.*`). The core only queues them, each in the same transaction as the change
 * it reports (an escalation transition, the fingerprint of the record it sends), so a crash
 * never loses one and never queues one twice; src/crm/webhooks signs and delivers them.
 *
 * Privacy: nothing is queued about a person one of whose accounts has analytics off, was
 * forgotten or is a bot; opting out (or forget-me) deletes what was queued about them and,
 * when the receiver may hold something, queues `member.deleted` with ids only; no message
 * text, no request reason and no note ever goes in an event.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CoreContext } from '../context';
import type { CrmSyncRow, EscalationRow, MemberRow, RepositorySet, WebhookEventRow } from '../storage';
import { isExportable, type MemberHealth } from '../health/member-health';
import { peopleHealth } from '../health/people';
import { accountKey, isExportablePerson, personOf, type Person } from '../identity';

export const WEBHOOK_EVENT_TYPES = ['member.health.changed', 'member.deleted', 'human_request.opened', 'human_request.claimed', 'human_request.resolved'] as const;
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

/** Delete what you hold about this person: ids only. */
export interface MemberDeleted {
  /** The `personId` of the record to delete. */
  personId: string;
  /** The accounts (`community/member`) that record covered, sorted. */
  accounts: string[];
}

/** A request for a human as it stands after the change the event reports. */
export interface HumanRequestData {
  requestId: number;
  status: EscalationRow['status'];
  memberId: string;
  /** The requester's person (the `personId` of their health record). */
  personId: string;
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

/**
 * The sink name in `crm_sync` under which the last sent health fingerprints are kept: one row
 * per account of a person sent, its `externalId` the person's id.
 */
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
      const person = await personOf(tx, row.communityId, row.requesterId);
      if (!isExportable(requester) || !person || !isExportablePerson(person)) return row;
      const platform = await platformOf(tx, row.communityId);
      const at = { 'human_request.opened': row.createdAt, 'human_request.claimed': row.claimedAt, 'human_request.resolved': row.resolvedAt }[type] ?? clock.now();
      const name = async (id: string | null) => (id ? nameIfExportable(await tx.members.get(row.communityId, id)) : null);
      const claimedByName = await name(row.claimedBy);
      const resolvedByName = await name(row.resolvedBy);
      const data: HumanRequestData = {
        requestId: row.id,
        status: row.status,
        memberId: row.requesterId,
        personId: person.id,
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
   * Queue `member.health.changed` for every person whose record changed since the last one
   * queued (and for every person on the first scan), across every community of the store;
   * returns how many were queued. `lastActiveAt` alone is no change: a post is not news for a
   * CRM. A record sent before that no longer stands as it was (its person withheld, merged
   * into another or split) is deleted first (`member.deleted`), then sent again as it is now.
   */
  async scanHealth(): Promise<number> {
    if (!this.enabled) return 0;
    const { repos, clock } = this.core;
    const now = clock.now();
    const current = await peopleHealth(this.core, { now });
    const byId = new Map(current.map((p) => [p.person.id, p]));
    const sent = new Map<string, CrmSyncRow[]>();
    for (const community of await repos.communities.list()) {
      for (const row of await repos.crmSync.list(community.id, WEBHOOK_SINK)) {
        if (row.externalId === null) continue;
        sent.set(row.externalId, [...(sent.get(row.externalId) ?? []), row]);
      }
    }
    const fresh = new Set<string>();
    for (const [personId, rows] of sent) {
      const standing = byId.get(personId);
      if (standing && sameAccounts(rows, standing.person)) continue;
      await repos.transaction(async (tx) => {
        await this.queueDeleted(tx, personId, rows.map(accountKey));
        for (const row of rows) await tx.crmSync.remove(row.communityId, WEBHOOK_SINK, row.memberId);
      });
      fresh.add(personId);
    }
    let queued = 0;
    for (const { person, record } of current) {
      const fingerprint = healthFingerprint(record);
      const previous = fresh.has(person.id) ? undefined : sent.get(person.id);
      if (previous?.every((row) => row.fingerprint === fingerprint)) continue;
      const [communityId, memberId] = [person.accounts.find((a) => accountKey(a) === person.id)!.communityId, person.id.slice(person.id.indexOf('/') + 1)];
      const body = event<MemberHealthChanged>(
        { id: `evt_${randomUUID().replaceAll('-', '')}`, type: 'member.health.changed', createdAt: iso(now), communityId: record.communityId, platform: record.platform, data: { member: record } },
        memberId,
        now,
      );
      // The event and the fingerprints it sends together: a crash leaves both or neither.
      await repos.transaction(async (tx) => {
        await tx.webhookEvents.enqueue(communityId, body);
        for (const account of person.accounts) await tx.crmSync.put(account.communityId, WEBHOOK_SINK, account.id, { fingerprint, externalId: person.id, createdBySink: false }, now);
      });
      queued++;
    }
    return queued;
  }

  /**
   * Forget-me: events about other members that name this one (as claimer, resolver or
   * welcomer), queued or sent, are stored again without them (`sendableBody`). Returns how many.
   */
  async forgetNamed(community: string): Promise<number> {
    const { repos } = this.core;
    let rewritten = 0;
    for (const event of await repos.webhookEvents.list(community)) {
      // A body that is not JSON is never sent (the dispatcher fails it): nothing to rewrite.
      const body = await sendableBody(repos, event).catch(() => event.body);
      if (body === event.body) continue;
      await repos.webhookEvents.setBody(community, event.id, body);
      rewritten++;
    }
    return rewritten;
  }

  /**
   * Analytics off or forget-me on one account (after `IdentityService.pin`): delete every
   * event about its person, queued or sent, and when the receiver may hold something about
   * them, queue `member.deleted` (ids only). Returns how many events were deleted.
   */
  async withdraw(community: string, memberId: string): Promise<number> {
    const { repos } = this.core;
    const person = await personOf(repos, community, memberId);
    const accounts = person?.accounts.map((a) => ({ communityId: a.communityId, memberId: a.id })) ?? [{ communityId: community, memberId }];
    return repos.transaction(async (tx) => {
      let deleted = 0;
      const records = new Map<string, string[]>();
      for (const account of accounts) {
        deleted += await tx.webhookEvents.deleteForMember(account.communityId, account.memberId);
        const row = (await tx.crmSync.list(account.communityId, WEBHOOK_SINK)).find((r) => r.memberId === account.memberId);
        if (!row) continue;
        if (row.externalId !== null) records.set(row.externalId, [...(records.get(row.externalId) ?? []), accountKey(row)]);
        await tx.crmSync.remove(account.communityId, WEBHOOK_SINK, account.memberId);
      }
      // Only a request for a human was ever queued about them: that event named the person.
      if (records.size === 0 && deleted > 0 && person) records.set(person.id, accounts.map(accountKey));
      for (const [personId, keys] of records) await this.queueDeleted(tx, personId, keys);
      return deleted;
    });
  }

  /** Queue `member.deleted` (when webhooks are on); not tied to a member, so no withdrawal deletes it. */
  private async queueDeleted(tx: RepositorySet, personId: string, accounts: string[]): Promise<void> {
    const { clock } = this.core;
    if (!this.enabled) return;
    const communityId = personId.slice(0, personId.indexOf('/'));
    const now = clock.now();
    const data: MemberDeleted = { personId, accounts: [...accounts].sort() };
    const body = event<MemberDeleted>({ id: `evt_${randomUUID().replaceAll('-', '')}`, type: 'member.deleted', createdAt: iso(now), communityId, platform: await platformOf(tx, communityId), data }, null, now);
    await tx.webhookEvents.enqueue(communityId, body);
  }
}

/**
 * An event's body as it may be sent now (the dispatcher asks right before each attempt): a
 * claimer, resolver or welcomer it names who has since turned analytics off or been
 * forgotten is left out, as `humanRequest` and the health record leave out one who already
 * had when the event was queued. Otherwise the body as queued, byte for byte.
 */
export async function sendableBody(store: Pick<RepositorySet, 'members'>, event: Pick<WebhookEventRow, 'body'>): Promise<string> {
  let envelope: WebhookEnvelope<Record<string, unknown>>;
  try {
    envelope = JSON.parse(event.body) as WebhookEnvelope<Record<string, unknown>>;
  } catch {
    // Not a body Hearth wrote (edited by hand?): it cannot be checked, so it is never sent.
    throw new Error(`webhook event ${event.body.length ? 'body is not JSON' : 'has an empty body'}: not sent`);
  }
  // Whom an event names besides its member: [where, id field, name field, their community].
  const named: Array<[Record<string, unknown>, string, string, string]> = [];
  if (envelope.type.startsWith('human_request.')) {
    named.push([envelope.data, 'claimedBy', 'claimedByName', envelope.communityId], [envelope.data, 'resolvedBy', 'resolvedByName', envelope.communityId]);
  } else if (envelope.type === 'member.health.changed') {
    const member = envelope.data.member as Record<string, unknown>;
    named.push([member, 'welcomedBy', 'welcomedByName', String(member.communityId)]);
  }
  let changed = false;
  for (const [object, idField, nameField, community] of named) {
    const id = object[idField];
    if (typeof id !== 'string' || isExportable(await store.members.get(community, id))) continue;
    object[idField] = null;
    object[nameField] = null;
    changed = true;
  }
  return changed ? JSON.stringify(envelope) : event.body;
}

/** The rows sent for a person cover exactly its accounts now. */
function sameAccounts(rows: CrmSyncRow[], person: Person): boolean {
  const keys = new Set(rows.map(accountKey));
  return keys.size === person.accounts.length && person.accounts.every((a) => keys.has(accountKey(a)));
}

/** What decides "changed": the whole record but its last activity time. */
export function healthFingerprint(record: MemberHealth): string {
  const { lastActiveAt: _lastActiveAt, ...rest } = record;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

function event<T>(envelope: WebhookEnvelope<T>, memberId: string | null, at: number) {
  return { eventId: envelope.id, type: envelope.type, memberId, body: JSON.stringify(envelope), createdAt: at };
}

async function platformOf(store: Pick<RepositorySet, 'communities'>, community: string): Promise<string> {
  return (await store.communities.get(community))?.platform ?? community.split(':')[0];
}

const nameIfExportable = (member: MemberRow | undefined) => (isExportable(member) ? member.name : null);
const iso = (at: number) => new Date(at).toISOString();
