import { and, asc, eq, sql } from 'drizzle-orm';
import type { MemberRef } from '../../core/events';
import type { Db } from '../connection';
import { members } from '../schema';

export type MemberRow = typeof members.$inferSelect;

export function membersRepo(db: Db) {
  const byId = (community: string, id: string) => and(eq(members.communityId, community), eq(members.id, id));
  return {
    /** Insert or refresh a member's name/flags; keeps history columns untouched. */
    async upsert(community: string, ref: MemberRef, at: number): Promise<MemberRow> {
      db.insert(members)
        .values({
          communityId: community,
          id: ref.id,
          name: ref.name,
          isBot: ref.isBot ?? false,
          isModerator: ref.isModerator ?? false,
          firstSeenAt: at,
        })
        .onConflictDoUpdate({
          target: [members.communityId, members.id],
          set: {
            name: ref.name,
            isBot: ref.isBot ?? false,
            ...(ref.isModerator === undefined ? {} : { isModerator: ref.isModerator }),
          },
        })
        .run();
      return db.select().from(members).where(byId(community, ref.id)).get()!;
    },
    async get(community: string, id: string): Promise<MemberRow | undefined> {
      return db.select().from(members).where(byId(community, id)).get();
    },
    async findByName(community: string, name: string): Promise<MemberRow | undefined> {
      return db
        .select()
        .from(members)
        .where(and(eq(members.communityId, community), sql`lower(${members.name}) = lower(${name})`))
        .get();
    },
    async markJoined(community: string, id: string, at: number): Promise<void> {
      db.update(members).set({ joinedAt: at }).where(byId(community, id)).run();
    },
    /** Record a post; returns true when it was the member's first. */
    async markPosted(community: string, id: string, at: number): Promise<boolean> {
      const row = db.select({ first: members.firstPostAt }).from(members).where(byId(community, id)).get();
      db.update(members)
        .set({ lastPostAt: at, ...(row?.first == null ? { firstPostAt: at } : {}) })
        .where(byId(community, id))
        .run();
      return row?.first == null;
    },
    async setWelcomer(community: string, id: string, on: boolean): Promise<void> {
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
      db.update(members).set({ welcomerLastAskedAt: at }).where(byId(community, id)).run();
    },
    async setAnalyticsOptOut(community: string, id: string, optOut: boolean): Promise<void> {
      db.update(members).set({ analyticsOptOut: optOut }).where(byId(community, id)).run();
    },
    /** Forget-me: drop what we know about the person, keep only the id with analytics off. */
    async forget(community: string, id: string): Promise<void> {
      db.update(members)
        .set({ name: 'forgotten member', locale: null, analyticsOptOut: true, welcomer: false, welcomerLastAskedAt: null })
        .where(byId(community, id))
        .run();
    },
    async list(community: string): Promise<MemberRow[]> {
      return db.select().from(members).where(eq(members.communityId, community)).all();
    },
  };
}
