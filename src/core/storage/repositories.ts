/**
 * One interface per repository: everything the core, jobs, CLI and import ask of storage.
 * Every method is async (a networked store answers later) and every method but the
 * checkpoints' and the task runner's (which run across communities by design) takes the
 * community id first: no query crosses communities.
 */
import type { ChannelRef, MemberRef } from '../events';
import type {
  AuthorCount,
  CompactColumns,
  CompactSignal,
  ChannelRow,
  CheckpointRow,
  CommunityRow,
  CompanionPostRow,
  CrmSyncRow,
  AccountRef,
  IdentityLinkCodeRow,
  IdentityLinkRow,
  IdentityLinkVia,
  NewWebhookEvent,
  DashboardLinkRow,
  DashboardSessionRow,
  OutboxRow,
  PulseWeekRow,
  ReplyToken,
  EscalationRow,
  EscalationStatus,
  EscalationStep,
  MemberRosterRow,
  CountedMember,
  MemberRow,
  MessageRow,
  MessageShape,
  NewEscalation,
  NewMessage,
  NewSignal,
  SameHereRow,
  SignalKind,
  SignalPairCount,
  SignalRow,
  StoredVector,
  TaskRow,
  WebhookEventRow,
  WebhookEventStatus,
  WindowMessage,
} from './rows';

export interface CommunitiesRepository {
  /** Create the community on first sight; later calls change nothing. */
  ensure(id: string, platform: string, name: string, at: number): Promise<void>;
  get(id: string): Promise<CommunityRow | undefined>;
  listByPlatform(platform: string): Promise<CommunityRow[]>;
  /** Every community in the store, by id (operator tools that cover them all, one at a time). */
  list(): Promise<CommunityRow[]>;
}

export interface MembersRepository {
  /** Insert or refresh a member's name and flags (an unknown moderator flag keeps the stored one); history columns stay. */
  upsert(community: string, ref: MemberRef, at: number): Promise<void>;
  get(community: string, id: string): Promise<MemberRow | undefined>;
  /** By display name, case-insensitively. */
  findByName(community: string, name: string): Promise<MemberRow | undefined>;
  /** Record a join; an earlier join than the first appearance moves `firstSeenAt` back to it. */
  markJoined(community: string, id: string, at: number): Promise<void>;
  /** Record a post; returns true when it was the member's first. */
  markPosted(community: string, id: string, at: number): Promise<boolean>;
  setWelcomer(community: string, id: string, on: boolean): Promise<void>;
  /** Human welcomers, least recently asked first (then by id). */
  listWelcomers(community: string): Promise<MemberRow[]>;
  markWelcomerAsked(community: string, id: string, at: number): Promise<void>;
  /**
   * Take a welcomer's turn: set their last-asked time only if it is still `previous` (what
   * the caller read), so two joins handled at once never both pick the same person.
   */
  claimWelcomerTurn(community: string, id: string, previous: number | null, at: number): Promise<boolean>;
  /** `/translator on <languages>` (an empty list: off). */
  setTranslator(community: string, id: string, languages: string[]): Promise<void>;
  /** Human translators, least recently asked first (then by id). */
  listTranslators(community: string): Promise<MemberRow[]>;
  /** Take a translator's turn, like `claimWelcomerTurn`. */
  claimTranslatorTurn(community: string, id: string, previous: number | null, at: number): Promise<boolean>;
  setAnalyticsOptOut(community: string, id: string, optOut: boolean): Promise<void>;
  /** Forget-me: keep only the id, analytics off, not a welcomer nor a translator, and when they asked (`at`). */
  forget(community: string, id: string, at: number): Promise<void>;
  /** Preferred language (BCP-47); null clears it. */
  setLocale(community: string, id: string, locale: string | null): Promise<void>;
  list(community: string): Promise<MemberRow[]>;
  /**
   * Some members as the figures read them (MemberRosterRow: the columns `list` reads, less
   * than half): those of `ids` found, in no particular order.
   */
  roster(community: string, ids: readonly string[]): Promise<MemberRosterRow[]>;
  /**
   * The members who count in figures (the core's `counts`: not a bot, analytics on), by id,
   * with their name and whether they were forgotten (then never named): of `ids`, or every
   * one. Narrow, for the dashboard's pages, which name a few of tens of thousands.
   */
  counted(community: string, ids?: readonly string[]): Promise<Map<string, CountedMember>>;
  /**
   * The ids of the members figures leave out or never name (bots, analytics off, forgotten),
   * in no particular order: usually few, so a page can tell whether who counts changed without reading
   * every member.
   */
  leftOut(community: string): Promise<string[]>;
  /** The ids of the community's bots and of its moderators (both usually few), in no particular order. */
  roles(community: string): Promise<{ bots: string[]; moderators: string[] }>;
  /**
   * The members who joined and were first seen in [since, until), bots left out (the pulse's
   * newcomers, whether they count or not), in no particular order.
   */
  newcomers(community: string, since: number, until: number): Promise<Array<{ id: string; firstSeenAt: number }>>;
  /** How many members joined at or after `since`, counting up to `cap` (how fast joins come). */
  countJoinedSince(community: string, since: number, cap: number): Promise<number>;
}

