/**
 * The rows the core reads and the values it writes, as plain types the core owns (type
 * aliases, not interfaces, so a row is also a `Record<string, unknown>`). Every
 * store returns exactly these shapes (src/db/port-check.ts fails `tsc` when the SQLite
 * schema drifts from them). Times are epoch milliseconds from the injected clock; ids are
 * the platform's own, scoped by `communityId`.
 */

export type CommunityRow = {
  /** Namespaced by platform: `discord:<guild>`, `slack:<team>`, `shell:<name>`. */
  id: string;
  platform: string;
  name: string;
  createdAt: number;
};

export type MemberRow = {
  communityId: string;
  id: string;
  name: string;
  isBot: boolean;
  isModerator: boolean;
  /** When the member joined (null when we only ever saw them speak). */
  joinedAt: number | null;
  firstSeenAt: number;
  firstPostAt: number | null;
  lastPostAt: number | null;
  /** `/welcomer on`: part of the welcome crew. */
  welcomer: boolean;
  welcomerLastAskedAt: number | null;
  /** `/privacy off`: no analytics (signals, metrics) about this member. */
  analyticsOptOut: boolean;
  /** `/forget-me`: when they asked; their earlier events are never stored again. */
  forgottenAt: number | null;
  /** Preferred language (BCP-47), when known. */
  locale: string | null;
  /** Email, when the platform gives it (Slack with `users:read.email`; never Discord). */
  email: string | null;
  /** `/translator on <languages>`: languages they volunteer to help with (lowercase English names); null: not a translator. */
  translatorLanguages: string[] | null;
  translatorLastAskedAt: number | null;
};

/** A member as the figures read them (who counts, their name, when they came and posted): `MembersRepository.roster`. */
export type MemberRosterRow = Pick<MemberRow, 'id' | 'name' | 'isBot' | 'isModerator' | 'analyticsOptOut' | 'forgottenAt' | 'joinedAt' | 'firstSeenAt' | 'firstPostAt' | 'lastPostAt'>;
/** A member who counts in figures (`MembersRepository.counted`): their name, and whether they were forgotten. */
export type CountedMember = { name: string; forgotten: boolean };

export type ChannelVisibility = 'public' | 'private';
export type ChannelKind = 'text' | 'forum' | 'thread' | 'dm';

export type ChannelRow = {
  communityId: string;
  id: string;
  name: string;
  /** public: every member can read it; private: only its recorded members. */
  visibility: ChannelVisibility;
  kind: ChannelKind;
  /** For threads: the channel they live in. */
  parentId: string | null;
  createdAt: number;
};

export type MessageKind = 'message' | 'join' | 'system';

export type MessageRow = {
  /** The store's own row id, increasing in insertion order (tie-break and refresh watermark). */
  rowId: number;
  communityId: string;
  id: string;
  channelId: string;
  authorId: string;
  authorIsBot: boolean;
  /** Written by this companion (never indexed nor counted). */
  isCompanion: boolean;
  kind: MessageKind;
  /** Null once purged by retention or forget-me. */
  text: string | null;
  title: string | null;
  /** Thread / forum post / Slack thread root this message lives in. */
  threadId: string | null;
  /** The message this one answers (explicit reply, or inferred). */
  replyTo: string | null;
  replyInferred: boolean;
  /** The discussion this message belongs to (its root message id). */
  discussionId: string | null;
  createdAt: number;
  editedAt: number | null;
  /** The text is an AI transcript of the member's voice message or audio clip. */
  transcribed: boolean;
  /** The pulse's verdicts on the text (core/metrics/verdicts.ts); null until given, and whenever the text changes or goes. */
  verdicts: number | null;
};

export type NewMessage = {
  id: string;
  channelId: string;
  authorId: string;
  authorIsBot?: boolean;
  isCompanion?: boolean;
  kind?: MessageKind;
  text: string | null;
  title?: string | null;
  threadId?: string | null;
  replyTo?: string | null;
  replyInferred?: boolean;
  discussionId?: string | null;
  createdAt: number;
  /** When the source says the message was last edited (exports keep it; null: never). */
  editedAt?: number | null;
  /** The text is an AI transcript (the audio itself is never stored). */
  transcribed?: boolean;
};

/** The columns reply inference reads, with the author's display name. */
export type WindowMessage = Pick<
  MessageRow,
  'rowId' | 'id' | 'authorId' | 'authorIsBot' | 'isCompanion' | 'kind' | 'text' | 'threadId' | 'replyTo' | 'discussionId' | 'createdAt'
> & { authorName: string | null };

