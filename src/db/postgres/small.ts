/**
 * The PostgreSQL repositories with little to them: one statement per method, what the
 * SQLite ones (../repositories/*.ts) do, in PostgreSQL's dialect. Shared decisions live in
 * ../rules.ts.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lt, lte, or, sql } from 'drizzle-orm';
import type {
  CheckpointsRepository,
  CommunitiesRepository,
  CompanionPostsRepository,
  CrmSyncRepository,
  DeliveriesRepository,
  EmbeddingsRepository,
  EscalationsRepository,
  OutboxRepository,
  PulseWeekRow,
  PulseWeeksRepository,
  SameHereRepository,
  SettingsRepository,
  StoredVector,
  TaskRow,
  TasksRepository,
  WebhookEventsRepository,
} from '../../core/storage';
import { attemptsOnClaim, byDue, errorText, stepHeld, discussedTextBefore, escalationStepTask, openEscalationOf, startsWith, takeOverWhen, unfinishedDelivery, watermarkKey } from '../rules';
import type { BatchScope } from '../repositories/batch-cache';
import type { PgDb } from './connection';
import { checkpoints, communities, companionPosts, crmSync, deliveries, embeddings, escalations, messages, outbox, pulseWeeks, sameHere, scheduledTasks, settings, webhookEvents } from './schema';
import { once, UNNAMED } from './prepared';

/** Rows a write touched (node-postgres reports null for statements that count nothing). */
const changed = (result: { rowCount: number | null }): number => result.rowCount ?? 0;

/** `known`: communities already written (every event ensures its own; they are never deleted). */
export function communitiesRepo(db: PgDb, known: Set<string>): CommunitiesRepository {
  return {
    async ensure(id, platform, name, at) {
      if (known.has(id)) return;
      await db.insert(communities).values({ id, platform, name, createdAt: at }).onConflictDoNothing();
      known.add(id);
    },
    get: async (id) => (await db.select().from(communities).where(eq(communities.id, id)))[0],
    listByPlatform: (platform) => db.select().from(communities).where(eq(communities.platform, platform)),
    list: () => db.select().from(communities).orderBy(asc(communities.id)),
  };
}

export function settingsRepo(db: PgDb): SettingsRepository {
  return {
    async all(community) {
      const rows = await db.select().from(settings).where(eq(settings.communityId, community));
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },
    async set(community, key, value, at, by) {
      const values = { value: sql`${JSON.stringify(value)}::jsonb`, updatedAt: at, updatedBy: by ?? null };
      await db
        .insert(settings)
        .values({ communityId: community, key, ...values })
        .onConflictDoUpdate({ target: [settings.communityId, settings.key], set: values });
    },
    async unset(community, key) {
      await db.delete(settings).where(and(eq(settings.communityId, community), eq(settings.key, key)));
    },
  };
}

