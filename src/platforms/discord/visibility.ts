/**
 * Who can read a channel, so related-discussion search never shows private text to someone
 * who could not read it on Discord. A channel is private when @everyone cannot view it
 * (base role permissions plus the channel's overwrites); private threads are private; a
 * public thread inherits its parent's rule (the core walks `parentId`).
 *
 * For private channels we report the members known to be able to view it: the acting member
 * (they evidently can) and the cached members whose permissions allow it, computed once per
 * channel and then only the differences. The member cache is bounded, so the list can be
 * incomplete: that fails closed (someone may miss a result, nobody sees one they shouldn't).
 */
import {
  ChannelType,
  PermissionFlagsBits,
  type Guild,
  type GuildBasedChannel,
  type GuildMember,
  type TextBasedChannel,
} from 'discord.js';
import type { ChannelKind, ChannelRef, ChannelVisibility } from '../../core/events';

/** Remember viewers for at most this many private channels (the rest recompute). */
const MAX_TRACKED_CHANNELS = 200;

type AnyChannel = GuildBasedChannel | TextBasedChannel;

export function channelKind(channel: AnyChannel): ChannelKind {
  if (channel.isDMBased()) return 'dm';
  if (channel.isThread()) return 'thread';
  if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia) return 'forum';
  return 'text';
}

/** True when the guild's @everyone role cannot view the channel. */
export function isPrivateChannel(channel: AnyChannel): boolean {
  if (channel.isDMBased()) return true;
  if (channel.isThread()) return channel.type === ChannelType.PrivateThread;
  const guild = (channel as GuildBasedChannel).guild;
  const everyone = guild.roles.everyone;
  if (!everyone) return true; // roles not known yet: fail closed
  const permissions = (channel as GuildBasedChannel).permissionsFor(everyone);
  return !permissions?.has(PermissionFlagsBits.ViewChannel);
}

/** Can this (cached) member view the channel? Private threads also need thread membership. */
export function canView(channel: AnyChannel, member: GuildMember): boolean {
  if (channel.isDMBased()) return false;
  if (channel.isThread()) {
    const parent = channel.parent;
    if (!parent || !canView(parent, member)) return false;
    return channel.type !== ChannelType.PrivateThread || channel.members.cache.has(member.id) || Boolean(channel.permissionsFor(member)?.has(PermissionFlagsBits.ManageThreads));
  }
  return Boolean((channel as GuildBasedChannel).permissionsFor(member)?.has(PermissionFlagsBits.ViewChannel));
}

function knownViewers(channel: AnyChannel): Set<string> {
  const viewers = new Set<string>();
  if (channel.isDMBased()) return viewers;
  const guild: Guild = (channel as GuildBasedChannel).guild;
  if (channel.isThread() && channel.type === ChannelType.PrivateThread) {
    for (const id of channel.members.cache.keys()) viewers.add(id);
    return viewers;
  }
  for (const member of guild.members.cache.values()) if (canView(channel, member)) viewers.add(member.id);
  return viewers;
}

export interface MembershipChange {
  channel: ChannelRef;
  memberId: string;
  change: 'joined' | 'left';
}

export class VisibilityTracker {
  /** Private channel id -> viewer ids already reported to the core. */
  private readonly reported = new Map<string, Set<string>>();
  /** Thread parents already announced to the core. */
  private readonly announcedParents = new Set<string>();

  /**
   * The core's view of a channel. For a private channel, `memberIds` carries the viewers not
   * reported yet (the acting member included), so each id is written once.
   */
  ref(channel: AnyChannel, actorId?: string): ChannelRef {
    const base = this.baseRef(channel);
    if (base.visibility !== 'private' || base.kind === 'dm') return base;
    let seen = this.reported.get(channel.id);
    const fresh: string[] = [];
    if (!seen) {
      seen = knownViewers(channel);
      this.remember(channel.id, seen);
      fresh.push(...seen);
    }
    if (actorId && !seen.has(actorId)) {
      seen.add(actorId);
      fresh.push(actorId);
    }
    return fresh.length ? { ...base, memberIds: fresh } : base;
  }

  /**
   * The core judges a thread through its parent, and treats a channel it has never seen as
   * unreadable; a forum channel never carries messages of its own. So the first time a thread
   * is used, its parent is announced as a membership of the acting member (who can evidently
   * view it), which records the parent with its visibility.
   */
  parentAnnouncement(channel: AnyChannel, actorId: string): MembershipChange | undefined {
    if (!channel.isThread() || !channel.parent) return undefined;
    const parentRef = this.ref(channel.parent, actorId);
    const first = !this.announcedParents.has(channel.parent.id);
    if (!first && !parentRef.memberIds?.length) return undefined;
    this.announcedParents.add(channel.parent.id);
    if (this.announcedParents.size > MAX_TRACKED_CHANNELS) this.announcedParents.delete(this.announcedParents.values().next().value!);
    return { channel: parentRef, memberId: actorId, change: 'joined' };
  }