export interface ChannelsRepository {
  /** Insert or refresh a channel; membership lists (when given) are added, not replaced. */
  upsert(community: string, ref: ChannelRef, at: number): Promise<void>;
  get(community: string, id: string): Promise<ChannelRow | undefined>;
  findByName(community: string, name: string): Promise<ChannelRow | undefined>;
  list(community: string): Promise<ChannelRow[]>;
  addMember(community: string, channelId: string, memberId: string): Promise<void>;
  /** The members recorded for a private channel. */
  members(community: string, channelId: string): Promise<string[]>;
  /** The channels a member is recorded in (private channels and threads). */
  membershipsOf(community: string, memberId: string): Promise<string[]>;
  removeMember(community: string, channelId: string, memberId: string): Promise<void>;
  /**
   * Can this member read this channel? Public: yes; private: only its members. Threads
   * inherit their parent's rule, and a private thread also needs its own membership.
   * Unknown channels (and parent cycles) are unreadable: fail closed.
   */
  canRead(community: string, channelId: string, memberId: string): Promise<boolean>;
  /** Readable by every member: public all the way up its parents, and not a DM. Unknown -> false. */
  isPublic(community: string, channelId: string): Promise<boolean>;
  /** Every channel id the member can read (canRead's rule, in one pass). */
  readableBy(community: string, memberId: string): Promise<Set<string>>;
}

