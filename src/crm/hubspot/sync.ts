/**
 * The HubSpot contact sync: every person (src/core/identity: accounts with the same email or
 * linked) with an email and analytics on becomes (or updates) one HubSpot contact, upserted by
 * email through the official client, with Hearth's fields as contact properties in a
 * "Hearth" property group created on the first run.
 *
 * - Batches of 100 (HubSpot's batch limit), paced under HubSpot's burst limit (100 requests
 *   per 10 seconds for the smallest private-app tier), and a 429 waits for its Retry-After.
 *   A longer wait (or repeated failures) ends the run: the next one resumes where it stopped.
 * - Resumable: a cursor in the database (checkpoint `hubspot:sync`) holds the last email
 *   done in the current pass; each contact's last sent properties (a fingerprint) and its
 *   HubSpot id are kept per member (`crm_sync`), so unchanged contacts are not sent again.
 * - Privacy: the records come from the core's `peopleHealth`, which the export and the
 *   webhooks read too: a person is left out when any of their accounts has analytics off, was
 *   forgotten or is a bot. A person sent before who is withheld now is removed on the next
 *   sync, before anything else: a contact Hearth created is archived (HubSpot's delete); a
 *   contact that was already in HubSpot (upsert found it) has Hearth's properties emptied
 *   instead, since it is not ours.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@hubspot/api-client';
import type { Clock } from '../../core/clock';
import { peopleHealth } from '../../core/health/people';
import { SettingsService } from '../../core/settings';
import type { AccountRef, CrmSyncRow, Repositories } from '../../core/storage';
import type { Logger } from '../../log';
import { CLEARED, contactProperties, GROUP, PROPERTIES } from './properties';

export const HUBSPOT_SINK = 'hubspot';
const CHECKPOINT = 'hubspot:sync';
/** Changes when the property list does: the next run checks HubSpot's properties again. */
const SCHEMA_VERSION = createHash('sha256').update(JSON.stringify([GROUP, PROPERTIES])).digest('hex').slice(0, 16);

interface Cursor {
  schema: string | null;
  /** The last email upserted in the pass under way (null: the next run starts a pass). */
  after: string | null;
  /** HubSpot asked to wait until then (epoch ms). */
  notBefore: number | null;
}

export interface HubSpotSyncOptions {
  repos: Repositories;
  clock: Clock;
  log: Logger;
  client: Client;
  batchSize?: number;
  /** At most this many requests per `windowMs` (HubSpot: 100 per 10 s for the smallest tier). */
  requestsPerWindow?: number;
  windowMs?: number;
  /** A 429 asking for a longer wait than this ends the run instead of waiting in it. */
  maxWaitMs?: number;
  /** Attempts per request (429s and server errors). */
  maxAttempts?: number;
  /** Waits go through here (tests move a manual clock instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
}

export interface SyncReport {
  upserted: number;
  /** Of those, contacts HubSpot did not have. */
  created: number;
  unchanged: number;
  /** Refused by HubSpot in a partial batch failure (sent again next run). */
  failed: number;
  archived: number;
  cleared: number;
  /** Set when the run stopped early: HubSpot asked to wait until then, or kept failing. */
  stoppedUntil?: number;
}

class StopRun extends Error {
  constructor(
    readonly until: number,
    message: string,
  ) {
    super(message);
  }
}

interface Contact {
  email: string;
  properties: Record<string, string>;
  fingerprint: string;
  /** The person's accounts (all of them, email or not). */
  members: AccountRef[];
}

export class HubSpotSync {
  private readonly options: Required<HubSpotSyncOptions>;
  private readonly sent: number[] = [];
  private running: Promise<SyncReport> | undefined;

