/**
 * discord.js -> normalised core events. Pure mapping: what happened, where, by whom. Whether
 * it matters is the core's business. Every listener is wrapped so a bad payload is logged
 * and dropped, never allowed to take the gateway connection down.
 */
import {
  ChannelType,
  Events,
  MessageType,
  GuildMember,
  PermissionFlagsBits,
  PermissionsBitField,
  type APIInteractionGuildMember,
  type Client,
  type Guild,
  type Message,
  type MessageReaction,
  type NonThreadGuildBasedChannel,
  type PartialMessageReaction,
  type PartialUser,
  type TextBasedChannel,
  type User,
} from 'discord.js';
import type { Clock } from '../../core/clock';
import type { Companion } from '../../core/companion';
import type { HearthEvent, IncomingMessage, MemberJoinedEvent, MemberRef } from '../../core/events';
import type { Logger } from '../../log';
import { communityOf } from './ids';
import { discordIncomingMessage } from './messages';
import type { MembershipChange, VisibilityTracker } from './visibility';

export interface InboundDeps {
  client: Client;
  companion: Companion;
  clock: Clock;
  log: Logger;
  visibility: VisibilityTracker;
  /** Roles whose holders are moderators in this community (env default + /hearth-config). */
  moderatorRoles(community: string): Promise<string[]>;
}

const MODERATOR_PERMISSIONS = [PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ModerateMembers];