export interface MessagesRepository {
  /**
   * Insert a message and index it for related search when it is a human message with text,
   * atomically. A message already stored (replay, re-import) is left as it is: undefined.
   */
  insert(community: string, message: NewMessage): Promise<MessageRow | undefined>;
  get(community: string, id: string): Promise<MessageRow | undefined>;
  /** Edit the text (and the title when given); false when the message is not stored. */
  updateText(community: string, id: string, text: string, title: string | null | undefined, at: number): Promise<boolean>;
  setReply(community: string, id: string, replyTo: string | null, inferred: boolean, discussionId: string | null): Promise<void>;
  /**
   * Store a transcript as the message's text, marked transcribed (indexed like text), once:
   * false when the message is not stored or already has its transcript (the caller that gets
   * true is the one that lets the features read the words).
   */
  setTranscript(community: string, id: string, text: string): Promise<boolean>;
  /** Remove a message entirely (platform delete), index included; returns what was stored. */
  delete(community: string, id: string): Promise<MessageRow | undefined>;
  /** Messages in a channel since a time, newest first. */
  recentInChannel(community: string, channelId: string, since: number, limit?: number): Promise<MessageRow[]>;
  /**
   * The messages posted in a channel before `message` (earlier time, or same time and stored
   * earlier), no older than `since`, newest first, with their author's display name.
   */
  before(community: string, channelId: string, message: { createdAt: number; rowId: number }, since: number, limit?: number): Promise<WindowMessage[]>;
  /** Messages of a discussion (root, replies, thread), oldest first. */
  inDiscussion(community: string, discussionId: string): Promise<MessageRow[]>;
  /** Explicit or inferred replies to this message, and messages in the thread it started, oldest first. */
  repliesTo(community: string, id: string): Promise<MessageRow[]>;
  /**
   * Discussions with non-bot messages stored after row `afterRowId` and written since
   * `since`, oldest change first, with the last such row id (the embeddings refresh queue).
   */
  discussionsTouchedAfter(community: string, afterRowId: number, since: number, limit: number): Promise<{ discussionId: string; lastRowId: number }[]>;
  byAuthor(community: string, authorId: string): Promise<MessageRow[]>;
  /** The companion's own posts that name this member (`<@id>`, `<@id|name>`): forget-me. */
  companionPostsNaming(community: string, memberId: string): Promise<MessageRow[]>;
  /** Messages created in [since, until), oldest first. */
  inWindow(community: string, since: number, until: number): Promise<MessageRow[]>;
  /**
   * Human posts (kind `message`, author not a bot) created in [since, until), oldest first
   * (time, then row id), as shapes (MessageShape): the pulse's read, a fraction of
   * `inWindow`'s bytes. Text only where the verdicts stored are not of the tag `judgedWith`
   * (none without it).
   */
  shapesInWindow(community: string, since: number, until: number, options?: { judgedWith?: number }): Promise<MessageShape[]>;
  /**
   * Store the pulse's verdicts on messages' words, each only if the message still has the text
   * they were given from (an edit meanwhile wins). Every change of a message's text (edit,
   * transcript, retention purge) forgets its verdicts.
   */
  setVerdicts(community: string, judged: Array<{ rowId: number; text: string; verdicts: number }>): Promise<void>;
  /** Retention: blank the text and title of messages older than `before`; returns how many. */
  purgeTextBefore(community: string, before: number): Promise<number>;
  /** How many human messages (kind `message`, not a bot's) each author wrote in [since, until). */
  countByAuthor(community: string, since: number, until: number): Promise<AuthorCount[]>;
  /**
   * Authors with at least `atLeast` human messages (as countByAuthor counts them) in
   * [since, quietSince) and none in [quietSince, until): regulars who went quiet, decided by
   * the store (one count over the earlier period, then one index probe per regular). With
   * `authorId`, that author alone (one member's record: their own messages only).
   */
  quietAuthors(community: string, rule: { since: number; quietSince: number; until: number; atLeast: number; authorId?: string }): Promise<string[]>;
  /**
   * Authors who posted again (a human message) between `minGap` and `maxGap` after their
   * first post (the member's `firstPostAt`), both inclusive: the newcomer return rule. With
   * `memberId`, that member alone is looked at (one record, not the whole community).
   */
  authorsBackAfterFirstPost(community: string, minGap: number, maxGap: number, memberId?: string): Promise<string[]>;
  /** When a community's first and last stored messages were written (null with none). */
  span(community: string): Promise<{ first: number; last: number } | null>;
}

export interface SignalsRepository {
  /** Record a signal; false when its dedupe key was already recorded. */
  record(community: string, signal: NewSignal): Promise<boolean>;
  /**
   * Candidate mentors of `mentee`, who has just helped `recipient` at `before`: members who
   * helped the mentee since the mentee's previous help (`previous`, or ever), other than
   * `recipient`; plus the previous help's recipient when they had helped the mentee before it.
   */
  mentorsOf(community: string, mentee: string, recipient: string, previous: { at: number; subjectId: string | null } | undefined, before: number): Promise<string[]>;
  /**
   * Oldest first; `until` is exclusive. `dedupeKeyPrefix`: only signals whose dedupe key
   * starts with it (`helped:accepted:`: accepted answers; the prefix is never a pattern).
   */
  list(community: string, options?: { kind?: SignalKind; since?: number; until?: number; dedupeKeyPrefix?: string }): Promise<SignalRow[]>;
  /** Who and when of one kind's signals in [since, until), oldest first (then by id). */
  compact(community: string, kind: SignalKind, since: number, until: number): Promise<CompactSignal[]>;
  /** The same as `compact`, as parallel columns (read as three values, not a row per signal). */
  compactColumns(community: string, kind: SignalKind, since: number, until: number): Promise<CompactColumns>;
  /**
   * Signals counted per (kind, actor, subject) before `until` (exclusive; all without it): one
   * row per pair however many signals, so per-member totals never load every signal.
   */
  countByPair(community: string, options?: { until?: number }): Promise<SignalPairCount[]>;
  /** How many signals of these kinds this member was the actor of since `since`. */
  countByActor(community: string, actorId: string, kinds: SignalKind[], since: number): Promise<number>;
  /** The actor's most recent signal of a kind strictly before `before`: when, and about whom. */
  latestBy(community: string, kind: SignalKind, actorId: string, before: number): Promise<Pick<SignalRow, 'at' | 'subjectId'> | undefined>;
  /** Signals of a kind between two members (either direction) since a time, newest first. */
  between(community: string, kind: SignalKind, a: string, b: string, since: number): Promise<SignalRow[]>;
  /** Signals of a kind with this member as actor or subject, in [since, until), newest first. */
  involving(community: string, kind: SignalKind, memberId: string, since: number, until: number): Promise<SignalRow[]>;
  /** Signals with this member as actor or subject (opt-out, forget-me); returns how many. */
  deleteForMember(community: string, memberId: string): Promise<number>;
  forMember(community: string, memberId: string): Promise<SignalRow[]>;
  /** Oldest first. */
  forSubject(community: string, kind: SignalKind, subjectId: string): Promise<SignalRow[]>;
  /**
   * Retention: the words members gave with signals recorded before `before` (a `/thanks … for`
   * reason) are removed; the signals stay. Returns how many signals lost their words.
   */
  purgeTextBefore(community: string, before: number): Promise<number>;
}

