/**
 * The PostgreSQL schema: the same tables, columns and keys as the SQLite one (../schema.ts,
 * whose comments say what each column means), in PostgreSQL's types: times are bigint epoch
 * milliseconds, flags boolean, payloads jsonb, vectors bytea. src/db/port-check.ts proves
 * both store exactly the core's rows. Related search is a weighted tsvector on `messages`
 * with a GIN index (see related.ts); drizzle-kit generates the migrations into
 * drizzle-postgres/ (drizzle.postgres.config.ts).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Epoch milliseconds (past 2^31: bigint, read back as a JS number). A time with a fraction of
 * a millisecond (a clock advanced by a fraction) is rounded on its way in, as bigint refuses
 * one; SQLite keeps the fraction, so the two stores agree to within a millisecond.
 */
const time = customType<{ data: number; driverData: number | string }>({
  dataType: () => 'bigint',
  toDriver: (value) => toMilliseconds(value),
  fromDriver: (value) => Number(value),
});

/** A time as the bigint columns take it: for times written through raw SQL. */
export function toMilliseconds<T extends number | null | undefined>(value: T): T {
  return (typeof value === 'number' ? Math.round(value) : value) as T;
}

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
/** Written as text (a tsvector literal built by the store), never read back. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const communities = pgTable('communities', {
  id: text('id').primaryKey(),
  platform: text('platform').notNull(),
  name: text('name').notNull(),
  createdAt: time('created_at').notNull(),
});

export const members = pgTable(
  'members',
  {
    communityId: text('community_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    isBot: boolean('is_bot').notNull().default(false),
    isModerator: boolean('is_moderator').notNull().default(false),
    joinedAt: time('joined_at'),
    firstSeenAt: time('first_seen_at').notNull(),
    firstPostAt: time('first_post_at'),
    lastPostAt: time('last_post_at'),
    welcomer: boolean('welcomer').notNull().default(false),
    welcomerLastAskedAt: time('welcomer_last_asked_at'),
    analyticsOptOut: boolean('analytics_opt_out').notNull().default(false),
    forgottenAt: time('forgotten_at'),
    locale: text('locale'),
    email: text('email'),
    translatorLanguages: jsonb('translator_languages').$type<string[]>(),
    translatorLastAskedAt: time('translator_last_asked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.id] }),
    index('members_name_idx').on(t.communityId, sql`lower(${t.name})`),
    index('members_email_idx').on(sql`lower(trim(${t.email}))`),
  ],
);

export const channels = pgTable(
  'channels',
  {
    communityId: text('community_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    visibility: text('visibility', { enum: ['public', 'private'] }).notNull().default('public'),
    kind: text('kind', { enum: ['text', 'forum', 'thread', 'dm'] }).notNull().default('text'),
    parentId: text('parent_id'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.id] })],
);

export const channelMembers = pgTable(
  'channel_members',
  {
    communityId: text('community_id').notNull(),
    channelId: text('channel_id').notNull(),
    memberId: text('member_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.channelId, t.memberId] })],
);

export const messages = pgTable(
  'messages',
  {
    rowId: bigserial('row_id', { mode: 'number' }).primaryKey(),
    communityId: text('community_id').notNull(),
    id: text('id').notNull(),
    channelId: text('channel_id').notNull(),
    authorId: text('author_id').notNull(),
    authorIsBot: boolean('author_is_bot').notNull().default(false),
    isCompanion: boolean('is_companion').notNull().default(false),
    kind: text('kind', { enum: ['message', 'join', 'system'] }).notNull().default('message'),
    text: text('text'),
    title: text('title'),
    threadId: text('thread_id'),
    replyTo: text('reply_to'),
    replyInferred: boolean('reply_inferred').notNull().default(false),
    discussionId: text('discussion_id'),
    createdAt: time('created_at').notNull(),
    editedAt: time('edited_at'),
    transcribed: boolean('transcribed').notNull().default(false),
    /** The pulse's verdicts on the text (core/metrics/verdicts.ts); null until given, and again whenever the text changes. */
    verdicts: integer('verdicts'),
  },
  (t) => [
    uniqueIndex('messages_community_id_uq').on(t.communityId, t.id),
    index('messages_channel_time_idx').on(t.communityId, t.channelId, t.createdAt),
    // Covering (kind and flags too) for the per-author reads over time: the newcomer return
    // rule walks it member by member, never the table.
    index('messages_author_time_idx').on(t.communityId, t.authorId, t.createdAt, t.kind, t.authorIsBot, t.isCompanion),
    index('messages_discussion_idx').on(t.communityId, t.discussionId),
    // Windows of time (the pulse and the dashboard read a week's posts on every view), with
    // what per-author counts over weeks read (countByAuthor: answered from the index alone).
    index('messages_time_idx').on(t.communityId, t.createdAt, t.authorId, t.kind, t.authorIsBot, t.isCompanion),
  ],
);

