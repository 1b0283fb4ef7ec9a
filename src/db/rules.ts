/**
 * What every store decides the same way, whatever its SQL: the shapes of new rows, who may
 * read a channel, what forget-me leaves of a member. The SQLite (repositories/) and
 * PostgreSQL (postgres/) repositories both use these; only their statements differ.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type Column, type Placeholder, type SQL, type Table } from 'drizzle-orm';
import type { ChannelRef, MemberRef } from '../core/events';
import type { AccountRef, ChannelRow, CountedMember, EscalationStep, MemberRosterRow, MessageRow, NewMessage, NewSignal, SignalRow, TaskRow, WindowMessage } from '../core/storage';

/** What related search indexes: human messages with text (never bots', never the companion's). */
export function isSearchable(row: Pick<MessageRow, 'text' | 'authorIsBot' | 'isCompanion' | 'kind'>): boolean {
  return row.text !== null && !row.authorIsBot && !row.isCompanion && row.kind === 'message';
}

/** A new message's row, every optional column at its default. */
export function messageRow(community: string, message: NewMessage): Omit<MessageRow, 'rowId'> {
  return {
    communityId: community,
    id: message.id,
    channelId: message.channelId,
    authorId: message.authorId,
    authorIsBot: Boolean(message.authorIsBot),
    isCompanion: Boolean(message.isCompanion),
    kind: message.kind ?? 'message',
    text: message.text,
    title: message.title ?? null,
    threadId: message.threadId ?? null,
    replyTo: message.replyTo ?? null,
    replyInferred: Boolean(message.replyInferred),
    discussionId: message.discussionId ?? null,
    createdAt: message.createdAt,
    editedAt: message.editedAt ?? null,
    transcribed: Boolean(message.transcribed),
    verdicts: null,
  };
}

/** A new signal's row (without its id), optional columns null. */
export function signalRow(community: string, signal: NewSignal): Omit<SignalRow, 'id'> {
  return {
    communityId: community,
    kind: signal.kind,
    actorId: signal.actorId,
    subjectId: signal.subjectId ?? null,
    messageId: signal.messageId ?? null,
    channelId: signal.channelId ?? null,
    at: signal.at,
    data: signal.data ?? null,
    dedupeKey: signal.dedupeKey ?? null,
  };
}

/** The message columns reply inference reads (with the author's name, from members). */
export const WINDOW_COLUMNS = ['rowId', 'id', 'authorId', 'authorIsBot', 'isCompanion', 'kind', 'text', 'threadId', 'replyTo', 'discussionId', 'createdAt'] as const satisfies readonly Exclude<keyof WindowMessage, 'authorName'>[];

/**
 * The select list of `MessagesRepository.shapesInWindow`, for either dialect's messages
 * table: the shape's columns and stored verdicts, and the text only where the verdicts are
 * not of the tag `judgedWith` (a tag is the verdicts' bits above the eighth; none without it).
 */
export function shapeColumns<T extends Record<'rowId' | 'id' | 'channelId' | 'authorId' | 'createdAt' | 'replyTo' | 'threadId' | 'discussionId' | 'text' | 'verdicts', Column>>(t: T, judgedWith: SQL | Placeholder | number | undefined) {
  return {
    ...pick(t, ['rowId', 'id', 'channelId', 'authorId', 'createdAt', 'replyTo', 'threadId', 'discussionId', 'text', 'verdicts'] as const),
    text: judgedWith === undefined ? sql<string | null>`null` : sql<string | null>`case when ${t.verdicts} >> 8 = ${judgedWith} then null else ${t.text} end`,
  };
}

/**
 * Signals whose dedupe key starts with `prefix`, exactly (case-sensitive, the prefix never a
 * pattern), for either dialect's signals table.
 */
export function dedupeKeyStartsWith(t: { dedupeKey: Column }, prefix: string): SQL {
  return sql`substr(${t.dedupeKey}, 1, ${prefix.length}) = ${prefix}`;
}

/** The member columns of `MembersRepository.roster` (MemberRosterRow), in select order. */
export const ROSTER_COLUMNS = ['id', 'name', 'isBot', 'isModerator', 'analyticsOptOut', 'forgottenAt', 'joinedAt', 'firstSeenAt', 'firstPostAt', 'lastPostAt'] as const satisfies readonly (keyof MemberRosterRow)[];

/** `columns` picked from a table, by name (a select list). */
export const pick = <T, K extends keyof T>(table: T, columns: readonly K[]): Pick<T, K> => Object.fromEntries(columns.map((c) => [c, table[c]])) as Pick<T, K>;

/**
 * What a member's or channel's upsert writes, as one string: an upsert with the state last
 * written changes nothing, so stores skip it (every event upserts its author and channel).
 */
