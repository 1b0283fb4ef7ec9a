import { and, eq, inArray } from 'drizzle-orm';
import type { ChannelRef } from '../../core/events';
import type { Db } from '../connection';
import type { BatchScope } from './batch-cache';
import { channelMembers, channels } from '../schema';
import type { ChannelRow, ChannelsRepository } from '../../core/storage';
import { channelMembership, channelState, channelValues, publicThrough, readableChannels, readableThrough } from '../rules';

export type { ChannelRow };

export function channelsRepo(db: Db, batch: BatchScope): ChannelsRepository {
  const byId = (community: string, id: string) => and(eq(channels.communityId, community), eq(channels.id, id));
  // Channels seen with these exact attributes: their upsert would change nothing (hot path).
  const seen = batch.memo(new Map<string, string>());
  const repo: ChannelsRepository = {
    /** Insert or refresh a channel; membership lists (when given) are added, not replaced. */
    async upsert(community: string, ref: ChannelRef, at: number): Promise<void> {
      const key = `${community}\u0000${ref.id}`;
      const state = channelState(ref);
      if (seen.get(key) === state) return;
      if (seen.size > 20_000) seen.clear();
      seen.set(key, state);
      const values = channelValues(ref);
      db.insert(channels)
        .values({ communityId: community, id: ref.id, createdAt: at, ...values })
        .onConflictDoUpdate({ target: [channels.communityId, channels.id], set: values })
        .run();
      for (const memberId of ref.memberIds ?? []) await repo.addMember(community, ref.id, memberId);
    },
    async get(community: string, id: string): Promise<ChannelRow | undefined> {
      return db.select().from(channels).where(byId(community, id)).get();
    },
    async findByName(community: string, name: string): Promise<ChannelRow | undefined> {
      return db
        .select()
        .from(channels)
        .where(and(eq(channels.communityId, community), eq(channels.name, name)))
        .get();
    },
    async list(community: string): Promise<ChannelRow[]> {
      return db.select().from(channels).where(eq(channels.communityId, community)).all();
    },
    async addMember(community: string, channelId: string, memberId: string): Promise<void> {
      db.insert(channelMembers).values({ communityId: community, channelId, memberId }).onConflictDoNothing().run();
    },
    /** The members recorded for a private channel. */
    async members(community: string, channelId: string): Promise<string[]> {
      return db
        .select({ memberId: channelMembers.memberId })
        .from(channelMembers)
        .where(and(eq(channelMembers.communityId, community), eq(channelMembers.channelId, channelId)))
        .all()
        .map((r) => r.memberId);
    },
    /** The channels a member is recorded in (private channels and threads). */
    async membershipsOf(community: string, memberId: string): Promise<string[]> {
      return db
        .select({ channelId: channelMembers.channelId })
        .from(channelMembers)
        .where(and(eq(channelMembers.communityId, community), eq(channelMembers.memberId, memberId)))
        .all()
        .map((r) => r.channelId);
    },
    async removeMember(community: string, channelId: string, memberId: string): Promise<void> {
      db.delete(channelMembers).where(channelMembership(channelMembers, community, channelId, memberId)).run();
    },
    /**
     * Can this member read this channel? Public channels: yes. Private: only its members.
     * Threads inherit their parent's rule, and a private thread also needs its own membership.
     * Unknown channels are treated as unreadable (fail closed).
     */
    async canRead(community: string, channelId: string, memberId: string): Promise<boolean> {
      return readableThrough(
        channelId,
        (id) => db.select().from(channels).where(byId(community, id)).get(),
        (id) => db.select().from(channelMembers).where(channelMembership(channelMembers, community, id, memberId)).get() !== undefined,
      );
    },
    /** Readable by every member: public all the way up its parents, and not a DM. Unknown -> false. */
    async isPublic(community: string, channelId: string): Promise<boolean> {
      return publicThrough(channelId, (id) => repo.get(community, id));
    },
    /** Every channel id the member can read (for filtering search results in one pass). */
    async readableBy(community: string, memberId: string): Promise<Set<string>> {
      // One read of the channels and one of the member's private memberships, then canRead's rule.
      const all = await repo.list(community);
      const privateIds = all.filter((c) => c.visibility === 'private').map((c) => c.id);
      const memberOf = new Set(
        privateIds.length === 0
          ? []
          : db
              .select({ channelId: channelMembers.channelId })
              .from(channelMembers)
              .where(and(eq(channelMembers.communityId, community), inArray(channelMembers.channelId, privateIds), eq(channelMembers.memberId, memberId)))
              .all()
              .map((r) => r.channelId),
      );
      return readableChannels(all, memberOf);
    },
  };
  return repo;
}