/**
 * Related search's index: one row per searchable message (isSearchable), the stems of its
 * title (weight A) and body (weight B) as the core's tokenizer finds them, so a word matches
 * here exactly when the ranker counts it. Its own table, not a column of `messages`: a
 * message's row stays narrow, and deleting the index row with the message is the cascade.
 */
export const relatedIndex = pgTable(
  'related_index',
  {
    rowId: bigint('row_id', { mode: 'number' })
      .primaryKey()
      .references(() => messages.rowId, { onDelete: 'cascade' }),
    communityId: text('community_id').notNull(),
    channelId: text('channel_id').notNull(),
    terms: tsvector('terms').notNull(),
  },
  (t) => [index('related_index_terms_idx').using('gin', t.terms), index('related_index_scope_idx').on(t.communityId, t.channelId)],
);

/** Searchable messages per channel (kept by triggers on related_index: drizzle-postgres/0001). */
export const relatedDocuments = pgTable(
  'related_documents',
  {
    communityId: text('community_id').notNull(),
    channelId: text('channel_id').notNull(),
    documents: integer('documents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.channelId] })],
);

export const signals = pgTable(
  'signals',
  {
    id: serial('id').primaryKey(),
    communityId: text('community_id').notNull(),
    kind: text('kind').notNull(),
    actorId: text('actor_id').notNull(),
    subjectId: text('subject_id'),
    messageId: text('message_id'),
    channelId: text('channel_id'),
    at: time('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    index('signals_kind_time_idx').on(t.communityId, t.kind, t.at),
    index('signals_kind_actor_time_idx').on(t.communityId, t.kind, t.actorId, t.at, t.subjectId),
    index('signals_kind_subject_time_idx').on(t.communityId, t.kind, t.subjectId, t.at, t.actorId),
    index('signals_related_idx')
      .on(t.communityId, t.messageId)
      .where(sql`${t.kind} = 'thanked' OR ${t.dedupeKey} LIKE 'helped:accepted:%'`),
    uniqueIndex('signals_dedupe_uq').on(t.communityId, t.dedupeKey),
  ],
);

export const settings = pgTable(
  'settings',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    updatedAt: time('updated_at').notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);

export const escalations = pgTable(
  'escalations',
  {
    id: serial('id').primaryKey(),
    communityId: text('community_id').notNull(),
    requesterId: text('requester_id').notNull(),
    channelId: text('channel_id').notNull(),
    messageId: text('message_id'),
    reason: text('reason'),
    latestReason: text('latest_reason'),
    stakesClass: text('stakes_class').notNull().default('none'),
    stakes: text('stakes', { enum: ['high', 'low'] }).notNull().default('low'),
    source: text('source').notNull(),
    status: text('status', { enum: ['open', 'claimed', 'resolved'] }).notNull().default('open'),
    requestCount: integer('request_count').notNull().default(1),
    sameHereCount: integer('same_here_count').notNull().default(0),
    createdAt: time('created_at').notNull(),
    lastRequestAt: time('last_request_at').notNull(),
    claimedBy: text('claimed_by'),
    claimedAt: time('claimed_at'),
    resolvedBy: text('resolved_by'),
    resolvedAt: time('resolved_at'),
    resolutionNote: text('resolution_note'),
    tier: integer('tier').notNull().default(0),
    acknowledgedAt: time('acknowledged_at'),
  },
  (t) => [
    index('escalations_status_idx').on(t.communityId, t.status, t.createdAt),
    index('escalations_requester_idx').on(t.communityId, t.requesterId, t.channelId),
  ],
);

export const companionPosts = pgTable(
  'companion_posts',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    channelId: text('channel_id').notNull(),
    messageId: text('message_id').notNull(),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] }), index('companion_posts_message_idx').on(t.communityId, t.messageId)],
);

