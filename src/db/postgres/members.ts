/** Members and channels on PostgreSQL (the SQLite ones: ../repositories/members.ts, channels.ts). */
import { and, asc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { ChannelsRepository, MemberRow, MembersRepository } from '../../core/storage';
import type { BatchRows } from './batch-rows';
import { botsOrModeratorsOf, channelMembership, channelState, channelValues, countedMembers, countedMembersOf, leftOutMembersOf, memberRoles, newcomersOf, FORGOTTEN_MEMBER, inSlices, memberState, pick, publicThrough, readableChannels, readableThrough, ROSTER_COLUMNS } from '../rules';
import type { PgDb } from './connection';
import { once, UNNAMED } from './prepared';
import { channelMembers, channels, members, toMilliseconds } from './schema';

/**
 * A batch's posts (history import), written once per member just before the batch commits,
 * as the SQLite store does (../repositories/members.ts): the columns only move forward
 * (first post kept, last post replaced), so one write says what N would, and a member who
 * posts 500 times in a batch is one UPDATE, not 500 round trips and 500 row versions.
 */
export class PendingPosts {
  private readonly posts = new Map<string, { community: string; id: string; first: number; last: number }>();

  set(key: string, post: { community: string; id: string; first: number; last: number }): void {
    this.posts.set(key, post);
  }

  /** A row read during the batch, with the posts not yet written (after a cache drop or eviction). */
  patch(key: string, row: MemberRow | undefined): MemberRow | undefined {
    const post = row && this.posts.get(key);
    return post ? { ...row!, firstPostAt: row!.firstPostAt ?? post.first, lastPostAt: post.last } : row;
  }

  /** One statement for all of them (inside the batch's transaction, before COMMIT or a savepoint). */
  async flush(db: PgDb): Promise<void> {
    if (this.posts.size === 0) return;
    const posts = [...this.posts.values()];
    this.posts.clear();
    await db.execute(sql`
      UPDATE members m SET last_post_at = p.last, first_post_at = coalesce(m.first_post_at, p.first)
      FROM unnest(${sql.param(posts.map((p) => p.community))}::text[], ${sql.param(posts.map((p) => p.id))}::text[],
                  ${sql.param(posts.map((p) => toMilliseconds(p.first)))}::int8[], ${sql.param(posts.map((p) => toMilliseconds(p.last)))}::int8[])
        AS p(community_id, id, first, last)
      WHERE m.community_id = p.community_id AND m.id = p.id`);
  }

  discard(): void {
    this.posts.clear();
  }
}

/** `cached`: rows remembered during a batch; every write drops the member's. `posts`: a batch's posts not yet written. */
export function membersRepo(db: PgDb, cached: BatchRows<MemberRow>, seen: Map<string, string>, posts: PendingPosts, inBatch: () => boolean): MembersRepository {
  const byId = (community: string, id: string) => and(eq(members.communityId, community), eq(members.id, id));
  const key = (community: string, id: string) => `${community}\u0000${id}`;
  const getOne = once(() =>
    db
      .select()
      .from(members)
      .where(and(eq(members.communityId, sql.placeholder('community')), eq(members.id, sql.placeholder('id'))))
      .prepare(UNNAMED),
  );
  const set = async (community: string, id: string, values: Partial<typeof members.$inferInsert>) => {
    cached.drop(key(community, id));
    await db.update(members).set(values).where(byId(community, id));
  };
  const loadOne = async (community: string, id: string) => posts.patch(key(community, id), (await getOne().execute({ community, id }))[0]);
  return {
    async upsert(community, ref, at) {
      const state = memberState(ref);
      if (seen.get(key(community, ref.id)) === state) return;
      cached.drop(key(community, ref.id));
      await db
        .insert(members)
        .values({ communityId: community, id: ref.id, name: ref.name, isBot: Boolean(ref.isBot), isModerator: Boolean(ref.isModerator), firstSeenAt: at, email: ref.email || null })
        .onConflictDoUpdate({
          target: [members.communityId, members.id],
          // An unknown moderator flag keeps the stored one; so does a missing email.
          set: {
            name: sql`excluded.name`,
            isBot: sql`excluded.is_bot`,
            isModerator: ref.isModerator === undefined ? sql`${members.isModerator}` : ref.isModerator,
            email: sql`coalesce(excluded.email, ${members.email})`,
          },
        });
      if (seen.size > 50_000) seen.clear();
      seen.set(key(community, ref.id), state);
    },
    get: (community, id) => cached.get(key(community, id), () => loadOne(community, id)),
    async findByName(community, name) {
      const row = (await db.select().from(members).where(and(eq(members.communityId, community), sql`lower(${members.name}) = lower(${name})`)).limit(1))[0];
      return row && posts.patch(key(community, row.id), row);
    },
    async markJoined(community, id, at) {
      cached.drop(key(community, id));
      await db
        .update(members)
        .set({ joinedAt: at, firstSeenAt: sql`least(${members.firstSeenAt}, ${toMilliseconds(at)})` })
        .where(byId(community, id));
    },
    async markPosted(community, id, at) {
      if (inBatch()) {
        // In a batch the row is loaded once and kept (the features read the author next) and
        // the write waits for the commit (PendingPosts).
        const k = key(community, id);
        const known = await cached.get(k, () => loadOne(community, id));
        if (!known) return true; // as outside a batch: no stored first post
        const firstPostAt = known.firstPostAt ?? at;
        cached.set(k, { ...known, firstPostAt, lastPostAt: at });
        posts.set(k, { community, id, first: firstPostAt, last: at });
        return known.firstPostAt == null;
      }
      cached.update(key(community, id), (row) => ({ ...row, firstPostAt: row.firstPostAt ?? at, lastPostAt: at }));
      // The first post as it was before this one, read and written in one statement.
      const ms = toMilliseconds(at);
      const result = await db.execute<{ first: boolean }>(sql`
        UPDATE members m SET last_post_at = ${ms}, first_post_at = coalesce(m.first_post_at, ${ms})
        FROM (SELECT first_post_at FROM members WHERE community_id = ${community} AND id = ${id} FOR UPDATE) old
        WHERE m.community_id = ${community} AND m.id = ${id}
        RETURNING old.first_post_at IS NULL AS first`);
      return result.rows[0]?.first ?? true;
    },
    setWelcomer: (community, id, on) => set(community, id, { welcomer: on }),
    listWelcomers: (community) =>
      db
        .select()
        .from(members)
        .where(and(eq(members.communityId, community), eq(members.welcomer, true), eq(members.isBot, false)))
        .orderBy(sql`${members.welcomerLastAskedAt} ASC NULLS FIRST`, asc(members.id)),
    markWelcomerAsked: (community, id, at) => set(community, id, { welcomerLastAskedAt: at }),
    async claimWelcomerTurn(community, id, previous, at) {
      cached.drop(key(community, id));
      const unchanged = previous === null ? isNull(members.welcomerLastAskedAt) : eq(members.welcomerLastAskedAt, previous);
      const result = await db.update(members).set({ welcomerLastAskedAt: at }).where(and(byId(community, id), eq(members.welcomer, true), unchanged));
      return (result.rowCount ?? 0) > 0;
    },
    setTranslator: (community, id, languages) => set(community, id, { translatorLanguages: languages.length ? languages : null }),
    listTranslators: (community) =>
      db
        .select()
        .from(members)
        .where(and(eq(members.communityId, community), isNotNull(members.translatorLanguages), eq(members.isBot, false)))
        .orderBy(sql`${members.translatorLastAskedAt} ASC NULLS FIRST`, asc(members.id)),
    async claimTranslatorTurn(community, id, previous, at) {
      cached.drop(key(community, id));
      const unchanged = previous === null ? isNull(members.translatorLastAskedAt) : eq(members.translatorLastAskedAt, previous);
      const result = await db.update(members).set({ translatorLastAskedAt: at }).where(and(byId(community, id), isNotNull(members.translatorLanguages), unchanged));
      return (result.rowCount ?? 0) > 0;
    },
    setAnalyticsOptOut: (community, id, optOut) => set(community, id, { analyticsOptOut: optOut }),
    forget(community, id, at) {
      seen.delete(key(community, id));
      return set(community, id, { ...FORGOTTEN_MEMBER, forgottenAt: at });
    },
    setLocale: (community, id, locale) => set(community, id, { locale }),
    countJoinedSince: async (community, since, cap) =>
      (await db.select({ id: members.id }).from(members).where(and(eq(members.communityId, community), gte(members.joinedAt, since))).limit(cap)).length,
    list: (community) => db.select().from(members).where(eq(members.communityId, community)),
    async roster(community, ids) {
      const slices = inSlices(ids);
      return (await Promise.all(slices.map((slice) => db.select(pick(members, ROSTER_COLUMNS)).from(members).where(and(eq(members.communityId, community), inArray(members.id, slice)))))).flat();
    },
    async counted(community, ids) {
      const columns = { id: members.id, name: members.name, forgotten: sql<boolean>`${members.forgottenAt} is not null` };
      if (ids === undefined) return countedMembers(await db.select(columns).from(members).where(countedMembersOf(members, community)));
      const slices = inSlices(ids);
      const rows = await Promise.all(slices.map((slice) => db.select(columns).from(members).where(and(countedMembersOf(members, community), inArray(members.id, slice)))));
      return countedMembers(rows.flat());
    },
    leftOut: async (community) => (await db.select({ id: members.id }).from(members).where(leftOutMembersOf(members, community))).map((r) => r.id),
    roles: async (community) => memberRoles(await db.select({ id: members.id, isBot: members.isBot, isModerator: members.isModerator }).from(members).where(botsOrModeratorsOf(members, community))),
    newcomers: (community, since, until) => db.select({ id: members.id, firstSeenAt: members.firstSeenAt }).from(members).where(newcomersOf(members, community, since, until)),
  };
}

export function channelsRepo(db: PgDb, seen: Map<string, string>): ChannelsRepository {
  const byId = (community: string, id: string) => and(eq(channels.communityId, community), eq(channels.id, id));
  const membership = (community: string, channelId: string, memberId: string) => channelMembership(channelMembers, community, channelId, memberId);
  const repo: ChannelsRepository = {
    async upsert(community, ref, at) {
      const seenKey = `${community}\u0000${ref.id}`;
      const state = channelState(ref);
      if (seen.get(seenKey) === state) return;
      const values = channelValues(ref);
      await db
        .insert(channels)
        .values({ communityId: community, id: ref.id, createdAt: at, ...values })
        .onConflictDoUpdate({ target: [channels.communityId, channels.id], set: values });
      if (ref.memberIds?.length) {
        await db
          .insert(channelMembers)
          .values(ref.memberIds.map((memberId) => ({ communityId: community, channelId: ref.id, memberId })))
          .onConflictDoNothing();
      }
      if (seen.size > 20_000) seen.clear();
      seen.set(seenKey, state);
    },
    get: async (community, id) => (await db.select().from(channels).where(byId(community, id)))[0],
    findByName: async (community, name) => (await db.select().from(channels).where(and(eq(channels.communityId, community), eq(channels.name, name))).limit(1))[0],
    list: (community) => db.select().from(channels).where(eq(channels.communityId, community)),
    async addMember(community, channelId, memberId) {
      await db.insert(channelMembers).values({ communityId: community, channelId, memberId }).onConflictDoNothing();
    },
    members: async (community, channelId) =>
      (
        await db
          .select({ memberId: channelMembers.memberId })
          .from(channelMembers)
          .where(and(eq(channelMembers.communityId, community), eq(channelMembers.channelId, channelId)))
      ).map((r) => r.memberId),
    membershipsOf: async (community, memberId) =>
      (
        await db
          .select({ channelId: channelMembers.channelId })
          .from(channelMembers)
          .where(and(eq(channelMembers.communityId, community), eq(channelMembers.memberId, memberId)))
      ).map((r) => r.channelId),
    async removeMember(community, channelId, memberId) {
      await db.delete(channelMembers).where(membership(community, channelId, memberId));
    },
    async canRead(community, channelId, memberId) {
      // The channel's ancestry and the member's memberships along it, then the shared rule.
      const all = await repo.list(community);
      const byChannel = new Map(all.map((c) => [c.id, c]));
      const memberOf = new Set(await repo.membershipsOf(community, memberId));
      return readableThrough(channelId, (id) => byChannel.get(id), (id) => memberOf.has(id));
    },
    isPublic: (community, channelId) => publicThrough(channelId, (id) => repo.get(community, id)),
    async readableBy(community, memberId) {
      const all = await repo.list(community);
      const privateIds = all.filter((c) => c.visibility === 'private').map((c) => c.id);
      const memberOf = privateIds.length
        ? await db
            .select({ channelId: channelMembers.channelId })
            .from(channelMembers)
            .where(and(eq(channelMembers.communityId, community), inArray(channelMembers.channelId, privateIds), eq(channelMembers.memberId, memberId)))
        : [];
      return readableChannels(all, new Set(memberOf.map((r) => r.channelId)));
    },
  };
  return repo;
}
