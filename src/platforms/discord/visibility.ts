/**
 * Who can read a channel, so related-discussion search never shows private text to someone
 * who could not read it on Discord.
 *
 * A channel is private to the core when anyone in the server may be unable to view it: when
 * @everyone cannot (base role permissions plus the channel's overwrites), and also when an
 * overwrite denies View Channel to a role or a member, since their holders cannot read it
 * although everyone else can. Private threads are private; a public thread inherits its
 * parent's rule (the core walks `parentId`, and discord.js judges a thread by its parent).
 *
 * For a private channel we report the members who can view it, computed by discord.js
 * (`permissionsFor`: owner, Administrator, then the @everyone, role and member overwrites in
 * Discord's documented order): the acting member (they evidently can) and the cached members,
 * once per channel and then only the differences. The member cache is bounded, so the list
 * can be incomplete: that fails closed (someone may miss a result, nobody sees one they
 * shouldn't), and a member's own access is brought up to date whenever they use a command.
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

/**
 * True when someone in the server may be unable to view the channel: @everyone cannot, or an
 * overwrite denies View Channel to a role or a member. (A member's base permissions include
 * @everyone's, so without such a deny everyone who is not denied by @everyone can view it.)
 */
export function isPrivateChannel(channel: AnyChannel): boolean {
  if (channel.isDMBased()) return true;
  if (channel.isThread()) return channel.type === ChannelType.PrivateThread;
  const guild = (channel as GuildBasedChannel).guild;
  const everyone = guild.roles.everyone;
  if (!everyone) return true; // roles not known yet: fail closed
  if (!(channel as GuildBasedChannel).permissionsFor(everyone)?.has(PermissionFlagsBits.ViewChannel)) return true;
  if (!('permissionOverwrites' in channel)) return false;
  return channel.permissionOverwrites.cache.some((overwrite) => overwrite.id !== guild.id && overwrite.deny.has(PermissionFlagsBits.ViewChannel));
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
  // A public thread is judged by its parent. Members with the same roles see a channel alike
  // unless an overwrite names them or they own the server, so each set of roles is judged
  // once: a server has far fewer of those than members, and permissionsFor is not free.
  const judged = channel.isThread() ? channel.parent : channel;
  if (!judged || !('permissionOverwrites' in judged)) return viewers;
  const named = judged.permissionOverwrites.cache;
  const byRoles = new Map<string, boolean>();
  for (const member of guild.members.cache.values()) {
    let can: boolean;
    if (named.has(member.id) || member.id === guild.ownerId) can = canView(judged, member);
    else {
      const roles = [...member.roles.cache.keys()].sort().join();
      can = byRoles.get(roles) ?? canView(judged, member);
      byRoles.set(roles, can);
    }
    if (can) viewers.add(member.id);
  }
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

  /**
   * One member's access, brought up to date (their roles changed, they joined, they are about
   * to read through a command): of the channels the core knows (`channels`, threads aside),
   * the private ones they can view but are not recorded in (`recorded`, from the database,
   * which outlives this tracker), and those they are recorded in but can no longer view. A
   * recorded private thread is judged by its parent only: its own member list may not be
   * cached (Discord reports joins and leaves itself).
   */
  memberAccess(member: GuildMember, channels: readonly string[], recorded: readonly string[]): MembershipChange[] {
    const isRecorded = new Set(recorded);
    const changes: MembershipChange[] = [];
    for (const id of new Set([...channels, ...recorded])) {
      const channel = member.guild.channels.cache.get(id);
      if (!channel) continue; // not known here (deleted, an uncached thread): leave it as recorded
      const was = isRecorded.has(id);
      let can: boolean;
      if (channel.isThread()) {
        if (!was || !channel.parent) continue;
        can = canView(channel.parent, member);
      } else {
        if (!isPrivateChannel(channel)) continue;
        can = canView(channel, member);
      }
      if (can === was) continue;
      const seen = this.reported.get(id);
      if (can) seen?.add(member.id);
      else seen?.delete(member.id);
      changes.push({ channel: this.baseRef(channel), memberId: member.id, change: can ? 'joined' : 'left' });
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