/** See ../schema.ts `deliveries`. */
export const deliveries = pgTable(
  'deliveries',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    receivedAt: time('received_at').notNull(),
    leaseUntil: time('lease_until'),
    doneAt: time('done_at'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] }), index('deliveries_received_idx').on(t.communityId, t.receivedAt)],
);

export const outbox = pgTable(
  'outbox',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
    channelId: text('channel_id'),
    messageId: text('message_id'),
    /** A command reply's lookup credential (a secret), kept until confirmed or expired. */
    replyToken: text('reply_token'),
    replyTokenUntil: time('reply_token_until'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);

export const sameHere = pgTable(
  'same_here',
  {
    communityId: text('community_id').notNull(),
    messageId: text('message_id').notNull(),
    memberId: text('member_id').notNull(),
    via: text('via').notNull(),
    at: time('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.messageId, t.memberId] }), index('same_here_time_idx').on(t.communityId, t.at)],
);

export const scheduledTasks = pgTable(
  'scheduled_tasks',
  {
    id: serial('id').primaryKey(),
    communityId: text('community_id').notNull(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    dueAt: time('due_at').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    status: text('status', { enum: ['pending', 'running', 'done', 'cancelled', 'failed'] })
      .notNull()
      .default('pending'),
    leaseUntil: time('lease_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull(),
    finishedAt: time('finished_at'),
  },
  (t) => [uniqueIndex('scheduled_tasks_key_uq').on(t.communityId, t.key), index('scheduled_tasks_due_idx').on(t.status, t.dueAt)],
);

export const embeddings = pgTable(
  'embeddings',
  {
    communityId: text('community_id').notNull(),
    discussionId: text('discussion_id').notNull(),
    model: text('model').notNull(),
    vector: bytea('vector').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.discussionId, t.model] })],
);

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: serial('id').primaryKey(),
    communityId: text('community_id').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    memberId: text('member_id'),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at').notNull(),
    leaseUntil: time('lease_until'),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull(),
    deliveredAt: time('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_events_event_uq').on(t.eventId),
    index('webhook_events_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_events_member_idx').on(t.communityId, t.memberId),
  ],
);

export const crmSync = pgTable(
  'crm_sync',
  {
    communityId: text('community_id').notNull(),
    sink: text('sink').notNull(),
    memberId: text('member_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    externalId: text('external_id'),
    createdBySink: boolean('created_by_sink').notNull().default(false),
    syncedAt: time('synced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.sink, t.memberId] })],
);

export const dashboardLinks = pgTable(
  'dashboard_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    usedAt: time('used_at'),
  },
  (t) => [index('dashboard_links_community_idx').on(t.communityId, t.expiresAt)],
);

export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('dashboard_sessions_community_idx').on(t.communityId, t.expiresAt)],
);

export const identityLinks = pgTable(
  'identity_links',
  {
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    linkedCommunityId: text('linked_community_id').notNull(),
    linkedMemberId: text('linked_member_id').notNull(),
    via: text('via', { enum: ['member', 'moderator', 'email'] }).notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.memberId, t.linkedCommunityId, t.linkedMemberId] }),
    index('identity_links_linked_idx').on(t.linkedCommunityId, t.linkedMemberId),
  ],
);

/** Single-use codes for `/link` (see the SQLite schema): only the code's SHA-256 is kept. */
export const identityLinkCodes = pgTable(
  'identity_link_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: time('created_at').notNull(),
    expiresAt: time('expires_at').notNull(),
    usedAt: time('used_at'),
  },
  (t) => [index('identity_link_codes_member_idx').on(t.communityId, t.memberId), index('identity_link_codes_expires_idx').on(t.expiresAt)],
);

export const pulseWeeks = pgTable(
  'pulse_weeks',
  {
    communityId: text('community_id').notNull(),
    weekUntil: time('week_until').notNull(),
    computedAt: time('computed_at').notNull(),
    notCounted: text('not_counted').notNull(),
    figures: jsonb('figures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.weekUntil] })],
);

export const checkpoints = pgTable('checkpoints', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: time('updated_at').notNull(),
});
