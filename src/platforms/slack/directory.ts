/**
 * What the adapter needs to know about people and channels to build core events: display
 * names, bot flags, moderator status, channel names, visibility and private-channel members.
 * Everything comes from the Web API and is cached briefly, so a busy channel costs one
 * `users.info` per person per TTL, not one per message. Failures degrade (ids as names,
 * "not a moderator"), never throw into an event handler.
 */
import type { WebClient } from '@slack/web-api';
import type { ChannelRef, MemberRef } from '../../core/events';
import type { Logger } from '../../log';

export interface DirectoryOptions {
  client: WebClient;
  log: Logger;
  /** The moderator user groups for a community (read from settings, so /hearth-config applies). */
  moderatorGroups: (community: string) => Promise<string[]>;
  /** Time source for cache expiry (tests inject one). */
  now?: () => number;
  /** How long a looked-up user, channel or group membership stays fresh. */
  ttlMs?: number;
  /** Cap on members fetched for one private channel (pages of 200). */
  maxChannelMembers?: number;
}

interface Cached<T> {
  value: T;
  until: number;
}

interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  deleted?: boolean;
  /** `email` only with the `users:read.email` scope. */
  profile?: { display_name?: string; real_name?: string; email?: string };
}

interface SlackChannel {
  id: string;
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_general?: boolean;
}

export interface UserInfo {
  id: string;
  name: string;
  isBot: boolean;
  isAdmin: boolean;
  /** With the `users:read.email` scope (null without it, and for bots). */
  email: string | null;
}

export class SlackDirectory {
  private readonly users = new Map<string, Cached<UserInfo>>();
  private readonly channels = new Map<string, Cached<SlackChannel>>();
  private readonly members = new Map<string, Cached<string[]>>();
  private readonly groups = new Map<string, Cached<Set<string>>>();
  /** Private channels whose current member list the core has already been given. */
  private readonly reported = new Set<string>();
  /** Private channels whose last fetched member list is Slack's whole list (no error, not capped). */
  private readonly complete = new Set<string>();
  private readonly now: () => number;
  private readonly ttl: number;

  constructor(private readonly options: DirectoryOptions) {
    this.now = options.now ?? Date.now;
    this.ttl = options.ttlMs ?? 5 * 60_000;
  }

  private fresh<T>(cache: Map<string, Cached<T>>, key: string): T | undefined {
    const hit = cache.get(key);
    return hit && hit.until > this.now() ? hit.value : undefined;
  }

  private keep<T>(cache: Map<string, Cached<T>>, key: string, value: T, ttl = this.ttl): T {
    if (cache.size > 10_000) cache.clear(); // bounded: a huge workspace refetches, never grows without end
    cache.set(key, { value, until: this.now() + ttl });
    return value;
  }

  /** A display name we already know (for rendering inert `@name` mentions synchronously). */
  knownName(id: string): string | undefined {
    return this.users.get(id)?.value.name;
  }

  /** Seed a user from a payload that already carries it (team_join), saving a lookup. */
  remember(user: SlackUser): UserInfo {
    return this.keep(this.users, user.id, toUserInfo(user));
  }