export interface SettingsRepository {
  /** Every stored setting of the community, by key. */
  all(community: string): Promise<Record<string, unknown>>;
  set(community: string, key: string, value: unknown, at: number, by?: string): Promise<void>;
  unset(community: string, key: string): Promise<void>;
}

export interface EscalationsRepository {
  create(community: string, values: NewEscalation): Promise<EscalationRow>;
  /** The escalation and its follow-up steps (tasks with `{ escalationId }` payloads), atomically. */
  createWithSteps(community: string, values: NewEscalation, steps: EscalationStep[]): Promise<EscalationRow>;
  get(community: string, id: number): Promise<EscalationRow | undefined>;
  update(community: string, id: number, values: Partial<NewEscalation>): Promise<EscalationRow | undefined>;
  /** Conditional transition (e.g. open -> claimed): undefined unless the status was one of `from`, so two moderators cannot both claim. */
  transition(community: string, id: number, from: EscalationStatus[], values: Partial<NewEscalation>): Promise<EscalationRow | undefined>;
  /** The requester's newest open or claimed request about the same channel (for merging repeats). */
  findOpenFor(community: string, requesterId: string, channelId: string): Promise<EscalationRow | undefined>;
  /** Forget-me: keep the requests but drop their reasons and notes; returns how many. */
  clearReasonsOf(community: string, requesterId: string): Promise<number>;
  /** Retention: drop reasons of requests last made before `before`, and notes resolved before it; returns how many. */
  purgeTextBefore(community: string, before: number): Promise<number>;
  /** Oldest first; `messageId`: only the requests made with (or quoting) that message. */
  list(community: string, options?: { since?: number; status?: EscalationStatus[]; messageId?: string }): Promise<EscalationRow[]>;
}

export interface CompanionPostsRepository {
  get(community: string, key: string): Promise<CompanionPostRow | undefined>;
  /** What a companion message is about (reverse lookup by the posted message). */
  findByMessage(community: string, messageId: string): Promise<CompanionPostRow | undefined>;
  /** Every post whose key starts with `prefix` (e.g. all the pings of one request), oldest first. */
  withPrefix(community: string, prefix: string): Promise<CompanionPostRow[]>;
  put(community: string, key: string, channelId: string, messageId: string, at: number): Promise<void>;
  /**
   * Take a rate-limit slot atomically: insert the key, or move it forward if it was last
   * used before `idleSince`. False while the slot is still taken (durable dedupe).
   */
  claimIfIdle(community: string, key: string, channelId: string, at: number, idleSince: number): Promise<boolean>;
  remove(community: string, key: string): Promise<void>;
  touch(community: string, key: string, at: number): Promise<void>;
}

/**
 * Platform deliveries being or already handled, keyed by the platform's own id for the
 * delivery (a Discord message or interaction id, a Slack event_id): a redelivery, to this
 * process or another sharing the store, is acted on once.
 */