export function escalationsRepo(db: PgDb): EscalationsRepository {
  const byId = (community: string, id: number) => and(eq(escalations.communityId, community), eq(escalations.id, id));
  return {
    create: async (community, values) => (await db.insert(escalations).values({ communityId: community, ...values }).returning())[0],
    createWithSteps: (community, values, steps) =>
      db.transaction(async (tx) => {
        const [row] = await tx.insert(escalations).values({ communityId: community, ...values }).returning();
        for (const step of steps) await tx.insert(scheduledTasks).values(escalationStepTask(community, row.id, step, values.createdAt)).onConflictDoNothing();
        return row;
      }),
    get: async (community, id) => (await db.select().from(escalations).where(byId(community, id)))[0],
    update: async (community, id, values) => (await db.update(escalations).set(values).where(byId(community, id)).returning())[0],
    transition: async (community, id, from, values) =>
      (await db.update(escalations).set(values).where(and(byId(community, id), inArray(escalations.status, from))).returning())[0],
    findOpenFor: async (community, requesterId, channelId) =>
      (await db.select().from(escalations).where(openEscalationOf(escalations, community, requesterId, channelId)).orderBy(desc(escalations.createdAt), desc(escalations.id)).limit(1))[0],
    clearReasonsOf: async (community, requesterId) =>
      changed(
        await db
          .update(escalations)
          .set({ reason: null, latestReason: null, resolutionNote: null })
          .where(and(eq(escalations.communityId, community), eq(escalations.requesterId, requesterId))),
      ),
    async purgeTextBefore(community, before) {
      const inCommunity = eq(escalations.communityId, community);
      const reasons = await db
        .update(escalations)
        .set({ reason: null, latestReason: null })
        .where(and(inCommunity, lt(escalations.lastRequestAt, before), or(isNotNull(escalations.reason), isNotNull(escalations.latestReason))));
      const notes = await db
        .update(escalations)
        .set({ resolutionNote: null })
        .where(and(inCommunity, lt(escalations.resolvedAt, before), isNotNull(escalations.resolutionNote)));
      return changed(reasons) + changed(notes);
    },
    list(community, options = {}) {
      const conditions = [eq(escalations.communityId, community)];
      if (options.since !== undefined) conditions.push(gte(escalations.createdAt, options.since));
      if (options.status) conditions.push(inArray(escalations.status, options.status));
      if (options.messageId !== undefined) conditions.push(eq(escalations.messageId, options.messageId));
      return db.select().from(escalations).where(and(...conditions)).orderBy(escalations.createdAt, escalations.id);
    },
  };
}

