/**
 * The Platform port on Discord. Every message goes out with explicit `allowedMentions`
 * (nothing pings unless the core listed it), and only `notifyModerators` may mention a role.
 */
import { createHash } from 'node:crypto';
import { ChannelType, DiscordAPIError, InteractionWebhook, MessageFlags, SnowflakeUtil, type APIMessage, type Client, type Guild, type Message, type SendableChannels } from 'discord.js';
import type { AudioClip, MessageTarget } from '../../core/events';
import { downloadCapped } from '../download';
import type { ModeratorAudience, OutgoingMessage, PlatformPort, PostDestination, PostedMessage, PostSearch } from '../../core/platform';
import type { Logger } from '../../log';
import { communityOf, guildOf, isSnowflake, messageLink, messageIdFromLink } from './ids';
import type { InteractionRegistry } from './interactions';
import { renderParts, renderSingle, type MentionGrant } from './render';

/** How far before its intent a keyed post is looked for (clock skew between Hearth and Discord). */
const LOOKUP_MARGIN_MS = 60_000;

/** Channel names tried, in order, when no moderator channel is configured anywhere. */
const MODERATOR_CHANNEL_NAMES = ['moderators', 'mods', 'moderation', 'mod-chat', 'staff'];

export interface DiscordPlatformOptions {
  client: Client;
  interactions: InteractionRegistry;
  log: Logger;
  /** DISCORD_MOD_CHANNEL_ID: used when the audience names no channel. */
  moderatorChannelId?: string;
  /** Hosts attachments are downloaded from: Discord's CDN, and a local fake's in tests. */
  fileHosts?: string[];
  /** One shard of several (DISCORD_SHARD_COUNT): this process serves only its shard's servers. */
  sharded?: boolean;
}

/** Where Discord serves attachments. */
export const DISCORD_FILE_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];

export class DiscordPlatform implements PlatformPort {
  readonly name = 'discord';

  constructor(private readonly options: DiscordPlatformOptions) {}

  get selfId(): string {
    return this.options.client.user?.id ?? '';
  }

  /** A shard's servers are those its connection received (GUILD_CREATE); other shards run the rest's steps. */
  servedCommunities(): string[] | undefined {
    return this.options.sharded ? [...this.options.client.guilds.cache.keys()].map(communityOf) : undefined;
  }

  async post(community: string, channelId: string, message: OutgoingMessage): Promise<PostedMessage> {
    const channel = await this.channel(community, channelId);
    return this.posted(community, await this.send(channel, message));
  }

  async reply(community: string, to: MessageTarget, message: OutgoingMessage): Promise<PostedMessage> {
    const channel = await this.channel(community, to.channelId);
    return this.posted(community, await this.send(channel, message, {}, to.messageId));
  }

  /** Attachment URLs are signed by Discord: no credentials travel with the download. */
  async fetchAudio(_community: string, clip: AudioClip, maxBytes: number): Promise<Buffer> {
    return downloadCapped(clip.url, { allowedHosts: this.options.fileHosts ?? DISCORD_FILE_HOSTS, maxBytes });
  }

  async edit(community: string, target: MessageTarget, message: OutgoingMessage): Promise<void> {
    const channel = await this.channel(community, target.channelId);
    // A message in a DM (the owner fallback below) keeps buttons that name their server.
    const buttons = channel.isDMBased() ? withServer(message, guildOf(community)) : message;
    await channel.messages.edit(target.messageId, renderSingle(buttons));
  }

  async dm(_community: string, memberId: string, message: OutgoingMessage): Promise<PostedMessage> {
    const channel = await this.options.client.users.createDM(memberId);
    const sent = await this.send(channel, message);
    return { channelId: sent.channelId, messageId: sent.id };
  }

  /**
   * In an open interaction of that member: an ephemeral follow-up. Otherwise a DM. A refused
   * DM (closed DMs are the member's choice) is logged and rethrown: the core's callers catch
   * it and must know the member was not reached (a claim tells the moderator so).
   */
  async ephemeral(community: string, _channelId: string, memberId: string, message: OutgoingMessage, via?: { replyToken?: string }): Promise<void> {
    // The member's command reply that never arrived (its interaction was deferred, or not
    // answered at all): answered in its place while the token works, else as below.
    if (via?.replyToken && (await this.answerOriginal(community, via.replyToken, message))) return;
    // A post that must happen once goes where `findPosted` can look for it: the DM.
    const session = message.idempotencyKey ? undefined : this.options.interactions.find(community, memberId);
    if (session) {
      await session.ephemeral(message);
      return;
    }
    try {
      await this.dm(community, memberId, message);
    } catch (error) {
      this.options.log.warn({ err: error, community, memberId }, 'could not DM a member (ephemeral fallback)');
      throw error;
    }
  }

  async react(community: string, target: MessageTarget, emoji: string): Promise<void> {
    const channel = await this.channel(community, target.channelId);
    await channel.messages.react(target.messageId, this.emoji(community, emoji));
  }