export interface DeliveriesRepository {
  /**
   * Take a delivery for handling until `leaseUntil`, in one atomic statement: true for the
   * first caller; false while another holds it or once it was handled (`done`). A handler
   * that died leaves its lease to run out, and a later redelivery is handled again.
   */
  claim(community: string, key: string, at: number, leaseUntil: number): Promise<boolean>;
  /**
   * The companion's claim of an event, under the community's lock (`Repositories.inOrder`, so
   * an unfinished claim it meets was left by a handler that died): a first claim (`'new'`); a
   * claim nobody finished (`'resumed'`: its handler died, possibly after storing the event and
   * before or while acting on it), taken over at once, not a lease later; or false once handled
   * (`done`). A first insert, else a conditional update: each statement atomic.
   */
  take(community: string, key: string, at: number, leaseUntil: number): Promise<'new' | 'resumed' | false>;
  /** Handled: every later redelivery is a duplicate. */
  done(community: string, key: string, at: number): Promise<void>;
  /** Retention: forget deliveries received before `before` (platforms stop redelivering within minutes); returns how many. */
  purgeBefore(community: string, before: number): Promise<number>;
}

/** Intents and outcomes of posts that must happen once. */
export interface OutboxRepository {
  get(community: string, key: string): Promise<OutboxRow | undefined>;
  /**
   * Write the intent before posting (kept as it is when one exists already), with the reply's
   * lookup credential when the post is a command reply the platform can find again.
   */
  intend(community: string, key: string, at: number, reply?: ReplyToken): Promise<void>;
  /** The platform took the post: record it (the first outcome recorded wins) and drop its credential. */
  sent(community: string, key: string, target: { channelId: string; messageId: string } | null, at: number): Promise<void>;
  /** Drop the reply credentials that expired at or before `now`; returns how many. */
  dropExpiredReplyTokens(community: string, now: number): Promise<number>;
  /** The platform refused the post: drop the intent, so the next attempt is a plain first send. */
  failed(community: string, key: string): Promise<void>;
}

export interface SameHereRepository {
  /** Add a validation; the same member on the same message counts once. True if new. */
  add(community: string, messageId: string, memberId: string, via: string, at: number): Promise<boolean>;
  /** Take back a validation made one way (an un-reaction); one made another way stays. True if removed. */
  removeVia(community: string, messageId: string, memberId: string, via: string): Promise<boolean>;
  count(community: string, messageId: string): Promise<number>;
  /** Forget-me: the member's validations, and validations of the given messages (theirs). */
  deleteForMember(community: string, memberId: string, messageIds?: string[]): Promise<number>;
  forMember(community: string, memberId: string): Promise<SameHereRow[]>;
  since(community: string, since: number): Promise<SameHereRow[]>;
}

/**
 * Durable scheduled steps. Several runners may share a store: `claim` is the only way to
 * run a step, and one caller wins it for a lease.
 */
export interface TasksRepository {
  /** Schedule a step once: (community, key) is unique, a repeat changes nothing. True if new. */
  schedule(community: string, kind: string, key: string, dueAt: number, payload: Record<string, unknown>, at: number): Promise<boolean>;
  /**
   * Steps to run by `now` in communities whose id starts with `communityPrefix`: pending ones
   * that are due and running ones whose lease ran out; by due time, then id.
   */
  due(now: number, communityPrefix: string, limit?: number): Promise<TaskRow[]>;
  /**
   * Claim a step until `leaseUntil`; only one caller wins (pending, or running with an
   * expired lease). Steps are at-least-once: a runner that dies leaves the lease to run out.
   */
  claim(id: number, at: number, leaseUntil: number): Promise<boolean>;
  /**
   * `due` and `claim` in one atomic statement: claim up to `limit` steps due by `now` until
   * `leaseUntil` and return them (by due time, then id). Runners sharing a store each get
   * different steps, without waiting on each other's (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
   * `communities`: only steps of these (a runner serving some of the prefix's communities).
   */
  claimDue(now: number, communityPrefix: string, leaseUntil: number, limit: number, communities?: string[]): Promise<TaskRow[]>;
  /**
   * The handler succeeded: done for good (only a running step). `lease` (here, in `fail` and
   * `retry`): the claim's `leaseUntil`; with it, only while the step is still that claim's. A
   * runner that outlived its lease, the step claimed again meanwhile, changes nothing.
   */
  complete(id: number, at: number, lease?: number): Promise<void>;
  fail(id: number, error: string, at: number, lease?: number): Promise<void>;
  /** Put a claimed step back to pending (transient failure), one more attempt counted. */
  retry(id: number, dueAt: number, error: string, lease?: number): Promise<void>;
  /** Cancel a pending step (a running or finished one is left alone). */
  cancel(community: string, key: string, at: number): Promise<void>;
  get(community: string, key: string): Promise<TaskRow | undefined>;
  /** A community's pending tasks of one kind, soonest due first (steps that run together). */
  pendingOfKind(community: string, kind: string, limit: number): Promise<TaskRow[]>;
}

