import { and, asc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { MemberRef } from '../../core/events';
import type { Db } from '../connection';
import type { BatchScope } from './batch-cache';
import { members } from '../schema';
import type { CountedMember, MemberRosterRow, MemberRow, MembersRepository } from '../../core/storage';
import { botsOrModeratorsOf, countedMembers, countedMembersOf, leftOutMembersOf, FORGOTTEN_MEMBER, inSlices, memberRoles, memberState, newcomersOf, pick, ROSTER_COLUMNS } from '../rules';
import { rowMapper } from './rows';

export type { MemberRow };

export function membersRepo(db: Db, batch: BatchScope): MembersRepository {
  // During an import batch, rows read are remembered; every write below drops or updates them.
  const cached = batch.cache<MemberRow>(50_000);
  const cacheKey = (community: string, id: string) => `${community}\u0000${id}`;
  const byId = (community: string, id: string) => and(eq(members.communityId, community), eq(members.id, id));
  const placeholderKey = and(eq(members.communityId, sql.placeholder('community')), eq(members.id, sql.placeholder('id')));
  const getOne = db.select().from(members).where(placeholderKey).prepare();
  const listAll = db.select().from(members).where(eq(members.communityId, sql.placeholder('community'))).prepare();
  const toRows = rowMapper(members);
  const countedColumns = { id: members.id, name: members.name, forgotten: sql<number>`${members.forgottenAt} is not null` };
  // Rows as arrays: drizzle's row mapping would double the cost of tens of thousands.
  const countedAll = db.select(countedColumns).from(members).where(countedMembersOf(members, sql.placeholder('community'))).prepare();
  const leftOutAll = db.select({ id: members.id }).from(members).where(leftOutMembersOf(members, sql.placeholder('community'))).prepare();
  const rolesAll = db.select({ id: members.id, isBot: members.isBot, isModerator: members.isModerator }).from(members).where(botsOrModeratorsOf(members, sql.placeholder('community'))).prepare();
  const newcomersIn = db
    .select({ id: members.id, firstSeenAt: members.firstSeenAt })
    .from(members)
    .where(newcomersOf(members, sql.placeholder('community'), sql.placeholder('since'), sql.placeholder('until')))
    .prepare();
  const upsertOne = db
    .insert(members)
    .values({
      communityId: sql.placeholder('community'),
      id: sql.placeholder('id'),
      name: sql.placeholder('name'),
      isBot: sql.placeholder('isBot'),
      isModerator: sql.placeholder('isModerator'),
      firstSeenAt: sql.placeholder('at'),
      email: sql.placeholder('email'),
    })
    .onConflictDoUpdate({
      target: [members.communityId, members.id],
      // A null moderator flag means "unknown": keep what we had; so does a missing email (an
      // event without the profile, or a platform that never gives one).
      set: {
        name: sql`excluded.name`,
        isBot: sql`excluded.is_bot`,
        isModerator: sql`coalesce(${sql.placeholder('isModeratorOrNull')}, ${members.isModerator})`,
        email: sql`coalesce(excluded.email, ${members.email})`,
      },
    })
    .prepare();
  const firstPostOf = db.select({ first: members.firstPostAt }).from(members).where(placeholderKey).prepare();
  const setPosted = db
    .update(members)
    .set({ lastPostAt: sql`${sql.placeholder('at')}`, firstPostAt: sql`coalesce(${members.firstPostAt}, ${sql.placeholder('at')})` })
    .where(placeholderKey)
    .prepare();
  // A batch's posts, written once per member when the batch commits: the columns only ever
  // move forward (first post kept, last post replaced), so one write says what N would.
  const setPostedRange = db
    .update(members)
    .set({ lastPostAt: sql`${sql.placeholder('last')}`, firstPostAt: sql`coalesce(${members.firstPostAt}, ${sql.placeholder('first')})` })
    .where(placeholderKey)
    .prepare();
  const pendingPosts = new Map<string, { community: string; id: string; first: number; last: number }>();
  batch.defer({
    flush: () => {
      for (const post of pendingPosts.values()) setPostedRange.run(post);
      pendingPosts.clear();
    },
    discard: () => pendingPosts.clear(),
  });
  /** A row read during a batch, with the posts not yet written (after a cache drop or eviction). */
  const withPendingPosts = (row: MemberRow | undefined): MemberRow | undefined => {
    const post = row && pendingPosts.get(cacheKey(row.communityId, row.id));
    return post ? { ...row!, firstPostAt: row!.firstPostAt ?? post.first, lastPostAt: post.last } : row;
  };
  const loadOne = (community: string, id: string) => withPendingPosts(getOne.get({ community, id }));
  // Uses members_name_idx (community_id, lower(name)).
  const byName = db
    .select()
    .from(members)
    .where(and(eq(members.communityId, sql.placeholder('community')), sql`lower(${members.name}) = lower(${sql.placeholder('name')})`))
    .prepare();
  // Members seen with these exact name/flags: their upsert would change nothing (hot path).
  const seen = batch.memo(new Map<string, string>());
  return {
    /** Insert or refresh a member's name/flags; keeps history columns untouched. */
    async upsert(community: string, ref: MemberRef, at: number): Promise<void> {
      const key = `${community}\u0000${ref.id}`;
      const state = memberState(ref);
      if (seen.get(key) === state) return;
      cached.drop(key);
      upsertOne.run({
        community,
        id: ref.id,
        name: ref.name,
        isBot: ref.isBot ? 1 : 0,
        isModerator: ref.isModerator ? 1 : 0,
        isModeratorOrNull: ref.isModerator === undefined ? null : ref.isModerator ? 1 : 0,
        email: ref.email || null,
        at,
      });
      if (seen.size > 50_000) seen.clear();
      seen.set(key, state);
    },
    async get(community: string, id: string): Promise<MemberRow | undefined> {
      return cached.get(cacheKey(community, id), () => loadOne(community, id));
    },
    async findByName(community: string, name: string): Promise<MemberRow | undefined> {
      return withPendingPosts(byName.get({ community, name }));
    },
    /**
     * Record a join. A join is an appearance too: a join imported from history that predates
     * when Hearth first saw the member (installed first, backfilled later) moves their first
     * appearance back to it, so they are not mistaken for a newcomer of the go-live week.
     */
    async markJoined(community: string, id: string, at: number): Promise<void> {
      cached.drop(cacheKey(community, id));
      db.update(members)
        .set({ joinedAt: at, firstSeenAt: sql`min(${members.firstSeenAt}, ${at})` })
        .where(byId(community, id))
        .run();
    },
    /** Record a post; returns true when it was the member's first. */
    async markPosted(community: string, id: string, at: number): Promise<boolean> {
      if (!batch.active) {
        const first = firstPostOf.get({ community, id })?.first;
        setPosted.run({ community, id, at });
        return first == null;
      }
      // In a batch the whole row is loaded once and kept (the features read the author next)
      // and the write waits for the commit.
      const key = cacheKey(community, id);
      const known = cached.get(key, () => loadOne(community, id));
      if (!known) return true; // as outside a batch: no stored first post
      const firstPostAt = known.firstPostAt ?? at;
      cached.set(key, { ...known, firstPostAt, lastPostAt: at });
      pendingPosts.set(key, { community, id, first: firstPostAt, last: at });
      return known.firstPostAt == null;
    },
    async setWelcomer(community: string, id: string, on: boolean): Promise<void> {
      cached.drop(cacheKey(community, id));
      db.update(members).set({ welcomer: on }).where(byId(community, id)).run();
    },
    async listWelcomers(community: string): Promise<MemberRow[]> {
      return db
        .select()
        .from(members)
        .where(and(eq(members.communityId, community), eq(members.welcomer, true), eq(members.isBot, false)))
        .orderBy(asc(members.welcomerLastAskedAt), asc(members.id))
        .all();
    },
    async markWelcomerAsked(community: string, id: string, at: number): Promise<void> {
      cached.drop(cacheKey(community, id));
      db.update(members).set({ welcomerLastAskedAt: at }).where(byId(community, id)).run();
    },
    /**
     * Take a welcomer's turn: set their last-asked time only if it is still `previous` (what
     * the caller read), so two joins handled at once never both pick the same person.
     */
    async claimWelcomerTurn(community: string, id: string, previous: number | null, at: number): Promise<boolean> {
      cached.drop(cacheKey(community, id));
      const unchanged = previous === null ? isNull(members.welcomerLastAskedAt) : eq(members.welcomerLastAskedAt, previous);
      return (
        db
          .update(members)
          .set({ welcomerLastAskedAt: at })
          .where(and(byId(community, id), eq(members.welcomer, true), unchanged))
          .run().changes > 0
      );
    },
    async setTranslator(community: string, id: string, languages: string[]): Promise<void> {
      cached.drop(cacheKey(community, id));
      db.update(members).set({ translatorLanguages: languages.length ? languages : null }).where(byId(community, id)).run();
    },
    async listTranslators(community: string): Promise<MemberRow[]> {
      return db
        .select()
        .from(members)
        .where(and(eq(members.communityId, community), isNotNull(members.translatorLanguages), eq(members.isBot, false)))
        .orderBy(asc(members.translatorLastAskedAt), asc(members.id))
        .all();
    },
    async claimTranslatorTurn(community: string, id: string, previous: number | null, at: number): Promise<boolean> {
      cached.drop(cacheKey(community, id));
      const unchanged = previous === null ? isNull(members.translatorLastAskedAt) : eq(members.translatorLastAskedAt, previous);
      return (
        db
          .update(members)
          .set({ translatorLastAskedAt: at })
          .where(and(byId(community, id), isNotNull(members.translatorLanguages), unchanged))
          .run().changes > 0
      );
    },
    async setAnalyticsOptOut(community: string, id: string, optOut: boolean): Promise<void> {
      cached.drop(cacheKey(community, id));
      db.update(members).set({ analyticsOptOut: optOut }).where(byId(community, id)).run();
    },
    /**
     * Forget-me: drop what we know about the person, keep only the id with analytics off and
     * when they asked (`at`), so their earlier events are never stored again.
     */
    async forget(community: string, id: string, at: number): Promise<void> {
      cached.drop(cacheKey(community, id));
      seen.delete(cacheKey(community, id));
      db.update(members)
        .set({ ...FORGOTTEN_MEMBER, forgottenAt: at })
        .where(byId(community, id))
        .run();
    },
    /** Preferred language (BCP-47, e.g. from the platform's user locale); null clears it. */
    async setLocale(community: string, id: string, locale: string | null): Promise<void> {
      cached.drop(cacheKey(community, id));
      db.update(members).set({ locale }).where(byId(community, id)).run();
    },
    /** How many members joined at or after `since`, counting up to `cap` (how fast joins come). */
    async countJoinedSince(community: string, since: number, cap: number): Promise<number> {
      const rows = db
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.communityId, community), gte(members.joinedAt, since)))
        .limit(cap)
        .all();
      return rows.length;
    },
    async list(community: string): Promise<MemberRow[]> {
      // Every view of the dashboard reads the community's members: tens of thousands of rows.
      return toRows(listAll.values({ community }) as unknown[][]);
    },
    async roster(community: string, ids: readonly string[]): Promise<MemberRosterRow[]> {
      return inSlices(ids).flatMap((slice) => db.select(pick(members, ROSTER_COLUMNS)).from(members).where(and(eq(members.communityId, community), inArray(members.id, slice))).all());
    },
    async counted(community: string, ids?: readonly string[]): Promise<Map<string, CountedMember>> {
      if (ids === undefined) return countedMembers((countedAll.values({ community }) as Array<[string, string, number]>).map(([id, name, forgotten]) => ({ id, name, forgotten })));
      return countedMembers(inSlices(ids).flatMap((slice) => db.select(countedColumns).from(members).where(and(countedMembersOf(members, community), inArray(members.id, slice))).all()));
    },
    async leftOut(community: string): Promise<string[]> {
      return (leftOutAll.values({ community }) as Array<[string]>).map(([id]) => id);
    },
    async roles(community: string): Promise<{ bots: string[]; moderators: string[] }> {
      return memberRoles(rolesAll.all({ community }));
    },
    async newcomers(community: string, since: number, until: number): Promise<Array<{ id: string; firstSeenAt: number }>> {
      return newcomersIn.all({ community, since, until });
    },
  };
}