export const memberState = (ref: MemberRef): string => `${ref.name}\u0000${ref.isBot ?? false}\u0000${ref.isModerator ?? ''}\u0000${ref.email ?? ''}`;
export const channelState = (ref: ChannelRef): string => JSON.stringify([ref.name, ref.visibility, ref.kind, ref.parentId, ref.memberIds]);

/** Forget-me: what stays of a member besides the id and when they asked. */
export const FORGOTTEN_MEMBER = {
  name: 'forgotten member',
  locale: null,
  email: null,
  analyticsOptOut: true,
  welcomer: false,
  welcomerLastAskedAt: null,
  translatorLanguages: null,
  translatorLastAskedAt: null,
} as const;

/** An escalation's follow-up step as a scheduled task row. */
export function escalationStepTask(
  community: string,
  escalationId: number,
  step: EscalationStep,
  at: number,
): Pick<TaskRow, 'communityId' | 'kind' | 'key' | 'dueAt' | 'payload' | 'createdAt'> {
  return {
    communityId: community,
    kind: step.kind,
    key: step.key.replace('{id}', String(escalationId)),
    dueAt: step.dueAt,
    payload: { ...step.payload, escalationId },
    createdAt: at,
  };
}

/** A LIKE pattern for keys starting with `prefix` (`%` and `_` in it are ignored). */
export const startsWith = (prefix: string): string => `${prefix.replace(/[%_]/g, '')}%`;

/** Stored task errors are cut to this many characters. */
export const errorText = (error: string): string => error.slice(0, 500);

/** The checkpoint key of an embeddings model's refresh watermark. */
export const watermarkKey = (community: string, model: string): string => `embeddings:${community}:${model}`;

/** The mentee's previous help's recipient, when they count as a possible mentor (see SignalsRepository.mentorsOf). */
export const pendingMentor = (recipient: string, previous: { subjectId: string | null } | undefined): string | null =>
  previous?.subjectId && previous.subjectId !== recipient ? previous.subjectId : null;

/**
 * Can a member read this channel? Public channels: yes. Private: only its members. Threads
 * inherit their parent's rule, and a private thread also needs its own membership. Unknown
 * channels (and parent cycles) are unreadable: fail closed.
 */
export function readableThrough(channelId: string, channel: (id: string) => ChannelRow | undefined, isMember: (channelId: string) => boolean): boolean {
  const seen = new Set<string>();
  let current = channel(channelId);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    if (current.visibility === 'private' && !isMember(current.id)) return false;
    if (!current.parentId) return true;
    current = channel(current.parentId);
  }
  return false;
}

/** Readable by every member: public all the way up its parents, and not a DM. Unknown (or a cycle): false. */
export async function publicThrough(channelId: string, channel: (id: string) => Promise<ChannelRow | undefined>): Promise<boolean> {
  const seen = new Set<string>();
  let current = await channel(channelId);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    if (current.visibility === 'private' || current.kind === 'dm') return false;
    if (!current.parentId) return true;
    current = await channel(current.parentId);
  }
  return false;
}

/** Every channel the member can read, from all the community's channels and the private ones they belong to. */
export function readableChannels(all: ChannelRow[], memberOf: Set<string>): Set<string> {
  const byChannel = new Map(all.map((c) => [c.id, c]));
  const readable = new Set<string>();
  for (const channel of all) if (readableThrough(channel.id, (id) => byChannel.get(id), (id) => memberOf.has(id))) readable.add(channel.id);
  return readable;
}

/**
 * A step's attempts as it is claimed: one more when it was still running (its runner died, or
 * outlived its lease, before finishing). A step that kills its process is then failed after
 * MAX_TASK_ATTEMPTS claims (src/core/companion.ts) instead of taking every restart down.
 */
export function attemptsOnClaim(table: { status: Column; attempts: Column }): SQL {
  return sql`case when ${table.status} = 'running' then ${table.attempts} + 1 else ${table.attempts} end`;
}

/**
 * The step `id`, and with `lease` only while it is still that claim's (running, the same
 * `leaseUntil`): a runner that outlived its lease cannot finish a step another runner took.
 */
export function stepHeld(table: { id: Column; status: Column; leaseUntil: Column }, id: number, lease?: number): SQL | undefined {
  return and(eq(table.id, id), lease === undefined ? undefined : and(eq(table.status, 'running'), eq(table.leaseUntil, lease)));
}

/** Claimed steps in the order they run: by due time, then id (a RETURNING clause keeps no order). */
export const byDue = (a: Pick<TaskRow, 'dueAt' | 'id'>, b: Pick<TaskRow, 'dueAt' | 'id'>): number => a.dueAt - b.dueAt || a.id - b.id;