/** Resumable progress of long operator tasks, keyed by the caller (community and channel inside the key). */
export interface CheckpointsRepository {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown, at: number): Promise<void>;
  /** Checkpoints whose key starts with `prefix` (`%` and `_` are ignored). */
  list(prefix: string): Promise<CheckpointRow[]>;
}

/** Discussion vectors for hybrid related ranking, per embeddings model. */
export interface EmbeddingsRepository {
  get(community: string, model: string, discussionIds: string[]): Promise<Map<string, StoredVector>>;
  put(community: string, model: string, discussionId: string, vector: Buffer, at: number): Promise<void>;
  remove(community: string, discussionId: string): Promise<void>;
  /** Retention: drop the vectors of discussions with message text written before `before`; returns how many. */
  removeWithTextBefore(community: string, before: number): Promise<number>;
  /** The last message row id whose discussion has been (re-)embedded for this model (0: none). */
  watermark(community: string, model: string): Promise<number>;
  setWatermark(community: string, model: string, rowId: number, at: number): Promise<void>;
}

/**
 * The webhook sink's durable outbox. Like the task runner, `due` and `claim` run across
 * communities by design (one dispatcher per process serves them all); `claim` is the only
 * way to send an event, and one caller wins it for a lease.
 */
export interface WebhookEventsRepository {
  /** Queue an event, due now; an event id already stored is left as it is (false). */
  enqueue(community: string, event: NewWebhookEvent): Promise<boolean>;
  /** Events to send by `now`: pending ones that are due, and sending ones whose lease ran out; oldest due first, then id. */
  due(now: number, limit?: number): Promise<WebhookEventRow[]>;
  /**
   * Take an event for sending until `leaseUntil`, counting the attempt; only one caller wins
   * (pending, or sending with an expired lease). A dispatcher that dies mid-send leaves the
   * lease to run out, and the event is sent again with the same id: at-least-once.
   */
  claim(id: number, at: number, leaseUntil: number): Promise<boolean>;
  /** The receiver took it (2xx): done for good. */
  delivered(id: number, at: number): Promise<void>;
  /** Put a claimed event back for another attempt at `nextAttemptAt`. */
  retry(id: number, nextAttemptAt: number, error: string): Promise<void>;
  /** Give up on an event (attempts exhausted, or a permanent refusal). */
  fail(id: number, error: string, at: number): Promise<void>;
  /** Opt-out, forget-me: remove every event about the member, queued or sent; returns how many. */
  deleteForMember(community: string, memberId: string): Promise<number>;
  /** Forget-me of someone an event names besides its member (a claimer, a welcomer): its body without them. */
  setBody(community: string, id: number, body: string): Promise<void>;
  get(community: string, eventId: string): Promise<WebhookEventRow | undefined>;
  /** Oldest first (operator tools and tests). */
  list(community: string, options?: { status?: WebhookEventStatus[] }): Promise<WebhookEventRow[]>;
}

/** Per sink and member: what was last sent (a fingerprint) and the sink's id for them. */
export interface CrmSyncRepository {
  /** Every member this sink has a row for, by member id. */
  list(community: string, sink: string): Promise<CrmSyncRow[]>;
  /**
   * Insert or replace a member's row; `createdBySink` once true stays true while `externalId`
   * stays the same (Hearth made that record); a row moved to another record takes the new value.
   */
  put(community: string, sink: string, memberId: string, values: Pick<CrmSyncRow, 'fingerprint' | 'externalId' | 'createdBySink'>, at: number): Promise<void>;
  remove(community: string, sink: string, memberId: string): Promise<void>;
}