/** Every kind of signal; `record` takes no other, so no stored signal has another kind. */
export const SIGNAL_KINDS = [
  'welcome_given',
  'same_here',
  'helped',
  'thanked',
  'returned_to_help',
  'repair',
  'escalation_claimed',
  'mentorship',
  /** Bookkeeping, not a relationship signal: the companion asked this welcomer to greet a newcomer. */
  'welcomer_asked',
  /** A heated message from actor to subject (the denominator of "repair after conflict"). */
  'conflict',
  /** A third member reframed a heated exchange that then cooled (actor: them; subject: one member of the exchange). */
  'reframed_debate',
  /** A volunteer translator (actor) answered a member (subject) who asked for help across languages. */
  'translated_for',
  /** Bookkeeping: the companion asked this translator (actor) to help a member (subject). */
  'translator_asked',
] as const;

export type SignalKind = (typeof SIGNAL_KINDS)[number];

export type SignalRow = {
  id: number;
  communityId: string;
  /** A SignalKind (stored as text). */
  kind: string;
  actorId: string;
  subjectId: string | null;
  messageId: string | null;
  channelId: string | null;
  at: number;
  /** Small payload specific to the kind. */
  data: Record<string, unknown> | null;
  /** De-duplication key: the same fact is recorded once. */
  dedupeKey: string | null;
};

/**
 * A human post's shape without its words (the pulse's narrow read: most of its figures need
 * who wrote what where, and when, not the words), with what the pulse's rules decided about
 * its words (`verdicts`, core/metrics/verdicts.ts; null until decided, and again once the text
 * changed). `text` is there only where the verdicts stored are missing or were given by other
 * rules (`judgedWith`): for deciding them again.
 */
export type MessageShape = Pick<MessageRow, 'rowId' | 'id' | 'channelId' | 'authorId' | 'createdAt' | 'replyTo' | 'threadId' | 'discussionId' | 'text' | 'verdicts'>;

/** A signal's who and when only (help graphs, loads and chains over many weeks). */
export type CompactSignal = Pick<SignalRow, 'actorId' | 'subjectId' | 'at'>;

/**
 * Signals' who and when as three parallel columns: the i-th signal is `actorId[i]`,
 * `subjectId[i]`, `at[i]` (no object per signal: a dashboard page reads 100,000s of them).
 */
export interface CompactColumns {
  actorId: string[];
  subjectId: Array<string | null>;
  at: number[];
}

/** How many signals of a kind one member recorded about another, and the latest one's time. */
export type SignalPairCount = {
  kind: string;
  actorId: string;
  subjectId: string | null;
  count: number;
  lastAt: number;
};

/** How many messages one author wrote (in some window). */
export type AuthorCount = {
  authorId: string;
  count: number;
};

export type NewSignal = {
  kind: SignalKind;
  actorId: string;
  subjectId?: string | null;
  messageId?: string | null;
  channelId?: string | null;
  at: number;
  data?: Record<string, unknown>;
  /** Same key twice -> recorded once. */
  dedupeKey?: string;
};

export type EscalationStatus = 'open' | 'claimed' | 'resolved';

export type EscalationRow = {
  id: number;
  communityId: string;
  requesterId: string;
  channelId: string;
  /** The message the request is about (or the typed request itself). */
  messageId: string | null;
  reason: string | null;
  /** The newest reason given when the member asked again. */
  latestReason: string | null;
  /** outage | billing | fraud_security | data_loss | harassment_safety | distress | legal | none */
  stakesClass: string;
  stakes: 'high' | 'low';
  /** command | typed | action | incident | stakes */
  source: string;
  status: EscalationStatus;
  /** How many requests were merged into this one (1 = just the first). */
  requestCount: number;
  sameHereCount: number;
  createdAt: number;
  lastRequestAt: number;
  claimedBy: string | null;
  claimedAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  resolutionNote: string | null;
  /** Follow-up tier reached: 0 first ping, 1 re-pinged, 2 second tier. */
  tier: number;
  acknowledgedAt: number | null;
};

/** A new escalation: required columns, the rest take their defaults (open, tier 0, ...). */
export type NewEscalation = Pick<EscalationRow, 'requesterId' | 'channelId' | 'source' | 'createdAt' | 'lastRequestAt'> &
  Partial<Omit<EscalationRow, 'id' | 'communityId' | 'requesterId' | 'channelId' | 'source' | 'createdAt' | 'lastRequestAt'>>;

/** A follow-up step written in the same transaction as its escalation. */
export type EscalationStep = {
  kind: string;
  /** `{id}` is replaced by the new escalation's id. */
  key: string;
  dueAt: number;
  /** Added to the step's payload (which always names the escalation). */
  payload?: Record<string, unknown>;
};

/** A message the companion posted and may edit later, keyed by what it is about. */
export type CompanionPostRow = {
  communityId: string;
  key: string;
  channelId: string;
  messageId: string;
  createdAt: number;
  updatedAt: number;
};