/** The last message handled in a channel (a checkpoint), where a new connection reads on from. */
interface ChannelCursor {
  messageId: string;
}
const cursorKey = (community: string, channelId: string) => `${community}:cursor:${channelId}`;
/** Messages per history request (Discord's maximum), and requests per channel per catch-up. */
const CATCH_UP_PAGE = 100;
const CATCH_UP_PAGES = 10;
const compareSnowflakes = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export class InboundMapper {
  constructor(private readonly deps: InboundDeps) {}

  base(guild: Guild, at?: number | null) {
    return { community: communityOf(guild.id), communityName: guild.name, at: at ?? this.deps.clock.now() };
  }

  /**
   * A member as the core sees it; works for cached members and raw interaction members.
   * `permissions`: what Discord computed for this member in the channel (interactions carry it).
   */
  async member(
    guild: Guild,
    user: User | PartialUser,
    member?: GuildMember | APIInteractionGuildMember | null,
    permissions?: Readonly<PermissionsBitField> | null,
  ): Promise<MemberRef> {
    const resolved = member ?? guild.members.cache.get(user.id) ?? null;
    const name =
      resolved instanceof GuildMember
        ? resolved.displayName
        : (resolved?.nick ?? user.globalName ?? user.username ?? resolved?.user.global_name ?? resolved?.user.username ?? 'someone');
    return {
      id: user.id,
      name: name || 'someone',
      isBot: Boolean(user.bot),
      isModerator: await this.isModerator(guild, user.id, resolved, permissions),
    };
  }

  /** ManageGuild or ModerateMembers, or one of the configured moderator roles. */
  async isModerator(
    guild: Guild,
    userId: string,
    member: GuildMember | APIInteractionGuildMember | null,
    given?: Readonly<PermissionsBitField> | null,
  ): Promise<boolean> {
    if (!member) return false;
    if (guild.ownerId === userId) return true;
    let permissions: Readonly<PermissionsBitField> | null = given ?? null;
    let roles: string[];
    if (member instanceof GuildMember) {
      if (!permissions) {
        try {
          permissions = member.permissions;
        } catch {
          permissions = null; // roles not cached yet
        }
      }
      roles = [...member.roles.cache.keys()];
    } else {
      permissions ??= new PermissionsBitField(BigInt(member.permissions));
      roles = member.roles;
    }
    if (permissions && MODERATOR_PERMISSIONS.some((p) => permissions!.has(p))) return true;
    const moderatorRoles = await this.deps.moderatorRoles(communityOf(guild.id));
    return roles.some((r) => moderatorRoles.includes(r));
  }

  async message(message: Message): Promise<IncomingMessage> {
    const channel = message.channel;
    const place = { channel: this.deps.visibility.ref(channel, message.author.id), isThread: channel.isThread(), forumPost: isForumPost(channel) };
    const facts = {
      id: message.id,
      type: message.type,
      content: message.content ?? '',
      author: await this.member(message.guild!, message.author, message.member),
      at: message.createdTimestamp,
      reference: message.reference,
      mentionIds: [...message.mentions.users.keys()],
      flags: message.flags.bitfield,
      attachments: [...message.attachments.values()].map((a) => ({
        id: a.id,
        filename: a.name,
        contentType: a.contentType,
        size: a.size,
        url: a.url,
        durationSecs: a.duration,
      })),
    };
    return discordIncomingMessage(facts, place);
  }

  memberJoined(member: GuildMember): Promise<MemberJoinedEvent> {
    return this.member(member.guild, member.user, member).then((ref) => ({
      ...this.base(member.guild, member.joinedTimestamp),
      // The gateway has no event ids: a join is the member and when they joined.
      deliveryId: `join:${member.id}:${member.joinedTimestamp ?? ''}`,
      type: 'member_joined' as const,
      member: ref,
      ...(member.guild.systemChannelId ? { welcomeChannelId: member.guild.systemChannelId } : {}),
    }));
  }

  async messagePosted(message: Message): Promise<HearthEvent> {
    return { ...this.base(message.guild!, message.createdTimestamp), deliveryId: `message:${message.id}`, type: 'message_posted', message: await this.message(message) };
  }

  messageEdited(message: Message): HearthEvent | undefined {
    if (typeof message.content !== 'string') return undefined;
    const channel = message.channel;
    const isForumStarter = channel.isThread() && message.id === channel.id && isForumPost(channel);
    return {
      ...this.base(message.guild!, message.editedTimestamp),
      type: 'message_edited',
      channelId: message.channelId,
      messageId: message.id,
      text: message.content,
      ...(isForumStarter ? { title: channel.name } : {}),
    };
  }

  async reactionAdded(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<HearthEvent | undefined> {
    const guild = reaction.message.guild;
    const emoji = reaction.emoji.name ?? reaction.emoji.id;
    if (!guild || !emoji) return undefined;
    return {
      ...this.base(guild),
      type: 'reaction_added',
      channelId: reaction.message.channelId,
      messageId: reaction.message.id,
      emoji,
      member: await this.member(guild, user),
    };
  }

  async reactionRemoved(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<HearthEvent | undefined> {
    const added = await this.reactionAdded(reaction, user);
    return added?.type === 'reaction_added' ? { ...added, type: 'reaction_removed' } : undefined;
  }

  /** Events that must reach the core before anything happening in `channel` (see VisibilityTracker). */
  channelPrelude(guild: Guild, channel: TextBasedChannel, actorId: string): HearthEvent[] {
    const parent = this.deps.visibility.parentAnnouncement(channel, actorId);
    return parent ? [this.membership(guild, parent)] : [];
  }

  membership(guild: Guild, change: MembershipChange): HearthEvent {
    return { ...this.base(guild), type: 'channel_membership', channel: change.channel, memberId: change.memberId, change: change.change };
  }

  /** One member's recorded access brought up to date (see VisibilityTracker.memberAccess). */
  async memberAccess(member: GuildMember): Promise<HearthEvent[]> {
    const { repos } = this.deps.companion.core;
    const community = communityOf(member.guild.id);
    const channels = (await repos.channels.list(community)).filter((c) => c.kind !== 'thread').map((c) => c.id);
    const recorded = await repos.channels.membershipsOf(community, member.id);
    return this.deps.visibility.memberAccess(member, channels, recorded).map((change) => this.membership(member.guild, change));
  }

  /**
   * A channel brought up to date in the core: its name and visibility when they differ from
   * the record, the readers it gained (in one event) and those it lost. `row`: the record,
   * when the caller has read it already.
   */
  async channelRefresh(channel: NonThreadGuildBasedChannel, row?: { name: string; visibility: string } | null): Promise<HearthEvent[]> {
    const { repos } = this.deps.companion.core;
    const { visibility } = this.deps;
    const community = communityOf(channel.guild.id);
    if (row === undefined) row = (await repos.channels.get(community, channel.id)) ?? null;
    const changes = visibility.recompute(channel, row ? await repos.channels.members(community, channel.id) : []);
    const ref = visibility.baseRef(channel);
    const joined = changes.filter((c) => c.change === 'joined').map((c) => c.memberId);
    const events: HearthEvent[] = [];
    if (joined.length || (row && (row.name !== ref.name || row.visibility !== ref.visibility))) {
      events.push({ ...this.base(channel.guild), type: 'channel_updated', channel: joined.length ? { ...ref, memberIds: joined } : ref });
    }
    for (const change of changes) if (change.change === 'left') events.push(this.membership(channel.guild, change));
    return events;
  }

  /**
   * Every channel of the server the core knows, brought up to date: after a gap (a restart,
   * an outage: what changed meanwhile is only visible in the new GUILD_CREATE) or a role
   * permission edit. Threads follow their parent; private-thread members come from Discord.
   */
  async guildRefresh(guild: Guild): Promise<HearthEvent[]> {
    const rows = await this.deps.companion.core.repos.channels.list(communityOf(guild.id));
    const events: HearthEvent[] = [];
    for (const row of rows) {
      const channel = guild.channels.cache.get(row.id);
      // Not in the server's channel list: deleted while Hearth was down; its record stays as it was.
      if (!channel || channel.isThread()) continue;
      events.push(...(await this.channelRefresh(channel, row)));
      // Judging every cached member takes tens of milliseconds per private channel on a large
      // server: let gateway traffic and interactions in between channels.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return events;
  }
}

/** A thread that is a forum (or media channel) post: its name is the post's title. */
function isForumPost(channel: TextBasedChannel): boolean {
  if (!channel.isThread()) return false;
  const type = channel.parent?.type;
  return type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
}

/** Register the gateway listeners that feed the companion. */
export function attachInbound(deps: InboundDeps, mapper: InboundMapper): void {
  const { client, companion, log, visibility } = deps;
  // Gateway events are mapped and handled one after another, in arrival order: a member
  // lookup must not let a reply overtake the message it answers. A failure is logged only.
  let queue: Promise<void> = Promise.resolve();
  const safely =
    <A extends unknown[]>(name: string, fn: (...args: A) => Promise<void>) =>
    (...args: A) => {
      queue = queue.then(() => fn(...args)).catch((error) => log.error({ err: error, event: name }, 'discord event failed'));
    };
  /** True when the core handled the event (or knew it already). */
  const handle = async (event: HearthEvent | undefined): Promise<boolean> => {
    if (!event) return false;
    const result = await companion.handle(event);
    if (!result.ok) log.warn({ error: result.error, type: event.type }, 'core rejected discord event');
    return result.ok;
  };
  const membership = (guild: Guild, changes: MembershipChange[]) => Promise.all(changes.map((c) => handle(mapper.membership(guild, c))));

  const all = async (events: HearthEvent[]) => {
    for (const event of events) await handle(event);
  };

  /**
   * A member who joins is recorded as a reader of the private channels they can view (a
   * channel that only denies a role they lack, say), and loses any access recorded for an
   * earlier stay that their roles no longer give.
   */
  const memberJoined = async (member: GuildMember) => {
    await handle(await mapper.memberJoined(member));
    await all(await mapper.memberAccess(member));
  };
  client.on(Events.GuildMemberAdd, safely('guildMemberAdd', memberJoined));
  /**
   * Whenever discord.js (re)receives a server's GUILD_CREATE (at start-up, after an outage or
   * a new session), and when Hearth joins a server: changes made meanwhile are only in it.
   */
  const refreshGuild = safely('guildRefresh', async (guild: Guild) => {
    await all(await mapper.guildRefresh(guild));
    await catchUp(guild);
  });
  client.on(Events.GuildAvailable, refreshGuild);
  client.on(Events.GuildCreate, refreshGuild);
  /**
   * A role's View Channel or Administrator permission changed, or a role was deleted (its
   * holders lose its permissions, and its overwrites stop applying): every channel's readers
   * may have changed. A new role changes nobody's access until it is given to someone
   * (GUILD_MEMBER_UPDATE) or an overwrite names it (CHANNEL_UPDATE), so role creation needs nothing.
   */
  const READ_BITS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.Administrator;
  client.on(
    Events.GuildRoleUpdate,
    safely('guildRoleUpdate', async (old, role) => {
      if ((old.permissions.bitfield & READ_BITS) === (role.permissions.bitfield & READ_BITS)) return;
      await all(await mapper.guildRefresh(role.guild));
    }),
  );
  client.on(
    Events.GuildRoleDelete,
    safely('guildRoleDelete', async (role) => all(await mapper.guildRefresh(role.guild))),
  );
  /**
   * A member who leaves the server (or is kicked or banned) loses every role, so every
   * private channel and thread they were recorded in. Without this, one who came back (with
   * no roles) would still be shown those channels' text, since a join changes no membership.
   */
  client.on(
    Events.GuildMemberRemove,
    safely('guildMemberRemove', async (member) => {
      const community = communityOf(member.guild.id);
      visibility.forgetMember(member.id);
      for (const channelId of await companion.core.repos.channels.membershipsOf(community, member.id)) {
        const row = await companion.core.repos.channels.get(community, channelId);
        if (!row) continue;
        const channel = { id: row.id, name: row.name, visibility: row.visibility, kind: row.kind, parentId: row.parentId };
        await handle(mapper.membership(member.guild, { channel, memberId: member.id, change: 'left' }));
      }
    }),
  );
  /**
   * A server message, live or caught up. Once the core has it, the channel's cursor moves to
   * it: a later connection reads the channel on from there (see catchUp).
   */
  const messageCreated = async (message: Message) => {
    if (!message.inGuild()) return; // DMs have no community; the core only hears guild traffic
    for (const event of mapper.channelPrelude(message.guild, message.channel, message.author.id)) await handle(event);
    if (!(await handle(await mapper.messagePosted(message)))) return;
    await companion.core.repos.checkpoints.put(cursorKey(communityOf(message.guildId), message.channelId), { messageId: message.id } satisfies ChannelCursor, deps.clock.now());
  };
  client.on(Events.MessageCreate, safely('messageCreate', messageCreated));

  /**
   * Discord does not send again what a connection missed (a killed process, a shard's
   * replacement starting: a new session, not a resumed one). On each (re)connect, every
   * channel of the server Hearth has handled a message in is read on from the last one it
   * handled (`GET /channels/{id}/messages?after=`, oldest first) and each message goes through
   * the live path; the core's redelivery protection (deliveries) drops those handled already.
   * A channel with no cursor (created, or first written in, during the gap) is read on from
   * the newest message Hearth handled anywhere in the server, where the gap began, if Hearth
   * may read its history and Discord says it moved since. Joins are found
   * by Discord's join notices in the system channel (where welcomes go, so it has a cursor),
   * when the server posts them.
   */
  const catchUp = async (guild: Guild) => {
    const prefix = cursorKey(communityOf(guild.id), '');
    const cursors = new Map<string, string>();
    for (const row of await companion.core.repos.checkpoints.list(prefix)) {
      const messageId = (row.value as ChannelCursor | undefined)?.messageId;
      if (messageId) cursors.set(row.key.slice(prefix.length), messageId);
    }
    const gapStart = [...cursors.values()].sort(compareSnowflakes).at(-1);
    if (gapStart) {
      const me = guild.members.me;
      for (const channel of guild.channels.cache.values()) {
        if (cursors.has(channel.id) || !channel.isTextBased() || !channel.lastMessageId) continue;
        if (compareSnowflakes(channel.lastMessageId, gapStart) <= 0) continue;
        if (!me || !channel.permissionsFor(me)?.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory])) continue;
        cursors.set(channel.id, gapStart);
      }
    }
    for (const [channelId, cursor] of cursors) {
      let after = cursor;
      try {
        const channel = guild.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId).catch(() => null));
        if (!channel?.isTextBased() || channel.isDMBased()) continue; // deleted, or no longer visible
        // The server's channel list names each channel's newest message: nothing newer, no request
        // (a shard's reconnect reads only the channels that moved).
        if (channel.lastMessageId && compareSnowflakes(channel.lastMessageId, after) <= 0) continue;
        for (let page = 1; ; page++) {
          const batch = [...(await channel.messages.fetch({ after, limit: CATCH_UP_PAGE, cache: false })).values()].sort((a, b) => compareSnowflakes(a.id, b.id));
          for (const message of batch) {
            // Discord's join notice (the server's join messages setting) stands for a
            // GUILD_MEMBER_ADD this connection missed: the member as Discord has them now, whose
            // join time makes the same delivery as the live event's (handled once).
            if (message.type === MessageType.UserJoin) {
              const member = await guild.members.fetch({ user: message.author.id, cache: false }).catch(() => null); // left since: nothing to welcome
              if (member) await memberJoined(member);
            }
            await messageCreated(message);
          }
          if (batch.length < CATCH_UP_PAGE) break;
          after = batch.at(-1)!.id;
          if (page === CATCH_UP_PAGES) {
            log.warn({ guild: guild.id, channel: channelId, read: page * CATCH_UP_PAGE }, 'discord catch-up: more messages were missed than one catch-up reads; the rest wait for the next connection');
            break;
          }
        }
      } catch (error) {
        log.error({ err: error, guild: guild.id, channel: channelId }, 'discord catch-up failed for a channel');
      }
    }
  };
  client.on(
    Events.MessageUpdate,
    safely('messageUpdate', async (_old, message) => {
      if (!message.guildId) return;
      const full = message.partial ? await message.fetch().catch(() => undefined) : message;
      if (!full) return; // an edit that changes no words (embeds unfurling, pins): the core ignores it
      await handle(mapper.messageEdited(full));
    }),
  );
  client.on(
    Events.MessageReactionAdd,
    safely('messageReactionAdd', async (reaction, user) => void (await handle(await mapper.reactionAdded(reaction, user)))),
  );
  client.on(
    Events.MessageReactionRemove,
    safely('messageReactionRemove', async (reaction, user) => void (await handle(await mapper.reactionRemoved(reaction, user)))),
  );
  /**
   * A channel's overwrites (or name) changed. A new channel needs nothing: its record, with
   * its readers, is made when something happens in it (VisibilityTracker.ref).
   */
  client.on(
    Events.ChannelUpdate,
    safely('channelUpdate', async (_old, channel) => {
      if (channel.isDMBased()) return;
      await all(await mapper.channelRefresh(channel));
    }),
  );
  /**
   * A deleted channel, thread or forum post takes all its messages with it, but Discord
   * sends only CHANNEL_DELETE / THREAD_DELETE, never a MESSAGE_DELETE per message: each
   * stored message of that channel is reported deleted, so the core forgets it like any other
   * deletion (storage, search index, discussion vectors). Read from the raw packet: discord.js
   * emits nothing for a thread it had not cached.
   */
  const channelGone = async (guildId: string, channelId: string) => {
    visibility.forget(channelId);
    const community = communityOf(guildId);
    let previous = '';
    for (;;) {
      const rows = await companion.core.repos.messages.recentInChannel(community, channelId, 0, 200);
      const page = rows.map((r) => r.id).join(',');
      if (!rows.length || page === previous) return; // done, or nothing could be removed: stop
      previous = page;
      for (const row of rows) await handle({ community, at: deps.clock.now(), type: 'message_deleted', channelId, messageId: row.id });
    }
  };
  /**
   * Message deletions, also read from the raw packets: discord.js drops MESSAGE_DELETE for a
   * channel it has not cached, and it sweeps threads archived over 4 hours ago (and never
   * loads archived threads at start), so a deletion in an old forum post or thread would be
   * lost. The packet names everything the core needs.
   */
  const messagesGone = async (guildId: string, channelId: string, ids: string[]) => {
    for (const messageId of ids) await handle({ community: communityOf(guildId), at: deps.clock.now(), type: 'message_deleted', channelId, messageId });
  };
  client.on(
    Events.Raw,
    (packet: { t?: string | null; d?: { id?: string; ids?: string[]; channel_id?: string; guild_id?: string } }) => {
      const { id, ids, channel_id: channelId, guild_id: guildId } = packet.d ?? {};
      if (!guildId) return; // DMs have no community
      if ((packet.t === 'CHANNEL_DELETE' || packet.t === 'THREAD_DELETE') && id) safely('channelDelete', channelGone)(guildId, id);
      else if (packet.t === 'MESSAGE_DELETE' && id && channelId) safely('messageDelete', messagesGone)(guildId, channelId, [id]);
      else if (packet.t === 'MESSAGE_DELETE_BULK' && ids && channelId) safely('messageBulkDelete', messagesGone)(guildId, channelId, ids);
    },
  );
  client.on(
    Events.GuildMemberUpdate,
    safely('guildMemberUpdate', async (old, member) => {
      if (!old.partial && old.roles.cache.size === member.roles.cache.size && old.roles.cache.every((_r, id) => member.roles.cache.has(id))) return;
      await all([{ ...mapper.base(member.guild), type: 'member_updated', member: await mapper.member(member.guild, member.user, member) }, ...(await mapper.memberAccess(member))]);
    }),
  );
  client.on(
    Events.ThreadMembersUpdate,
    safely('threadMembersUpdate', async (added, removed, thread) => {
      await membership(thread.guild, visibility.threadMembers(thread, [...added.keys()], [...removed.keys()]));
    }),
  );
}