  async notifyModerators(community: string, audience: ModeratorAudience, message: OutgoingMessage): Promise<PostedMessage> {
    const guild = this.guild(community);
    const grant = await this.audienceMentions(guild, audience);
    const prefix = [...(grant.roles ?? []).map((id) => `<@&${id}>`), ...(grant.users ?? []).map((id) => `<@${id}>`)].join(' ');
    const text = prefix ? `${prefix} ${message.text}` : message.text;
    const channelId = this.moderatorChannelId(guild, audience);
    if (!channelId) {
      // No place for moderators at all: the owner hears it privately rather than nobody.
      this.options.log.warn({ community }, 'no moderator channel configured; sending the escalation to the server owner');
      // A button pressed in a DM carries no server: its custom_id names it (see interactions.ts).
      return this.dm(community, guild.ownerId, withServer({ ...message, text }, guild.id));
    }
    const channel = await this.channel(community, channelId);
    return this.posted(community, await this.send(channel, { ...message, text }, grant));
  }

  /**
   * A keyed post is found by its nonce among the bot's messages since its intent, where it
   * went: the moderator channel (or the owner's DM), the channel it was posted in, or the
   * member's DM. Discord also drops a
   * repeated enforced nonce for a few minutes; this lookup covers a longer outage. An
   * interaction reply shows in no history: not found there, it is unknown.
   */
  async findPosted(community: string, where: PostDestination, key: string, since: number): Promise<PostSearch> {
    let channel: SendableChannels;
    if (where.kind === 'moderators') {
      const guild = this.guild(community);
      const channelId = this.moderatorChannelId(guild, where.audience);
      channel = channelId ? await this.channel(community, channelId) : await this.options.client.users.createDM(guild.ownerId);
    } else if (where.kind === 'channel') {
      channel = await this.channel(community, where.channelId);
    } else {
      channel = await this.options.client.users.createDM(where.memberId);
    }
    const nonce = stableNonce(channel.id, key, 0);
    const after = SnowflakeUtil.generate({ timestamp: Math.max(since - LOOKUP_MARGIN_MS, Number(SnowflakeUtil.epoch)) }).toString();
    const recent = await channel.messages.fetch({ after, limit: 100, cache: false });
    const found = recent.find((m) => m.author.id === this.selfId && String(m.nonce) === nonce);
    if (found) return this.posted(community, found);
    if (where.kind !== 'ephemeral' || !where.interaction) return 'absent';
    // A command reply shows in no history, but its interaction's `@original` does, while the
    // token works (15 minutes): without one, Hearth cannot tell.
    return where.replyToken ? this.findOriginal(where.replyToken) : 'unknown';
  }