/**
 * When a delivery claim may replace an existing row: never once handled (`done_at`); while
 * unfinished, when its lease ran out by `at` (DeliveriesRepository.claim). Both stores' `deliveries`.
 */
export function takeOverWhen(table: { doneAt: Column; leaseUntil: Column }, at: number): SQL | undefined {
  return and(isNull(table.doneAt), lte(table.leaseUntil, at));
}

/** A delivery claimed and not handled (DeliveriesRepository.take resumes it). Both stores' `deliveries`. */
export function unfinishedDelivery(table: { communityId: Column; key: Column; doneAt: Column }, community: string, key: string): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.key, key), isNull(table.doneAt));
}

/**
 * The requester's still-open escalations about one channel (EscalationsRepository.findOpenFor):
 * the condition both stores' `escalations` tables are read with.
 */
export function openEscalationOf(
  table: { communityId: Column; requesterId: Column; channelId: Column; status: Column },
  community: string,
  requesterId: string,
  channelId: string,
): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.requesterId, requesterId), eq(table.channelId, channelId), inArray(table.status, ['open', 'claimed']));
}

/** Identity links with the account on either side (a link is stored once per pair). Both stores' `identity_links`. */
export function linksTouching(
  table: { communityId: Column; memberId: Column; linkedCommunityId: Column; linkedMemberId: Column },
  community: string,
  memberId: string,
): SQL | undefined {
  return or(
    and(eq(table.communityId, community), eq(table.memberId, memberId)),
    and(eq(table.linkedCommunityId, community), eq(table.linkedMemberId, memberId)),
  );
}

/**
 * Members who count in figures, as the core's `counts` decides (not a bot, analytics on):
 * the condition both stores' `members` tables are read with for `MembersRepository.counted`.
 */
export function countedMembersOf(table: { communityId: Column; isBot: Column; analyticsOptOut: Column }, community: string | Placeholder): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.isBot, false), eq(table.analyticsOptOut, false));
}

/** The members `MembersRepository.newcomers` lists: joined, not a bot, first seen in [since, until). */
export function newcomersOf(
  table: { communityId: Column; isBot: Column; joinedAt: Column; firstSeenAt: Column },
  community: string | Placeholder,
  since: number | Placeholder,
  until: number | Placeholder,
): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.isBot, false), isNotNull(table.joinedAt), gte(table.firstSeenAt, since), lt(table.firstSeenAt, until));
}

/** The members `MembersRepository.roles` reads: a bot or a moderator. */
export function botsOrModeratorsOf(table: { communityId: Column; isBot: Column; isModerator: Column }, community: string | Placeholder): SQL | undefined {
  return and(eq(table.communityId, community), or(eq(table.isBot, true), eq(table.isModerator, true)));
}

/** `MembersRepository.roles` from the rows botsOrModeratorsOf selects. */
export const memberRoles = (rows: Array<{ id: string; isBot: unknown; isModerator: unknown }>): { bots: string[]; moderators: string[] } => ({
  bots: rows.filter((r) => Boolean(r.isBot)).map((r) => r.id),
  moderators: rows.filter((r) => Boolean(r.isModerator)).map((r) => r.id),
});

/** The members `MembersRepository.leftOut` lists: a bot, analytics off, or forgotten. */
export function leftOutMembersOf(table: { communityId: Column; isBot: Column; analyticsOptOut: Column; forgottenAt: Column }, community: string | Placeholder): SQL | undefined {
  return and(eq(table.communityId, community), or(eq(table.isBot, true), eq(table.analyticsOptOut, true), isNotNull(table.forgottenAt)));
}

/** `MembersRepository.counted`'s answer from its rows (`forgotten` as either dialect gives a boolean). */
export const countedMembers = (rows: Array<{ id: string; name: string; forgotten: unknown }>): Map<string, CountedMember> =>
  new Map(rows.map((r) => [r.id, { name: r.name, forgotten: Boolean(r.forgotten) }]));

/** Distinct ids in slices a statement's parameters can hold (each dialect has its limit; both take this many). */
export function inSlices<T>(ids: readonly T[], size = 1000): T[][] {
  const distinct = [...new Set(ids)];
  const slices: T[][] = [];
  for (let i = 0; i < distinct.length; i += size) slices.push(distinct.slice(i, i + size));
  return slices;
}