  baseRef(channel: AnyChannel): ChannelRef {
    const visibility: ChannelVisibility = isPrivateChannel(channel) ? 'private' : 'public';
    const name = 'name' in channel && channel.name ? channel.name : channel.id;
    return {
      id: channel.id,
      name,
      visibility,
      kind: channelKind(channel),
      parentId: 'parentId' in channel ? (channel.parentId ?? null) : null,
    };
  }

  /**
   * A channel's permissions (or a member's roles) changed: recompute who can view it and
   * return the differences against what was reported, as membership changes for the core.
   * Only cached members are judged, so nobody is dropped just for being out of the cache.
   * `recorded`: the members the database lists for the channel (they outlive a restart).
   */
  recompute(channel: AnyChannel, recorded: readonly string[] = []): MembershipChange[] {
    const ref = this.baseRef(channel);
    // What was reported in this process, and what earlier runs recorded (the database).
    const before = new Set([...(this.reported.get(channel.id) ?? []), ...recorded]);
    if (ref.visibility !== 'private') {
      this.reported.delete(channel.id);
      return [];
    }
    const now = knownViewers(channel);
    const changes: MembershipChange[] = [];
    for (const id of now) if (!before.has(id)) changes.push({ channel: ref, memberId: id, change: 'joined' });
    if (!channel.isDMBased()) {
      const guild = (channel as GuildBasedChannel).guild;
      for (const id of before) if (!now.has(id) && guild.members.cache.has(id)) changes.push({ channel: ref, memberId: id, change: 'left' });
    }
    this.remember(channel.id, now);
    return changes;
  }

  /** A member's roles changed: their access to every tracked private channel may have. */
  recomputeMember(guild: Guild, member: GuildMember): MembershipChange[] {
    const changes: MembershipChange[] = [];
    for (const [channelId, seen] of this.reported) {
      const channel = guild.channels.cache.get(channelId);
      if (!channel) continue;
      const ref = this.baseRef(channel);
      const can = canView(channel, member);
      if (can && !seen.has(member.id)) {
        seen.add(member.id);
        changes.push({ channel: ref, memberId: member.id, change: 'joined' });
      } else if (!can && seen.has(member.id)) {
        seen.delete(member.id);
        changes.push({ channel: ref, memberId: member.id, change: 'left' });
      }
    }
    return changes;
  }

  /**
   * A member's roles changed: of the channels they are recorded as reading (the database,
   * which outlives this tracker's memory), those they can no longer view. A private thread
   * is judged by its parent only: its own member list may not be cached.
   */
  lostAccess(guild: Guild, member: GuildMember, recordedIds: string[], already: MembershipChange[]): MembershipChange[] {
    const handled = new Set(already.filter((c) => c.memberId === member.id).map((c) => c.channel.id));
    const changes: MembershipChange[] = [];
    for (const id of recordedIds) {
      if (handled.has(id)) continue;
      const channel = guild.channels.cache.get(id);
      if (!channel) continue; // not known here (an uncached thread): leave it as recorded
      const judged = channel.isThread() ? channel.parent : channel;
      if (!judged || canView(judged, member)) continue;
      this.reported.get(id)?.delete(member.id);
      changes.push({ channel: this.baseRef(channel), memberId: member.id, change: 'left' });
    }
    return changes;
  }

  /** Private-thread membership reported by Discord itself. */
  threadMembers(channel: AnyChannel, added: string[], removed: string[]): MembershipChange[] {
    const ref = this.baseRef(channel);
    if (ref.visibility !== 'private') return [];
    const seen = this.reported.get(channel.id) ?? new Set<string>();
    const changes: MembershipChange[] = [];
    for (const id of added) if (!seen.has(id)) (seen.add(id), changes.push({ channel: ref, memberId: id, change: 'joined' }));
    for (const id of removed) (seen.delete(id), changes.push({ channel: ref, memberId: id, change: 'left' }));
    this.remember(channel.id, seen);
    return changes;
  }

  /** A member left the server: they are no longer a known viewer of anything. */
  forgetMember(memberId: string): void {
    for (const seen of this.reported.values()) seen.delete(memberId);
  }

  forget(channelId: string): void {
    this.reported.delete(channelId);
    this.announcedParents.delete(channelId);
  }

  private remember(channelId: string, viewers: Set<string>): void {
    this.reported.delete(channelId);
    this.reported.set(channelId, viewers);
    if (this.reported.size > MAX_TRACKED_CHANNELS) this.reported.delete(this.reported.keys().next().value!);
  }
}