  /**
   * The interaction's original response (GET /webhooks/{application}/{token}/messages/@original):
   * a reply with content is the post; a deferral still "thinking…" (flag LOADING) or no
   * response at all (404) means the reply never arrived; an expired or refused token (401):
   * unknown. The token is a secret: errors are reported by status only, never with the URL.
   */
  private async findOriginal(token: string): Promise<PostSearch> {
    let original: APIMessage;
    try {
      original = (await this.options.client.rest.get(this.originalRoute(token), { auth: false })) as APIMessage;
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 404) return 'absent';
      if (error instanceof DiscordAPIError && (error.status === 401 || error.status === 403)) return 'unknown';
      throw scrubbed(error);
    }
    if ((Number(original.flags ?? 0) & MessageFlags.Loading) !== 0) return 'absent';
    return { channelId: original.channel_id, messageId: original.id };
  }

  /** Edit the interaction's original response into `message`; false when there is none to edit (or the token no longer works). */
  private async answerOriginal(community: string, token: string, message: OutgoingMessage): Promise<boolean> {
    const applicationId = this.applicationId();
    if (!applicationId) return false;
    try {
      await new InteractionWebhook(this.options.client as Client<true>, applicationId, token).editMessage('@original', renderSingle(message));
      return true;
    } catch (error) {
      const status = error instanceof DiscordAPIError ? error.status : undefined;
      this.options.log.warn({ community, status }, 'could not answer in the command reply; sending it another way');
      return false;
    }
  }

  private originalRoute(token: string): `/${string}` {
    const applicationId = this.applicationId();
    if (!applicationId) throw new Error('the application id is not known yet');
    return `/webhooks/${applicationId}/${token}/messages/@original`;
  }

  private applicationId(): string | undefined {
    return this.options.client.application?.id ?? this.options.client.user?.id;
  }

  async permalink(community: string, target: MessageTarget): Promise<string> {
    return messageLink(guildOf(community), target.channelId, target.messageId);
  }

  messageIdFromLink(link: string): string | undefined {
    return messageIdFromLink(link);
  }

  private guild(community: string): Guild {
    const guild = this.options.client.guilds.cache.get(guildOf(community));
    if (!guild) throw new Error(`the bot is not in ${community} (or the guild is unavailable)`);
    return guild;
  }

  /** A channel that can take messages, and that belongs to this community. */
  private async channel(community: string, channelId: string): Promise<SendableChannels> {
    const channel = await this.options.client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`discord channel ${channelId} cannot receive messages`);
    if (!channel.isDMBased() && communityOf(channel.guildId) !== community) {
      throw new Error(`discord channel ${channelId} is not in ${community}`);
    }
    return channel;
  }

  private async send(channel: SendableChannels, message: OutgoingMessage, grant: MentionGrant = {}, replyTo?: string): Promise<Message> {
    let first: Message | undefined;
    for (const [index, part] of renderParts(message, grant).entries()) {
      const reply = !first && replyTo ? { reply: { messageReference: replyTo, failIfNotExists: false } } : {};
      // An enforced nonce: when a POST is retried after a timeout (the first attempt may have
      // landed), Discord answers with the message already created instead of posting twice.
      // A post with an idempotency key (the outbox's) keeps its nonce across a crash and
      // restart too, for as long as Discord remembers nonces (a few minutes).
      const nonce = message.idempotencyKey ? stableNonce(channel.id, message.idempotencyKey, index) : SnowflakeUtil.generate().toString();
      const sent = await channel.send({ ...part, ...reply, nonce, enforceNonce: true });
      first ??= sent;
    }
    return first!;
  }

  private posted(community: string, message: Message): PostedMessage {
    const permalink = message.guildId ? messageLink(message.guildId, message.channelId, message.id) : undefined;
    return { channelId: message.channelId, messageId: message.id, ...(permalink ? { permalink } : {}) };
  }

  /**
   * The audience's roles and people, as Discord ids that may ping. A "role" id that is not a
   * role of this guild is treated as a person (second tier may list either); the @everyone
   * role (id = guild id) is never allowed.
   */
  private async audienceMentions(guild: Guild, audience: ModeratorAudience): Promise<MentionGrant> {
    const roles: string[] = [];
    const users = new Set((audience.userIds ?? []).filter(isSnowflake));
    for (const id of audience.roleIds ?? []) {
      if (!isSnowflake(id) || id === guild.id) continue;
      if (guild.roles.cache.has(id)) roles.push(id);
      else if (guild.members.cache.has(id) || (await guild.members.fetch(id).then(() => true, () => false))) users.add(id);
      else this.options.log.warn({ community: communityOf(guild.id), id }, 'moderator role is neither a role nor a member of this server');
    }
    return { roles, users: [...users] };
  }

  /** Where moderator pings go: the audience's channel, the configured one, or one named like it. */
  private moderatorChannelId(guild: Guild, audience: ModeratorAudience): string | undefined {
    return audience.channelId ?? this.options.moderatorChannelId ?? this.fallbackModeratorChannel(guild);
  }

  private fallbackModeratorChannel(guild: Guild): string | undefined {
    for (const name of MODERATOR_CHANNEL_NAMES) {
      const found = guild.channels.cache.find((c) => c.type === ChannelType.GuildText && c.name === name);
      if (found) return found.id;
    }
    return guild.publicUpdatesChannelId ?? undefined;
  }

  /** Unicode emoji pass through; a custom emoji is found by name in the guild. */
  private emoji(community: string, emoji: string): string {
    if (/[^\x00-\x7F]/.test(emoji) || /^<a?:\w+:\d+>$/.test(emoji)) return emoji;
    const custom = this.guild(community).emojis.cache.find((e) => e.name === emoji);
    if (!custom) throw new Error(`no emoji "${emoji}" in ${community}`);
    return custom.identifier;
  }
}

/**
 * Buttons sent outside the server (a DM) carry the server in their value, `VALUE@GUILD`:
 * Discord's DM interactions have no guild. The interaction handler reads it back and checks
 * the presser's standing in that server, so a copied custom_id grants nothing.
 */
export function withServer(message: OutgoingMessage, guildId: string): OutgoingMessage {
  if (!message.buttons?.length) return message;
  return { ...message, buttons: message.buttons.map((b) => ({ ...b, value: `${b.value}${DM_SERVER_SEPARATOR}${guildId}` })) };
}

export const DM_SERVER_SEPARATOR = '@';

/** `VALUE@GUILD` back into its parts; undefined when the value names no server. */
export function serverOf(value: string): { value: string; guildId: string } | undefined {
  const at = value.lastIndexOf(DM_SERVER_SEPARATOR);
  const guildId = at < 0 ? '' : value.slice(at + 1);
  return at < 0 || !isSnowflake(guildId) ? undefined : { value: value.slice(0, at), guildId };
}

/**
 * An error from an interaction webhook call, without what names the token (discord.js puts the
 * request URL on its errors, and a logged error would carry it).
 */
function scrubbed(error: unknown): Error {
  const status = error instanceof DiscordAPIError ? ` (${error.status}, code ${String(error.code)})` : '';
  return new Error(`the interaction reply could not be looked up${status}`);
}

/** Discord nonces are at most 25 characters: a digest of where, what and which part. */
function stableNonce(channelId: string, key: string, part: number): string {
  return createHash('sha256').update(`${channelId}|${key}|${part}`).digest('base64url').slice(0, 25);
}