/** Accounts in `community/member` order (community first, then member id): a link stores the smaller first. */
export function compareAccounts(a: AccountRef, b: AccountRef): number {
  return a.communityId < b.communityId ? -1 : a.communityId > b.communityId ? 1 : a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/**
 * Members whose email is `wanted` (already trimmed and lower-cased), ignoring case and spaces
 * around the stored one: the expression `members_email_idx` indexes. Both stores' `members`.
 */
export function emailMatches(table: { email: Column }, wanted: string): SQL | undefined {
  return and(isNotNull(table.email), sql`lower(trim(${table.email})) = ${wanted}`);
}

/**
 * What a channel's upsert writes over an existing row: its name always; visibility, kind and
 * parent only when the event says (a platform that does not know them leaves them as they are).
 */
export function channelValues(ref: ChannelRef): Pick<ChannelRow, 'name'> & Partial<Pick<ChannelRow, 'visibility' | 'kind' | 'parentId'>> {
  return {
    name: ref.name,
    ...(ref.visibility ? { visibility: ref.visibility } : {}),
    ...(ref.kind ? { kind: ref.kind } : {}),
    ...(ref.parentId !== undefined ? { parentId: ref.parentId } : {}),
  };
}

/** One member's recorded membership of one channel. Both stores' `channel_members`. */
export function channelMembership(
  table: { communityId: Column; channelId: Column; memberId: Column },
  community: string,
  channelId: string,
  memberId: string,
): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.channelId, channelId), eq(table.memberId, memberId));
}

/**
 * Messages in a discussion whose text was written before `before`: what retention purges, so
 * what the discussion's vectors were derived from (EmbeddingsRepository.removeWithTextBefore).
 */
export function discussedTextBefore(
  table: { communityId: Column; createdAt: Column; text: Column; discussionId: Column },
  community: string,
  before: number,
): SQL | undefined {
  return and(eq(table.communityId, community), lt(table.createdAt, before), isNotNull(table.text), isNotNull(table.discussionId));
}

/**
 * Signals that carry a member's own words: a `/thanks … for` reason, kept in `data` under
 * SIGNAL_TEXT_KEY. Those recorded before `before` are what retention blanks
 * (SignalsRepository.purgeTextBefore); each store removes the key in its own JSON syntax.
 */
export const SIGNAL_TEXT_KEY = 'reason';
export function signalTextBefore(table: { communityId: Column; kind: Column; at: Column }, community: string, before: number): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.kind, 'thanked'), lt(table.at, before));
}

/** An email as accounts are matched by it (IdentityLinksRepository.accountsWithEmail): trimmed, any case; '' matches nobody. */
export const emailKey = (email: string): string => email.trim().toLowerCase();

/** A member row's account, as a select list of either store's `members`. */
export const accountColumns = <T extends { communityId: Column; id: Column }>(table: T): { communityId: T['communityId']; memberId: T['id'] } => ({
  communityId: table.communityId,
  memberId: table.id,
});

/** A human message of the community: a post (not a join or system line), not a bot's or the companion's. Both stores' `messages`. */
export function humanMessageIn(table: Record<'communityId' | 'kind' | 'authorIsBot' | 'isCompanion', Column>, community: string): SQL | undefined {
  return and(eq(table.communityId, community), eq(table.kind, 'message'), eq(table.authorIsBot, false), eq(table.isCompanion, false));
}

/**
 * `MessagesRepository.quietAuthors` as one statement for either dialect: the authors with at
 * least `atLeast` human messages in [since, quietSince) (one count over that period), then
 * one probe of messages_author_time_idx per such regular for a message in [quietSince, until)
 * (`later`: the store's alias of `messages`, named `later`), not a second count of every
 * author. Rows: `{ author_id }`.
 */
export function quietAuthorsStatement(
  t: Table & Record<'communityId' | 'kind' | 'authorIsBot' | 'isCompanion' | 'createdAt' | 'authorId', Column>,
  later: Table & Record<'communityId' | 'kind' | 'authorIsBot' | 'isCompanion' | 'createdAt' | 'authorId', Column>,
  community: string,
  { since, quietSince, until, atLeast, authorId }: { since: number; quietSince: number; until: number; atLeast: number; authorId?: string },
): SQL {
  const earlier = and(humanPostedBetween(t, community, since, quietSince), authorId === undefined ? undefined : eq(t.authorId, authorId));
  const regular = sql.raw('regulars.author_id');
  return sql`select ${regular} as author_id from (select ${t.authorId} as author_id from ${t} where ${earlier} group by ${t.authorId} having count(*) >= ${atLeast}) regulars
    where not exists (select 1 from ${t} ${later} where ${and(humanPostedBetween(later, community, quietSince, until), eq(later.authorId, regular))})`;
}

/** Human messages of the community posted in [from, until). Both stores' `messages` (and aliases of it). */
export function humanPostedBetween(
  table: Record<'communityId' | 'kind' | 'authorIsBot' | 'isCompanion' | 'createdAt', Column>,
  community: string,
  from: number,
  until: number,
): SQL | undefined {
  return and(humanMessageIn(table, community), gte(table.createdAt, from), lt(table.createdAt, until));
}