export function companionPostsRepo(db: PgDb): CompanionPostsRepository {
  const byKey = (community: string, key: string) => and(eq(companionPosts.communityId, community), eq(companionPosts.key, key));
  const target = [companionPosts.communityId, companionPosts.key];
  return {
    get: async (community, key) => (await db.select().from(companionPosts).where(byKey(community, key)))[0],
    findByMessage: async (community, messageId) =>
      (await db.select().from(companionPosts).where(and(eq(companionPosts.communityId, community), eq(companionPosts.messageId, messageId))).limit(1))[0],
    withPrefix: (community, prefix) =>
      db
        .select()
        .from(companionPosts)
        .where(and(eq(companionPosts.communityId, community), sql`starts_with(${companionPosts.key}, ${prefix})`))
        .orderBy(companionPosts.createdAt),
    async put(community, key, channelId, messageId, at) {
      await db
        .insert(companionPosts)
        .values({ communityId: community, key, channelId, messageId, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({ target, set: { channelId, messageId, updatedAt: at } });
    },
    claimIfIdle: async (community, key, channelId, at, idleSince) =>
      changed(
        await db
          .insert(companionPosts)
          .values({ communityId: community, key, channelId, messageId: '', createdAt: at, updatedAt: at })
          .onConflictDoUpdate({ target, set: { channelId, messageId: '', createdAt: at, updatedAt: at }, setWhere: lt(companionPosts.updatedAt, idleSince) }),
      ) > 0,
    async remove(community, key) {
      await db.delete(companionPosts).where(byKey(community, key));
    },
    async touch(community, key, at) {
      await db.update(companionPosts).set({ updatedAt: at }).where(byKey(community, key));
    },
  };
}

export function outboxRepo(db: PgDb): OutboxRepository {
  const byKey = (community: string, key: string) => and(eq(outbox.communityId, community), eq(outbox.key, key));
  return {
    get: async (community, key) => (await db.select().from(outbox).where(byKey(community, key)))[0],
    async intend(community, key, at, reply) {
      await db
        .insert(outbox)
        .values({ communityId: community, key, createdAt: at, replyToken: reply?.token ?? null, replyTokenUntil: reply?.until ?? null })
        .onConflictDoNothing();
    },
    async sent(community, key, target, at) {
      const values = { sentAt: at, channelId: target?.channelId ?? null, messageId: target?.messageId ?? null, replyToken: null, replyTokenUntil: null };
      await db
        .insert(outbox)
        .values({ communityId: community, key, createdAt: at, ...values })
        .onConflictDoUpdate({ target: [outbox.communityId, outbox.key], set: values, setWhere: isNull(outbox.sentAt) });
    },
    async failed(community, key) {
      await db.delete(outbox).where(and(byKey(community, key), isNull(outbox.sentAt)));
    },
    dropExpiredReplyTokens: async (community, now) =>
      changed(
        await db
          .update(outbox)
          .set({ replyToken: null, replyTokenUntil: null })
          .where(and(eq(outbox.communityId, community), isNotNull(outbox.replyToken), lte(outbox.replyTokenUntil, now))),
      ),
  };
}

export function sameHereRepo(db: PgDb): SameHereRepository {
  const inCommunity = (community: string) => eq(sameHere.communityId, community);
  return {
    add: async (community, messageId, memberId, via, at) =>
      changed(await db.insert(sameHere).values({ communityId: community, messageId, memberId, via, at }).onConflictDoNothing()) > 0,
    removeVia: async (community, messageId, memberId, via) =>
      changed(
        await db
          .delete(sameHere)
          .where(and(inCommunity(community), eq(sameHere.messageId, messageId), eq(sameHere.memberId, memberId), eq(sameHere.via, via))),
      ) > 0,
    count: async (community, messageId) =>
      (await db.select({ n: sql<number>`count(*)::int` }).from(sameHere).where(and(inCommunity(community), eq(sameHere.messageId, messageId))))[0].n,
    async deleteForMember(community, memberId, messageIds = []) {
      const mine = eq(sameHere.memberId, memberId);
      return changed(await db.delete(sameHere).where(and(inCommunity(community), messageIds.length ? or(mine, inArray(sameHere.messageId, messageIds)) : mine)));
    },
    forMember: (community, memberId) => db.select().from(sameHere).where(and(inCommunity(community), eq(sameHere.memberId, memberId))),
    since: (community, since) => db.select().from(sameHere).where(and(inCommunity(community), gte(sameHere.at, since))),
  };
}

/**
 * Scheduled steps. `claim` is one conditional UPDATE: of several processes, one wins the row
 * (PostgreSQL re-checks the condition on the row it waited for).
 */
export function deliveriesRepo(db: PgDb): DeliveriesRepository {
  const d = deliveries;
  return {
    claim: async (community, key, at, leaseUntil) =>
      changed(
        await db
          .insert(d)
          .values({ communityId: community, key, receivedAt: at, leaseUntil })
          .onConflictDoUpdate({ target: [d.communityId, d.key], set: { leaseUntil }, setWhere: takeOverWhen(d, at) }),
      ) > 0,
    async take(community, key, at, leaseUntil) {
      if (changed(await db.insert(d).values({ communityId: community, key, receivedAt: at, leaseUntil }).onConflictDoNothing()) > 0) return 'new';
      return changed(await db.update(d).set({ leaseUntil }).where(unfinishedDelivery(d, community, key))) > 0 ? 'resumed' : false;
    },
    async done(community, key, at) {
      await db.update(d).set({ doneAt: at, leaseUntil: null }).where(and(eq(d.communityId, community), eq(d.key, key)));
    },
    purgeBefore: async (community, before) => changed(await db.delete(d).where(and(eq(d.communityId, community), lt(d.receivedAt, before)))),
  };
}

/**
 * During a batch (history import): tasks read by key, found or not, remembered until the batch
 * ends or any task is written. Replayed answers ask whether the newcomer they answer has a
 * first question waiting (welcome), nearly always "no" in history, once a message.
 * Safe for the reason the batch's row caches are (../repositories/batch-cache.ts).
 */
export class KnownTasks {
  private readonly tasks = new Map<string, TaskRow | undefined>();

  constructor(private readonly scope: BatchScope) {
    scope.defer({ flush: () => {}, discard: () => this.tasks.clear() });
  }

  async get(community: string, key: string, load: () => Promise<TaskRow | undefined>): Promise<TaskRow | undefined> {
    if (!this.scope.active) return load();
    const k = `${community}\u0000${key}`;
    if (this.tasks.has(k)) return this.tasks.get(k);
    const task = await load();
    if (this.tasks.size >= 50_000) this.tasks.clear();
    this.tasks.set(k, task);
    return task;
  }

  clear(): void {
    this.tasks.clear();
  }
}

/** Reads; every other method writes tasks and forgets what KnownTasks remembers. */
const TASK_READS = new Set(['due', 'pendingOfKind', 'get']);

export function tasksRepo(db: PgDb, known: KnownTasks): TasksRepository {
  const repository = taskStatements(db, known);
  return Object.fromEntries(
    Object.entries(repository).map(([name, method]) => [
      name,
      TASK_READS.has(name)
        ? method
        : (...args: unknown[]) => {
            known.clear();
            return (method as (...a: unknown[]) => unknown)(...args);
          },
    ]),
  ) as unknown as TasksRepository;
}

function taskStatements(db: PgDb, known: KnownTasks): TasksRepository {
  const t = scheduledTasks;
  const byKey = (community: string, key: string) => and(eq(t.communityId, community), eq(t.key, key));
  const getOne = once(() =>
    db
      .select()
      .from(t)
      .where(and(eq(t.communityId, sql.placeholder('community')), eq(t.key, sql.placeholder('key'))))
      .prepare(UNNAMED),
  );
  const isDue = (now: number, communityPrefix: string, communities?: string[]) =>
    and(
      or(and(eq(t.status, 'pending'), lte(t.dueAt, now)), and(eq(t.status, 'running'), lte(t.leaseUntil, now))),
      like(t.communityId, startsWith(communityPrefix)),
      communities ? inArray(t.communityId, communities) : undefined,
    );
  return {
    schedule: async (community, kind, key, dueAt, payload, at) =>
      changed(await db.insert(t).values({ communityId: community, kind, key, dueAt, payload, createdAt: at }).onConflictDoNothing()) > 0,
    due: (now, communityPrefix, limit = 100) =>
      db
        .select()
        .from(t)
        .where(isDue(now, communityPrefix))
        .orderBy(asc(t.dueAt), asc(t.id))
        .limit(limit),
    // Rows another runner is claiming right now are skipped, not waited for; a row claimed and
    // committed meanwhile is re-checked against the condition (READ COMMITTED) and left out.
    async claimDue(now, communityPrefix, leaseUntil, limit, communities) {
      if (communities?.length === 0) return [];
      const ids = db.select({ id: t.id }).from(t).where(isDue(now, communityPrefix, communities)).orderBy(asc(t.dueAt), asc(t.id)).limit(limit).for('update', { skipLocked: true });
      return (await db.update(t).set({ status: 'running', leaseUntil, attempts: attemptsOnClaim(t) }).where(inArray(t.id, ids)).returning()).sort(byDue);
    },
    claim: async (id, at, leaseUntil) =>
      changed(
        await db
          .update(t)
          .set({ status: 'running', leaseUntil, attempts: attemptsOnClaim(t) })
          .where(and(eq(t.id, id), or(eq(t.status, 'pending'), and(eq(t.status, 'running'), lte(t.leaseUntil, at))))),
      ) > 0,
    async complete(id, at, lease) {
      await db.update(t).set({ status: 'done', leaseUntil: null, finishedAt: at }).where(and(stepHeld(t, id, lease), eq(t.status, 'running')));
    },
    async fail(id, error, at, lease) {
      await db.update(t).set({ status: 'failed', leaseUntil: null, lastError: errorText(error), finishedAt: at }).where(stepHeld(t, id, lease));
    },
    async retry(id, dueAt, error, lease) {
      await db
        .update(t)
        .set({ status: 'pending', dueAt, leaseUntil: null, attempts: sql`${t.attempts} + 1`, lastError: errorText(error), finishedAt: null })
        .where(stepHeld(t, id, lease));
    },
    async cancel(community, key, at) {
      await db.update(t).set({ status: 'cancelled', finishedAt: at }).where(and(byKey(community, key), eq(t.status, 'pending')));
    },
    pendingOfKind: (community, kind, limit) =>
      db
        .select()
        .from(t)
        .where(and(eq(t.communityId, community), eq(t.kind, kind), eq(t.status, 'pending')))
        .orderBy(asc(t.dueAt), asc(t.id))
        .limit(limit),
    // Asked for every newcomer's question and every answer to one (welcome): built once (./prepared.ts).
    get: (community, key) => known.get(community, key, async () => (await getOne().execute({ community, key }))[0]),
  };
}

export function checkpointsRepo(db: PgDb): CheckpointsRepository {
  return {
    get: async <T>(key: string) => (await db.select().from(checkpoints).where(eq(checkpoints.key, key)))[0]?.value as T | undefined,
    put: (key, value, at) => putCheckpoint(db, key, value, at),
    list: (prefix) => db.select().from(checkpoints).where(like(checkpoints.key, startsWith(prefix))),
  };
}

async function putCheckpoint(db: PgDb, key: string, value: unknown, at: number): Promise<void> {
  const values = { value: sql`${JSON.stringify(value)}::jsonb`, updatedAt: at };
  await db
    .insert(checkpoints)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: checkpoints.key, set: values });
}

