/**
 * The whole store. Every table carries `community_id`: no row belongs to two communities and
 * no query may cross them (repositories always filter on it).
 *
 * Ids are the platform's own ids (Discord snowflakes, Slack ids, shell names), scoped by
 * community; the community id itself is namespaced by platform (`discord:<guild>`,
 * `slack:<team>`, `shell:<name>`), so several adapters can share one database file.
 * Times are epoch milliseconds from the injected clock.
 */
import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const communities = sqliteTable('communities', {
  id: text('id').primaryKey(),
  platform: text('platform').notNull(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const members = sqliteTable(
  'members',
  {
    communityId: text('community_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull().default(false),
    isModerator: integer('is_moderator', { mode: 'boolean' }).notNull().default(false),
    /** When the member joined the community (null when we only ever saw them speak). */
    joinedAt: integer('joined_at'),
    firstSeenAt: integer('first_seen_at').notNull(),
    firstPostAt: integer('first_post_at'),
    lastPostAt: integer('last_post_at'),
    /** `/welcomer on`: part of the welcome crew. */
    welcomer: integer('welcomer', { mode: 'boolean' }).notNull().default(false),
    welcomerLastAskedAt: integer('welcomer_last_asked_at'),
    /** `/privacy off`: no analytics (signals, metrics) about this member. */
    analyticsOptOut: integer('analytics_opt_out', { mode: 'boolean' }).notNull().default(false),
    /**
     * `/forget-me`: when the member asked to be forgotten. Their events from before then (a
     * re-import, a backfill, a late retry) are never stored again.
     */
    forgottenAt: integer('forgotten_at'),
    /** Preferred language for translations (BCP-47), when known. */
    locale: text('locale'),
    /**
     * Email address, when the platform gives it (Slack with the `users:read.email` scope;
     * Discord never does): the CRM export's key for matching contacts. Cleared by forget-me.
     */
    email: text('email'),
    /** `/translator on <languages>`: languages the member volunteers to help with (English names, lowercase). */
    translatorLanguages: text('translator_languages', { mode: 'json' }).$type<string[]>(),
    translatorLastAskedAt: integer('translator_last_asked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.id] }),
    // "thanks alice": members are found by name, case-insensitively (without it, a scan of
    // every member for each thanks).
    index('members_name_idx').on(t.communityId, sql`lower(${t.name})`),
    // One person across communities: accounts are found by email (src/core/identity).
    index('members_email_idx').on(sql`lower(trim(${t.email}))`),
  ],
);

export const channels = sqliteTable(
  'channels',
  {
    communityId: text('community_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    /** public: every member can read it; private: only its members (channel_members). */
    visibility: text('visibility', { enum: ['public', 'private'] }).notNull().default('public'),
    kind: text('kind', { enum: ['text', 'forum', 'thread', 'dm'] }).notNull().default('text'),
    /** For threads: the channel they live in (visibility is inherited unless private). */
    parentId: text('parent_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.id] })],
);

export const channelMembers = sqliteTable(
  'channel_members',
  {
    communityId: text('community_id').notNull(),
    channelId: text('channel_id').notNull(),
    memberId: text('member_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.channelId, t.memberId] })],
);

export const messages = sqliteTable(
  'messages',
  {
    /** Internal row id (FTS rowid). */
    rowId: integer('row_id').primaryKey({ autoIncrement: true }),
    communityId: text('community_id').notNull(),
    id: text('id').notNull(),
    channelId: text('channel_id').notNull(),
    authorId: text('author_id').notNull(),
    authorIsBot: integer('author_is_bot', { mode: 'boolean' }).notNull().default(false),
    /** Written by this companion (its own posts are never indexed nor counted). */
    isCompanion: integer('is_companion', { mode: 'boolean' }).notNull().default(false),
    kind: text('kind', { enum: ['message', 'join', 'system'] }).notNull().default('message'),
    /** Null once purged by retention or forget-me. */
    text: text('text'),
    title: text('title'),
    /** Thread / forum post / Slack thread root this message lives in (its root's id). */
    threadId: text('thread_id'),
    /** The message this one answers (explicit reply, or inferred). */
    replyTo: text('reply_to'),
    replyInferred: integer('reply_inferred', { mode: 'boolean' }).notNull().default(false),
    /** The discussion this message belongs to (root message id). */
    discussionId: text('discussion_id'),
    createdAt: integer('created_at').notNull(),
    editedAt: integer('edited_at'),
    /** The text is an AI transcript of the member's voice message or audio clip (the audio is never stored). */
    transcribed: integer('transcribed', { mode: 'boolean' }).notNull().default(false),
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

export const signals = sqliteTable(
  'signals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    communityId: text('community_id').notNull(),
    /** welcome_given | same_here | helped | thanked | returned_to_help | repair | escalation_claimed | mentorship ... */
    kind: text('kind').notNull(),
    actorId: text('actor_id').notNull(),
    subjectId: text('subject_id'),
    messageId: text('message_id'),
    channelId: text('channel_id'),
    at: integer('at').notNull(),
    /** Small JSON payload specific to the kind. */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** De-duplication key: the same fact is recorded once. */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    index('signals_kind_time_idx').on(t.communityId, t.kind, t.at),
    // No index on the member alone: lookups by actor or subject go through the two below
    // with the kind (forget-me lists every kind). Each index is one more B-tree write, at a
    // random position, for every signal recorded.
    // Per-message lookups: a helper's latest help, who helped a member (mentorship).
    // (subject_id last: a helper's latest help is read from the index alone.)
    index('signals_kind_actor_time_idx').on(t.communityId, t.kind, t.actorId, t.at, t.subjectId),
    // Who helped a member since a time (mentorship): the time range must be in the index, or
    // the lookup scans every help the member ever received.
    index('signals_kind_subject_time_idx').on(t.communityId, t.kind, t.subjectId, t.at, t.actorId),
    // Related search reads the thanks and accepted answers (✅) of the messages it returns;
    // partial: the other kinds (a helped signal for nearly every reply) stay out of it.
    // `+kind = 'thanked'`, not `kind = 'thanked'`: when a partial index's condition has
    // `column = literal`, SQLite checks every statement with `column = ?` against it using the
    // bound value, and so re-prepares that statement at each execution (measured: a helper's
    // latest help 5 -> 15 µs, the mentorship lookup 40 -> 70 µs). The unary plus (SQLite's
    // "not for index lookups" mark) makes the shapes differ; related search repeats the
    // condition word for word. tests/db/partial-indexes.test.ts keeps it so.
    index('signals_related_idx')
      .on(t.communityId, t.messageId)
      .where(sql`+${t.kind} = 'thanked' OR ${t.dedupeKey} GLOB 'helped:accepted:*'`),
    uniqueIndex('signals_dedupe_uq').on(t.communityId, t.dedupeKey),
  ],
);

export const settings = sqliteTable(
  'settings',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);

export const escalations = sqliteTable(
  'escalations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    communityId: text('community_id').notNull(),
    requesterId: text('requester_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** The message the request is about (or the typed request itself). */
    messageId: text('message_id'),
    reason: text('reason'),
    /** The newest reason given when the member asked again (shown beside the first one). */
    latestReason: text('latest_reason'),
    /** outage | billing | fraud_security | data_loss | harassment_safety | distress | legal | none */
    stakesClass: text('stakes_class').notNull().default('none'),
    stakes: text('stakes', { enum: ['high', 'low'] }).notNull().default('low'),
    /** command | typed | action | incident | stakes */
    source: text('source').notNull(),
    status: text('status', { enum: ['open', 'claimed', 'resolved'] }).notNull().default('open'),
    /** How many requests were merged into this one (1 = just the first). */
    requestCount: integer('request_count').notNull().default(1),
    sameHereCount: integer('same_here_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    lastRequestAt: integer('last_request_at').notNull(),
    claimedBy: text('claimed_by'),
    claimedAt: integer('claimed_at'),
    resolvedBy: text('resolved_by'),
    resolvedAt: integer('resolved_at'),
    resolutionNote: text('resolution_note'),
    /** Follow-up tier reached: 0 first ping, 1 re-pinged, 2 second tier. */
    tier: integer('tier').notNull().default(0),
    acknowledgedAt: integer('acknowledged_at'),
  },
  (t) => [
    index('escalations_status_idx').on(t.communityId, t.status, t.createdAt),
    index('escalations_requester_idx').on(t.communityId, t.requesterId, t.channelId),
  ],
);

/**
 * Messages the companion posted and may edit later (same-here acknowledgement, escalation
 * ping), keyed by what they are about, so a restart still edits instead of re-posting.
 */
export const companionPosts = sqliteTable(
  'companion_posts',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    channelId: text('channel_id').notNull(),
    messageId: text('message_id').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);

/**
 * The companion's outgoing posts that must happen once (pings, the requester's acknowledgement):
 * the intent is written before posting and the outcome (`sentAt`, the message) right after, so a
 * restart neither repeats a post the platform took nor skips one that never went out. An intent
 * without an outcome is a post whose process died mid-send: its fate is looked up or, where the
 * platform cannot tell, it is sent again marked as a possible repeat.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    channelId: text('channel_id'),
    /** Empty for posts without a message of their own (ephemeral replies). */
    messageId: text('message_id'),
    /**
     * A command reply's lookup credential (Discord's interaction token): a secret, kept only
     * until the reply is confirmed or the credential expires (`replyTokenUntil`).
     */
    replyToken: text('reply_token'),
    replyTokenUntil: integer('reply_token_until'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);

/**
 * Platform deliveries (a Discord message or interaction id, a Slack event_id or envelope)
 * being or already handled: a redelivered event, to this process or another sharing the
 * store, is acted on once. A handler that died leaves its lease to run out.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    communityId: text('community_id').notNull(),
    key: text('key').notNull(),
    receivedAt: integer('received_at').notNull(),
    leaseUntil: integer('lease_until'),
    doneAt: integer('done_at'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] }), index('deliveries_received_idx').on(t.communityId, t.receivedAt)],
);

/** Distinct members validating a message ("same here"): the same member counts once. */
export const sameHere = sqliteTable(
  'same_here',
  {
    communityId: text('community_id').notNull(),
    messageId: text('message_id').notNull(),
    memberId: text('member_id').notNull(),
    /** text | reaction | action | command */
    via: text('via').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.messageId, t.memberId] }),
    index('same_here_time_idx').on(t.communityId, t.at),
  ],
);

/**
 * Durable scheduled work (nudges, re-pings, second tier). Jobs read what is due from here,
 * so a restart loses nothing; `key` makes each step unique so nothing runs twice.
 */
export const scheduledTasks = sqliteTable(
  'scheduled_tasks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    communityId: text('community_id').notNull(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    dueAt: integer('due_at').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** running: a runner holds it until `leaseUntil`; past that (the runner died) it runs again. */
    status: text('status', { enum: ['pending', 'running', 'done', 'cancelled', 'failed'] })
      .notNull()
      .default('pending'),
    leaseUntil: integer('lease_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    uniqueIndex('scheduled_tasks_key_uq').on(t.communityId, t.key),
    index('scheduled_tasks_due_idx').on(t.status, t.dueAt),
  ],
);

/** Embedding vectors for hybrid related-discussion ranking (only when configured). */
export const embeddings = sqliteTable(
  'embeddings',
  {
    communityId: text('community_id').notNull(),
    discussionId: text('discussion_id').notNull(),
    model: text('model').notNull(),
    vector: blob('vector', { mode: 'buffer' }).notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.discussionId, t.model] })],
);

/**
 * Closed weeks' pulse figures, kept for the dashboard's overview across restarts (a cache:
 * core/metrics/weeks.ts decides when one still holds; no member is named in `figures`).
 */
export const pulseWeeks = sqliteTable(
  'pulse_weeks',
  {
    communityId: text('community_id').notNull(),
    weekUntil: integer('week_until').notNull(),
    computedAt: integer('computed_at').notNull(),
    notCounted: text('not_counted').notNull(),
    figures: text('figures', { mode: 'json' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.weekUntil] })],
);

/** Resumable progress for long operator tasks (history backfill). */
export const checkpoints = sqliteTable('checkpoints', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Signed webhook events waiting for, or past, delivery (the CRM sink's durable outbox). The
 * body is stored as sent, so every attempt carries the same bytes and the same event id.
 */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    communityId: text('community_id').notNull(),
    /** The idempotency key receivers dedupe on; unique across the store. */
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    /** The member the event is about (dropped when they opt out or are forgotten). */
    memberId: text('member_id'),
    body: text('body').notNull(),
    /** sending: a dispatcher holds it until `leaseUntil`; past that it is sent again. */
    status: text('status', { enum: ['pending', 'sending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_events_event_uq').on(t.eventId),
    index('webhook_events_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_events_member_idx').on(t.communityId, t.memberId),
  ],
);

/** What each CRM sink last sent about a member (a fingerprint, and the sink's own id for them). */
export const crmSync = sqliteTable(
  'crm_sync',
  {
    communityId: text('community_id').notNull(),
    /** `webhook`, `hubspot`. */
    sink: text('sink').notNull(),
    memberId: text('member_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** The sink's id for the member (a HubSpot contact id), when it has one. */
    externalId: text('external_id'),
    /** The sink's record was created by Hearth (so Hearth may delete it), not found there. */
    createdBySink: integer('created_by_sink', { mode: 'boolean' }).notNull().default(false),
    syncedAt: integer('synced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.sink, t.memberId] })],
);

/** Single-use dashboard sign-in links, by a hash of their token (never the token itself). */
export const dashboardLinks = sqliteTable(
  'dashboard_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('dashboard_links_community_idx').on(t.communityId, t.expiresAt)],
);

/** Dashboard sessions, by a hash of the cookie's value: one moderator in one community. */
export const dashboardSessions = sqliteTable(
  'dashboard_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('dashboard_sessions_community_idx').on(t.communityId, t.expiresAt)],
);

/**
 * Two accounts of one person across the installation's communities (src/core/identity):
 * stored once per pair, the smaller `community/member` first. Ids only.
 */
export const identityLinks = sqliteTable(
  'identity_links',
  {
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    linkedCommunityId: text('linked_community_id').notNull(),
    linkedMemberId: text('linked_member_id').notNull(),
    /** `member`, `moderator` or `email`. */
    via: text('via', { enum: ['member', 'moderator', 'email'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.memberId, t.linkedCommunityId, t.linkedMemberId] }),
    index('identity_links_linked_idx').on(t.linkedCommunityId, t.linkedMemberId),
  ],
);

/**
 * Single-use codes for a member linking their own accounts (`/link`, then `/link CODE` on the
 * other account): only the code's SHA-256 is kept; found by it from any community.
 */
export const identityLinkCodes = sqliteTable(
  'identity_link_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    communityId: text('community_id').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('identity_link_codes_member_idx').on(t.communityId, t.memberId), index('identity_link_codes_expires_idx').on(t.expiresAt)],
);