/** The intent and outcome of a post that must happen once (see the outbox in src/core/outbox.ts). */
export type OutboxRow = {
  communityId: string;
  key: string;
  createdAt: number;
  sentAt: number | null;
  channelId: string | null;
  /** Empty for posts without a message of their own (ephemeral replies). */
  messageId: string | null;
  /**
   * A command reply's lookup credential (Discord's interaction token), written with the intent
   * so a restart can ask the platform whether the reply arrived. A secret: never logged,
   * cleared once the reply is confirmed or the credential has expired (`replyTokenUntil`).
   */
  replyToken: string | null;
  replyTokenUntil: number | null;
};

/** How a command reply can be found again on the platform, until when (see OutboxRow). */
export type ReplyToken = { token: string; until: number };

/** One member validating one message ("same here"). */
export type SameHereRow = {
  communityId: string;
  messageId: string;
  memberId: string;
  /** text | reaction | action | command */
  via: string;
  at: number;
};

export type TaskStatus = 'pending' | 'running' | 'done' | 'cancelled' | 'failed';

/** A durable scheduled step (nudge, re-ping, second tier). */
export type TaskRow = {
  id: number;
  communityId: string;
  kind: string;
  /** Unique per community: the same step is scheduled once. */
  key: string;
  dueAt: number;
  payload: Record<string, unknown> | null;
  /** running: a runner holds it until `leaseUntil`; past that it runs again. */
  status: TaskStatus;
  leaseUntil: number | null;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
};

/** Resumable progress of a long operator task (history backfill). */
export type CheckpointRow = {
  key: string;
  value: unknown;
  updatedAt: number;
};

/** A stored embedding vector (raw bytes; see core/search/hybrid.ts for the encoding). */
export type StoredVector = {
  vector: Buffer;
  updatedAt: number;
};

export type WebhookEventStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** A signed webhook event in the durable outbox (see src/crm/webhooks). */
export type WebhookEventRow = {
  id: number;
  communityId: string;
  /** The idempotency key: the same on every attempt, unique across the store. */
  eventId: string;
  type: string;
  /** The member it is about, if any (opt-out and forget-me drop their events). */
  memberId: string | null;
  /** The JSON body exactly as it is sent. */
  body: string;
  status: WebhookEventStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
};

export type NewWebhookEvent = Pick<WebhookEventRow, 'eventId' | 'type' | 'memberId' | 'body' | 'createdAt'>;

/**
 * One closed week's pulse figures, kept by the store for the dashboard's overview trend
 * (core/metrics/weeks.ts) so that a restart does not compute them again. `figures` names
 * nobody (no member ids or names: only counts, shares and durations); `notCounted` is a hash
 * of who did not count (bots, analytics off, forgotten) when it was computed.
 */
export type PulseWeekRow = {
  communityId: string;
  /** The week's end (exclusive), Monday 00:00 UTC. */
  weekUntil: number;
  computedAt: number;
  notCounted: string;
  figures: unknown;
};

/** What a CRM sink last sent about a member. */
export type CrmSyncRow = {
  communityId: string;
  sink: string;
  memberId: string;
  fingerprint: string;
  externalId: string | null;
  /** The sink's record was created by Hearth (so Hearth may delete it), not found there. */
  createdBySink: boolean;
  syncedAt: number;
};

/**
 * A single-use dashboard sign-in link (`/dashboard`). Only a hash of its token is stored, so
 * someone who reads the database cannot sign in with it.
 */
export type DashboardLinkRow = {
  tokenHash: string;
  communityId: string;
  /** The moderator it was given to. */
  memberId: string;
  createdAt: number;
  expiresAt: number;
  /** When it was opened (null: never); a used link never opens again. */
  usedAt: number | null;
};

/** A dashboard session: one moderator, one community. Stored by a hash of the cookie's value. */
export type DashboardSessionRow = {
  idHash: string;
  communityId: string;
  memberId: string;
  createdAt: number;
  expiresAt: number;
};

/** One account: a member of one community. */
export type AccountRef = {
  communityId: string;
  memberId: string;
};

/**
 * How two accounts were found to be one person: `member` (they linked their own accounts),
 * `moderator` (a moderator or operator did), `email` (the same email, kept as a link when one
 * account was opted out or forgotten so the person stays withheld after its email is gone).
 */
export type IdentityLinkVia = 'member' | 'moderator' | 'email';

/** Two accounts of one person, stored once per pair (the smaller `community/member` first). */
export type IdentityLinkRow = {
  communityId: string;
  memberId: string;
  linkedCommunityId: string;
  linkedMemberId: string;
  via: IdentityLinkVia;
  createdAt: number;
};

/**
 * A single-use code a member makes with `/link` on one account and confirms with `/link CODE`
 * on another: only its SHA-256 is stored.
 */
export type IdentityLinkCodeRow = {
  codeHash: string;
  /** The account that asked for it. */
  communityId: string;
  memberId: string;
  createdAt: number;
  expiresAt: number;
  /** When it was confirmed (null: never); a used code never links again. */
  usedAt: number | null;
};