export function embeddingsRepo(db: PgDb): EmbeddingsRepository {
  const e = embeddings;
  return {
    async get(community, model, discussionIds) {
      const out = new Map<string, StoredVector>();
      if (discussionIds.length === 0) return out;
      const rows = await db
        .select()
        .from(e)
        .where(and(eq(e.communityId, community), eq(e.model, model), inArray(e.discussionId, discussionIds)));
      for (const row of rows) out.set(row.discussionId, { vector: row.vector, updatedAt: row.updatedAt });
      return out;
    },
    async put(community, model, discussionId, vector, at) {
      await db
        .insert(e)
        .values({ communityId: community, discussionId, model, vector, updatedAt: at })
        .onConflictDoUpdate({ target: [e.communityId, e.discussionId, e.model], set: { vector, updatedAt: at } });
    },
    async remove(community, discussionId) {
      await db.delete(e).where(and(eq(e.communityId, community), eq(e.discussionId, discussionId)));
    },
    async removeWithTextBefore(community, before) {
      const purged = db
        .selectDistinct({ id: messages.discussionId })
        .from(messages)
        .where(discussedTextBefore(messages, community, before));
      return changed(await db.delete(e).where(and(eq(e.communityId, community), inArray(e.discussionId, purged))));
    },
    async watermark(community, model) {
      const value = (await db.select().from(checkpoints).where(eq(checkpoints.key, watermarkKey(community, model))))[0]?.value;
      return typeof value === 'number' ? value : 0;
    },
    setWatermark: (community, model, rowId, at) => putCheckpoint(db, watermarkKey(community, model), rowId, at),
  };
}