  async user(id: string): Promise<UserInfo> {
    const cached = this.fresh(this.users, id);
    if (cached) return cached;
    try {
      const result = await this.options.client.users.info({ user: id });
      return this.remember(result.user as SlackUser);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message, user: id }, 'users.info failed; using the id as name');
      return this.keep(this.users, id, { id, name: id, isBot: false, isAdmin: false, email: null }, 30_000);
    }
  }

  private async groupMembers(group: string): Promise<Set<string>> {
    const cached = this.fresh(this.groups, group);
    if (cached) return cached;
    try {
      const result = await this.options.client.usergroups.users.list({ usergroup: group });
      return this.keep(this.groups, group, new Set(result.users ?? []), 60_000);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message, usergroup: group }, 'usergroups.users.list failed');
      return this.keep(this.groups, group, new Set<string>(), 30_000);
    }
  }

  /** Workspace admins and owners, and members of the community's moderator user groups. */
  async isModerator(community: string, id: string): Promise<boolean> {
    const user = await this.user(id);
    if (user.isAdmin) return true;
    for (const group of await this.options.moderatorGroups(community)) {
      if ((await this.groupMembers(group)).has(id)) return true;
    }
    return false;
  }

  async member(community: string, id: string): Promise<MemberRef> {
    const user = await this.user(id);
    return { id, name: user.name, isBot: user.isBot, isModerator: user.isBot ? false : await this.isModerator(community, id), email: user.email };
  }

  private async channelInfo(id: string, fallbackName?: string, channelType?: string): Promise<SlackChannel> {
    const cached = this.fresh(this.channels, id);
    if (cached) return cached;
    try {
      const result = await this.options.client.conversations.info({ channel: id });
      return this.keep(this.channels, id, result.channel as SlackChannel);
    } catch (error) {
      // DMs the bot is not part of, or a missing scope: keep going with what the payload said.
      // Private channels created since 2021 have C ids too, so the id's prefix cannot say a
      // channel is public: only an event's channel_type can. Without one, fail closed.
      this.options.log.debug({ err: (error as Error).message, channel: id }, 'conversations.info failed');
      const isIm = channelType ? channelType === 'im' : id.startsWith('D');
      const guess: SlackChannel = {
        id,
        name: fallbackName ?? id,
        is_im: isIm,
        is_mpim: channelType === 'mpim',
        is_private: channelType ? channelType !== 'channel' : true,
      };
      return this.keep(this.channels, id, guess, 30_000);
    }
  }

  /** Forget a channel's cached facts (renamed, converted to private, membership changed). */
  forgetChannel(id: string): void {
    this.channels.delete(id);
    this.members.delete(id);
    this.reported.delete(id);
    this.complete.delete(id);
  }

  private async channelMembers(id: string): Promise<string[]> {
    const cached = this.fresh(this.members, id);
    if (cached) return cached;
    const max = this.options.maxChannelMembers ?? 5000;
    const found: string[] = [];
    let complete = false;
    try {
      let cursor: string | undefined;
      do {
        const page = await this.options.client.conversations.members({ channel: id, limit: 200, cursor });
        found.push(...(page.members ?? []));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && found.length < max);
      complete = !cursor;
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message, channel: id }, 'conversations.members failed');
    }
    this.reported.delete(id); // a fresh list: hand it to the core once
    if (complete) this.complete.add(id);
    else this.complete.delete(id);
    return this.keep(this.members, id, found);
  }

  /**
   * A channel as the core sees it. Private channels carry their members (so private content
   * is only ever shown to them); later joins and leaves arrive as `channel_membership`.
   * `channelType`: the event's `channel_type` (`channel`, `group`, `im`, `mpim`), used only
   * when conversations.info fails.
   */
  async channel(id: string, fallbackName?: string, channelType?: string): Promise<ChannelRef> {
    return (await this.channelWithRoster(id, fallbackName, channelType)).ref;
  }

  /**
   * `channel()`, plus `roster`: the private channel's whole member list when it was just
   * fetched in full (the same moment `ref.memberIds` carries it). Members recorded earlier
   * and missing from it have left while no event said so (the app was down, the event was
   * lost): the caller reports them as having left.
   */
  async channelWithRoster(id: string, fallbackName?: string, channelType?: string): Promise<{ ref: ChannelRef; roster?: string[] }> {
    const info = await this.channelInfo(id, fallbackName, channelType);
    const name = info.name ?? fallbackName ?? id;
    if (info.is_im || info.is_mpim) return { ref: { id, name, visibility: 'private', kind: 'dm' } };
    if (info.is_private) {
      // The member list travels with the first event after each fetch, not with every
      // message (a big private channel would otherwise rewrite its membership each time).
      const members = await this.channelMembers(id);
      if (this.reported.has(id)) return { ref: { id, name, visibility: 'private', kind: 'text' } };
      this.reported.add(id);
      const ref: ChannelRef = { id, name, visibility: 'private', kind: 'text', memberIds: members };
      return this.complete.has(id) ? { ref, roster: members } : { ref };
    }
    return { ref: { id, name, visibility: 'public', kind: 'text' } };
  }

  /** The workspace's #general (every member is in it): the default welcome channel. */
  async generalChannel(): Promise<string | undefined> {
    const cached = this.fresh(this.channels, '#general');
    if (cached) return cached.id;
    try {
      let cursor: string | undefined;
      do {
        const page = await this.options.client.conversations.list({ types: 'public_channel', exclude_archived: true, limit: 200, cursor });
        const general = (page.channels as SlackChannel[] | undefined)?.find((c) => c.is_general);
        if (general) return this.keep(this.channels, '#general', general, 60 * 60_000).id;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message }, 'could not find #general; set SLACK_WELCOME_CHANNEL_ID');
    }
    return undefined;
  }
}

function toUserInfo(user: SlackUser): UserInfo {
  const name = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id;
  const isBot = Boolean(user.is_bot) || user.id === 'USLACKBOT';
  return {
    id: user.id,
    name,
    isBot,
    isAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
    email: (!isBot && user.profile?.email?.trim()) || null,
  };
}