/**
 * Dashboard sign-in links and sessions. Links and sessions are found by the hash of their
 * secret alone (the secret is the key, and names its community): those two lookups are the
 * only ones here without a community first.
 */
/** Closed weeks' pulse figures (PulseWeekRow), kept for the overview across restarts. */
export interface PulseWeeksRepository {
  /** The community's stored weeks ending in [fromUntil, toUntil], oldest first. */
  list(community: string, fromUntil: number, toUntil: number): Promise<PulseWeekRow[]>;
  /** Store a week (replacing the one stored for the same end); weeks ending before `dropBefore` are dropped. */
  put(community: string, week: Omit<PulseWeekRow, 'communityId'>, dropBefore: number): Promise<void>;
  /** Drop every week stored for the community; returns how many. */
  clear(community: string): Promise<number>;
}

export interface DashboardAccessRepository {
  addLink(community: string, link: Omit<DashboardLinkRow, 'communityId' | 'usedAt'>): Promise<void>;
  /** The link, used or not (to say why it cannot open). */
  getLink(tokenHash: string): Promise<DashboardLinkRow | undefined>;
  /**
   * Use a link: mark it used at `at` and return it, only when it was unused and `at` is before
   * its expiry, in one atomic statement (of two callers, one wins). Undefined otherwise.
   */
  useLink(tokenHash: string, at: number): Promise<DashboardLinkRow | undefined>;
  addSession(community: string, session: Omit<DashboardSessionRow, 'communityId'>): Promise<void>;
  /** The session, when it exists and `at` is before its expiry. */
  getSession(idHash: string, at: number): Promise<DashboardSessionRow | undefined>;
  endSession(idHash: string): Promise<void>;
  /** Sign-out-everywhere: end every session of the community and drop its unused links; returns the sessions ended. */
  endAll(community: string): Promise<number>;
  /** Drop the community's links and sessions that expired before `before`. */
  purgeExpired(community: string, before: number): Promise<void>;
  /**
   * The communities with a session still open at `at` (ids only, across communities by
   * design: a starting dashboard computes their figures before their moderators look again).
   */
  signedInCommunities(at: number): Promise<string[]>;
}

/**
 * Which accounts are one person (src/core/identity). Like the task runner's, some queries run
 * across communities by design: a person's accounts live in several communities (a Discord
 * server and a Slack workspace) of the same installation, which is the community group.
 */
export interface IdentityLinksRepository {
  /** Link two accounts; a pair already linked (either order) is left as it is (false). */
  link(community: string, memberId: string, linked: AccountRef, via: IdentityLinkVia, at: number): Promise<boolean>;
  /** The links with this account on either side, oldest first. */
  forMember(community: string, memberId: string): Promise<IdentityLinkRow[]>;
  /** Every link in the store, by community and member (the people of the whole group). */
  list(): Promise<IdentityLinkRow[]>;
  /** Remove every link of this account (either side); returns how many. */
  unlink(community: string, memberId: string): Promise<number>;
  /**
   * Members of any community whose email is this one, compared trimmed and case-insensitively;
   * by community and member. A blank email matches nobody.
   */
  accountsWithEmail(email: string): Promise<AccountRef[]>;
  /**
   * Store a link code (its hash) for an account. It replaces the account's unused codes, and
   * every code (anyone's, used or not) that expired before `createdAt` is dropped.
   */
  addCode(community: string, code: Omit<IdentityLinkCodeRow, 'communityId' | 'usedAt'>): Promise<void>;
  /** The code, used or not, from any community (to say why it cannot link). */
  getCode(codeHash: string): Promise<IdentityLinkCodeRow | undefined>;
  /**
   * Use a code: mark it used at `at` and return it, only when it was unused and `at` is before
   * its expiry, in one atomic statement (of two callers, one wins). Undefined otherwise.
   */
  useCode(codeHash: string, at: number): Promise<IdentityLinkCodeRow | undefined>;
  /** Forget-me: drop every code of the account, used or not; returns how many. */
  dropCodes(community: string, memberId: string): Promise<number>;
}