/** The webhook sink's durable outbox: `claim` is one conditional UPDATE, so one dispatcher of several wins. */
export function webhookEventsRepo(db: PgDb): WebhookEventsRepository {
  const w = webhookEvents;
  return {
    enqueue: async (community, event) => changed(await db.insert(w).values({ communityId: community, ...event, nextAttemptAt: event.createdAt }).onConflictDoNothing()) > 0,
    due: (now, limit = 50) =>
      db
        .select()
        .from(w)
        .where(or(and(eq(w.status, 'pending'), lte(w.nextAttemptAt, now)), and(eq(w.status, 'sending'), lte(w.leaseUntil, now))))
        .orderBy(asc(w.nextAttemptAt), asc(w.id))
        .limit(limit),
    claim: async (id, at, leaseUntil) =>
      changed(
        await db
          .update(w)
          .set({ status: 'sending', leaseUntil, attempts: sql`${w.attempts} + 1` })
          .where(and(eq(w.id, id), or(eq(w.status, 'pending'), and(eq(w.status, 'sending'), lte(w.leaseUntil, at))))),
      ) > 0,
    async delivered(id, at) {
      await db.update(w).set({ status: 'delivered', leaseUntil: null, deliveredAt: at, lastError: null }).where(eq(w.id, id));
    },
    async retry(id, nextAttemptAt, error) {
      await db
        .update(w)
        .set({ status: 'pending', leaseUntil: null, nextAttemptAt, lastError: errorText(error) })
        .where(and(eq(w.id, id), eq(w.status, 'sending')));
    },
    async fail(id, error) {
      await db.update(w).set({ status: 'failed', leaseUntil: null, lastError: errorText(error) }).where(eq(w.id, id));
    },
    deleteForMember: async (community, memberId) => changed(await db.delete(w).where(and(eq(w.communityId, community), eq(w.memberId, memberId)))),
    setBody: async (community, id, body) => void (await db.update(w).set({ body }).where(and(eq(w.communityId, community), eq(w.id, id)))),
    get: async (community, eventId) => (await db.select().from(w).where(and(eq(w.communityId, community), eq(w.eventId, eventId))))[0],
    list: (community, options = {}) =>
      db
        .select()
        .from(w)
        .where(and(eq(w.communityId, community), options.status ? inArray(w.status, options.status) : undefined))
        .orderBy(asc(w.id)),
  };
}