  constructor(options: HubSpotSyncOptions) {
    this.options = {
      batchSize: 100,
      requestsPerWindow: 90,
      windowMs: 10_000,
      maxWaitMs: 60_000,
      maxAttempts: 5,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /** One sync run (a call while one runs waits for it). */
  run(): Promise<SyncReport> {
    this.running ??= this.runNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runNow(): Promise<SyncReport> {
    const { repos, clock, log } = this.options;
    const report: SyncReport = { upserted: 0, created: 0, unchanged: 0, failed: 0, archived: 0, cleared: 0 };
    const cursor: Cursor = { schema: null, after: null, notBefore: null, ...(await repos.checkpoints.get<Cursor>(CHECKPOINT)) };
    if (cursor.notBefore !== null && cursor.notBefore > clock.now()) return { ...report, stoppedUntil: cursor.notBefore };
    cursor.notBefore = null;
    const save = () => repos.checkpoints.put(CHECKPOINT, cursor, clock.now());
    try {
      if (cursor.schema !== SCHEMA_VERSION) {
        await this.ensureProperties();
        cursor.schema = SCHEMA_VERSION;
        await save();
      }
      const { contacts, synced } = await this.collect();
      await this.withdraw(contacts, synced, report);
      const pending: Contact[] = [];
      for (const contact of contacts.values()) {
        if (cursor.after !== null && contact.email <= cursor.after) continue;
        const same = contact.members.every((m) => synced.get(key(m.communityId, m.memberId))?.fingerprint === contact.fingerprint);
        if (same) report.unchanged++;
        else pending.push(contact);
      }
      for (let i = 0; i < pending.length; i += this.options.batchSize) {
        const batch = pending.slice(i, i + this.options.batchSize);
        await this.upsert(batch, synced, report);
        cursor.after = batch[batch.length - 1].email;
        await save();
      }
      cursor.after = null; // the pass is complete: the next run starts from the first email
      await save();
    } catch (error) {
      if (!(error instanceof StopRun)) throw error;
      cursor.notBefore = error.until;
      await save();
      log.warn({ until: new Date(error.until).toISOString(), reason: error.message }, 'HubSpot sync paused; the next run resumes where it stopped');
      report.stoppedUntil = error.until;
    }
    log.info({ ...report }, 'HubSpot sync run');
    return report;
  }

  /** The "Hearth" group and every property, created when missing (first run, or new fields). */
  private async ensureProperties(): Promise<void> {
    const { client } = this.options;
    const groups = await this.call(() => client.crm.properties.groupsApi.getAll('contacts'));
    if (!groups.results.some((g) => g.name === GROUP.name)) await this.call(() => client.crm.properties.groupsApi.create('contacts', { ...GROUP }));
    const existing = new Set((await this.call(() => client.crm.properties.coreApi.getAll('contacts'))).results.map((p) => p.name));
    const missing = PROPERTIES.filter((p) => !existing.has(p.name));
    for (let i = 0; i < missing.length; i += this.options.batchSize) {
      const inputs = missing.slice(i, i + this.options.batchSize) as Parameters<Client['crm']['properties']['batchApi']['create']>[1]['inputs'];
      await this.call(() => client.crm.properties.batchApi.create('contacts', { inputs }));
    }
  }

  /**
   * Every exportable person (src/core/health/people.ts: one whose every account may leave
   * Hearth) with an email, one contact each; and what was sent before. A person's accounts
   * (the same email, or linked) are one contact under the smallest of their emails.
   */
  private async collect(): Promise<{ contacts: Map<string, Contact>; synced: Map<string, CrmSyncRow> }> {
    const { repos, clock } = this.options;
    const core = { repos, settings: new SettingsService(repos) };
    const contacts = new Map<string, Contact>();
    for (const { person, record } of await peopleHealth(core, { now: clock.now() })) {
      const email = person.accounts.map((a) => a.email?.trim().toLowerCase()).filter((e): e is string => Boolean(e)).sort()[0];
      if (!email) continue; // HubSpot contacts are keyed by email: a person without one cannot be sent
      const properties = contactProperties(email, record);
      const members = person.accounts.map((a) => ({ communityId: a.communityId, memberId: a.id }));
      contacts.set(email, { email, properties, fingerprint: createHash('sha256').update(JSON.stringify(properties)).digest('hex'), members });
    }
    const synced = new Map<string, CrmSyncRow>();
    for (const community of await repos.communities.list()) {
      for (const row of await repos.crmSync.list(community.id, HUBSPOT_SINK)) synced.set(key(row.communityId, row.memberId), row);
    }
    return { contacts: new Map([...contacts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), synced };
  }

  /**
   * Accounts sent before that may no longer be (the person withheld: an account opted out or
   * was forgotten, or gone): archive the contacts Hearth created, empty Hearth's fields on the
   * others. A contact still holding an account that stays is re-sent without the others.
   */
  private async withdraw(contacts: Map<string, Contact>, synced: Map<string, CrmSyncRow>, report: SyncReport): Promise<void> {
    const current = new Set([...contacts.values()].flatMap((c) => c.members.map((m) => key(m.communityId, m.memberId))));
    const gone = [...synced.values()].filter((row) => !current.has(key(row.communityId, row.memberId)));
    if (gone.length === 0) return;
    const kept = new Set([...synced.values()].filter((row) => current.has(key(row.communityId, row.memberId))).map((row) => row.externalId));
    await this.retire(gone, kept, report);
  }

  /**
   * Remove `rows` from `crm_sync` and take Hearth's data out of their contacts, except the
   * contacts in `kept` (still holding someone): archived when Hearth created them, emptied of
   * Hearth's properties when they were in HubSpot before.
   */
  private async retire(rows: CrmSyncRow[], kept: Set<string | null>, report: SyncReport): Promise<void> {
    const { repos } = this.options;
    const remove = async (rows: CrmSyncRow[]) => {
      for (const row of rows) await repos.crmSync.remove(row.communityId, HUBSPOT_SINK, row.memberId);
    };
    await remove(rows.filter((row) => row.externalId === null || kept.has(row.externalId)));
    await this.retireContacts(
      rows.filter((row) => row.externalId !== null && !kept.has(row.externalId)),
      kept,
      report,
      remove,
    );
  }

  /** Take Hearth's data out of the contacts of `rows` not in `kept`; `done` runs after each batch with its rows. */
  private async retireContacts(rows: CrmSyncRow[], kept: Set<string | null>, report: SyncReport, done: (rows: CrmSyncRow[]) => Promise<void> = async () => {}): Promise<void> {
    const { client } = this.options;
    const byContact = new Map<string, CrmSyncRow[]>();
    for (const row of rows) if (row.externalId !== null && !kept.has(row.externalId)) byContact.set(row.externalId, [...(byContact.get(row.externalId) ?? []), row]);
    const entries = [...byContact.entries()];
    const archive = entries.filter(([, rows]) => rows.some((r) => r.createdBySink));
    const clear = entries.filter(([, rows]) => !rows.some((r) => r.createdBySink));
    for (let i = 0; i < archive.length; i += this.options.batchSize) {
      const batch = archive.slice(i, i + this.options.batchSize);
      await this.call(() => client.crm.contacts.batchApi.archive({ inputs: batch.map(([id]) => ({ id })) }));
      await done(batch.flatMap(([, rows]) => rows));
      report.archived += batch.length;
    }
    for (let i = 0; i < clear.length; i += this.options.batchSize) {
      const batch = clear.slice(i, i + this.options.batchSize);
      await this.call(() => client.crm.contacts.batchApi.update({ inputs: batch.map(([id]) => ({ id, properties: CLEARED })) }));
      await done(batch.flatMap(([, rows]) => rows));
      report.cleared += batch.length;
    }
  }

  /**
   * Upsert one batch and record it. An account whose contact changed (its person's email did:
   * a new link, an account gone) leaves its old contact; once nobody of Hearth's is in that
   * contact any more, Hearth's data is taken out of it as for a withdrawn member.
   */
  private async upsert(batch: Contact[], synced: Map<string, CrmSyncRow>, report: SyncReport): Promise<void> {
    const { client, repos, clock, log } = this.options;
    const answer = await this.call(() =>
      client.crm.contacts.batchApi.upsert({ inputs: batch.map((c) => ({ idProperty: 'email', id: c.email, properties: c.properties })) }),
    );
    const byEmail = new Map(answer.results.map((r) => [String(r.properties.email ?? '').toLowerCase(), r]));
    const left: CrmSyncRow[] = [];
    for (const contact of batch) {
      const result = byEmail.get(contact.email);
      if (!result) {
        report.failed++;
        continue;
      }
      const before = contact.members.map((m) => synced.get(key(m.communityId, m.memberId))).filter((r): r is CrmSyncRow => r !== undefined);
      // Hearth made it when this upsert did, or when an earlier one for these accounts did.
      const createdBySink = result._new || before.some((r) => r.externalId === result.id && r.createdBySink);
      const rows = await repos.transaction(async (tx) => {
        const written: CrmSyncRow[] = [];
        for (const m of contact.members) {
          const values = { fingerprint: contact.fingerprint, externalId: result.id, createdBySink };
          await tx.crmSync.put(m.communityId, HUBSPOT_SINK, m.memberId, values, clock.now());
          written.push({ communityId: m.communityId, sink: HUBSPOT_SINK, memberId: m.memberId, ...values, syncedAt: clock.now() });
        }
        return written;
      });
      for (const row of rows) synced.set(key(row.communityId, row.memberId), row);
      left.push(...before.filter((r) => r.externalId !== null && r.externalId !== result.id));
      report.upserted++;
      if (result._new) report.created++;
    }
    if (left.length) {
      const kept = new Set([...synced.values()].map((r) => r.externalId));
      await this.retireContacts(left, kept, report);
    }
    const errors = 'errors' in answer ? (answer.errors ?? []) : [];
    // Never the emails themselves in logs: HubSpot's messages may quote them.
    if (errors.length) {
      const refused = batch.filter((c) => !byEmail.has(c.email)).length;
      log.warn({ refused, categories: [...new Set(errors.map((e) => e.category))] }, 'HubSpot refused part of a batch; those contacts are sent again next run');
    }
  }

  /** One request: paced, a 429 waits for Retry-After, server errors back off; past the limits the run stops. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    const { clock, sleep, maxAttempts, maxWaitMs, requestsPerWindow, windowMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      while (this.sent.length && this.sent[0] <= clock.now() - windowMs) this.sent.shift();
      if (this.sent.length >= requestsPerWindow) await sleep(this.sent[0] + windowMs - clock.now());
      this.sent.push(clock.now());
      try {
        return await request();
      } catch (error) {
        const status = (error as { code?: number }).code;
        const retryable = status === 429 || (typeof status === 'number' && status >= 500);
        if (!retryable) throw error;
        const headers = (error as { headers?: Record<string, string> }).headers ?? {};
        const wait = status === 429 ? retryAfterMs(headers['retry-after']) ?? windowMs : 1000 * 2 ** (attempt - 1);
        if (attempt >= maxAttempts || wait > maxWaitMs) throw new StopRun(clock.now() + wait, `HTTP ${status} after ${attempt} attempt(s)`);
        await sleep(wait);
      }
    }
  }
}

const key = (community: string, member: string) => `${community}\u0000${member}`;

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