/** What each CRM sink last sent about each member. */
export function crmSyncRepo(db: PgDb): CrmSyncRepository {
  return {
    list: (community, sink) => db.select().from(crmSync).where(and(eq(crmSync.communityId, community), eq(crmSync.sink, sink))).orderBy(asc(crmSync.memberId)),
    async put(community, sink, memberId, { fingerprint, externalId, createdBySink }, at) {
      await db
        .insert(crmSync)
        .values({ communityId: community, sink, memberId, fingerprint, externalId, createdBySink, syncedAt: at })
        .onConflictDoUpdate({
          target: [crmSync.communityId, crmSync.sink, crmSync.memberId],
          // Once Hearth created the sink's record, it stays Hearth's (that record: not another one the member moved to).
          set: { fingerprint, externalId, syncedAt: at, createdBySink: sql`(${crmSync.externalId} IS NOT DISTINCT FROM ${externalId} AND ${crmSync.createdBySink}) OR ${createdBySink}` },
        });
    },
    async remove(community, sink, memberId) {
      await db.delete(crmSync).where(and(eq(crmSync.communityId, community), eq(crmSync.sink, sink), eq(crmSync.memberId, memberId)));
    },
  };
}

/** Closed weeks' pulse figures (see the `pulse_weeks` table). */
export function pulseWeeksRepo(db: PgDb): PulseWeeksRepository {
  return {
    list: (community, fromUntil, toUntil): Promise<PulseWeekRow[]> =>
      db
        .select()
        .from(pulseWeeks)
        .where(and(eq(pulseWeeks.communityId, community), gte(pulseWeeks.weekUntil, fromUntil), lte(pulseWeeks.weekUntil, toUntil)))
        .orderBy(asc(pulseWeeks.weekUntil)),
    async put(community, week, dropBefore) {
      const { weekUntil, computedAt, notCounted, figures } = week;
      await db
        .insert(pulseWeeks)
        .values({ communityId: community, weekUntil, computedAt, notCounted, figures })
        .onConflictDoUpdate({ target: [pulseWeeks.communityId, pulseWeeks.weekUntil], set: { computedAt, notCounted, figures } });
      await db.delete(pulseWeeks).where(and(eq(pulseWeeks.communityId, community), lt(pulseWeeks.weekUntil, dropBefore)));
    },
    clear: async (community) => changed(await db.delete(pulseWeeks).where(eq(pulseWeeks.communityId, community))),
  };
}
