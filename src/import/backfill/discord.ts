/**
 * Discord history through the REST API (discord.js's REST client: it queues requests and
 * waits out 429s). Channels, forum posts and threads of one guild; pages of up to 100
 * messages in ascending order (`after`), so the checkpoint is simply the last message id.
 */
import { PermissionFlagsBits, REST, Routes, type RESTOptions } from 'discord.js';
import type { ChannelRef } from '../../core/events';
import { discordIncomingMessage, MESSAGE_TYPE } from '../../platforms/discord/messages';
import type { ImportItem } from '../types';
import type { HistoryChannel, HistoryPage, HistorySource } from './types';

interface ApiOverwrite { id: string; type: number; deny: string }
interface ApiChannel {
  id: string;
  type: number;
  name?: string;
  parent_id?: string | null;
  permission_overwrites?: ApiOverwrite[];
  thread_metadata?: { archive_timestamp?: string };
}
interface ApiMessage {
  id: string;
  type: number;
  content: string;
  timestamp: string;
  edited_timestamp?: string | null;
  author: { id: string; username: string; global_name?: string | null; bot?: boolean };
  message_reference?: { message_id?: string; channel_id?: string; type?: number };
  mentions?: { id: string }[];
}

const TEXT = 0, ANNOUNCEMENT = 5, FORUM = 15, ANNOUNCEMENT_THREAD = 10, PUBLIC_THREAD = 11, PRIVATE_THREAD = 12;

export interface DiscordSourceOptions {
  token: string;
  guildId: string;
  /** Base API URL (tests: the local fake). */
  api?: string;
  pageSize?: number;
  /** REST client tuning (tests: fewer retries, shorter timeout); defaults suit Discord. */
  rest?: Partial<RESTOptions>;
}

export function discordHistorySource(options: DiscordSourceOptions): HistorySource {
  const rest = new REST({ version: '10', ...options.rest, ...(options.api ? { api: options.api } : {}) }).setToken(options.token);
  const guildId = options.guildId;
  const limit = options.pageSize ?? 100;
  /** Threads that are forum posts: their starter message carries the post's title. */
  const forumPosts = new Set<string>();

  const isPrivate = (channel: ApiChannel) =>
    channel.type === PRIVATE_THREAD ||
    (channel.permission_overwrites ?? []).some((o) => o.id === guildId && o.type === 0 && (BigInt(o.deny) & PermissionFlagsBits.ViewChannel) !== 0n);

  const toRef = (channel: ApiChannel, parent?: ApiChannel): ChannelRef => {
    const thread = [PUBLIC_THREAD, PRIVATE_THREAD, ANNOUNCEMENT_THREAD].includes(channel.type);
    const hidden = isPrivate(channel) || (parent ? isPrivate(parent) : false);
    return {
      id: channel.id,
      name: channel.name ?? channel.id,
      kind: thread ? 'thread' : channel.type === FORUM ? 'forum' : 'text',
      visibility: hidden ? 'private' : 'public',
      parentId: thread ? (channel.parent_id ?? null) : null,
      // Who can read a private channel is not listed by REST cheaply: fail closed (nobody) until live events say.
      ...(hidden ? { memberIds: [] } : {}),
    };
  };

  /** Archived public threads of a channel, newest archived first, all pages. A channel the bot cannot read has none to offer (its own fetch reports the error). */
  const archivedThreads = async (parentId: string): Promise<ApiChannel[]> => {
    const out: ApiChannel[] = [];
    let before: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: '100', ...(before ? { before } : {}) });
      let page: { threads: ApiChannel[]; has_more?: boolean };
      try {
        page = (await rest.get(Routes.channelThreads(parentId, 'public'), { query })) as typeof page;
      } catch {
        return out;
      }
      out.push(...page.threads);
      const last = page.threads.at(-1)?.thread_metadata?.archive_timestamp;
      if (!page.has_more || !last || last === before) return out;
      before = last;
    }
  };

  return {
    async community() {
      const guild = (await rest.get(Routes.guild(guildId))) as { id: string; name: string };
      return { id: `discord:${guild.id}`, name: guild.name };
    },
    async channels(): Promise<HistoryChannel[]> {
      const all = (await rest.get(Routes.guildChannels(guildId))) as ApiChannel[];
      const byId = new Map(all.map((c) => [c.id, c]));
      const result: HistoryChannel[] = all
        .filter((c) => c.type === TEXT || c.type === ANNOUNCEMENT || c.type === FORUM)
        .map((c) => ({ channel: toRef(c), ...(c.type === FORUM ? { container: true } : {}) }));
      const active = (await rest.get(Routes.guildActiveThreads(guildId))) as { threads: ApiChannel[] };
      const threads = new Map(active.threads.map((t) => [t.id, t]));
      for (const parent of all.filter((c) => c.type === TEXT || c.type === ANNOUNCEMENT || c.type === FORUM)) {
        for (const t of await archivedThreads(parent.id)) threads.set(t.id, t);
      }
      for (const thread of threads.values()) {
        const parent = byId.get(thread.parent_id ?? '');
        if (parent?.type === FORUM) forumPosts.add(thread.id);
        result.push({ channel: toRef(thread, parent) });
      }
      return result;
    },
    async page(channel: ChannelRef, state: string | undefined): Promise<HistoryPage> {
      const query = new URLSearchParams({ limit: String(limit), after: state ?? '0' });
      const messages = ((await rest.get(Routes.channelMessages(channel.id), { query })) as ApiMessage[]).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      const isThread = channel.kind === 'thread';
      const items: ImportItem[] = [];
      for (const m of messages) {
        const at = { file: `discord channel ${channel.id}, message ${m.id}` };
        const author = { id: m.author.id, name: m.author.global_name || m.author.username, isBot: Boolean(m.author.bot) };
        const time = Date.parse(m.timestamp);
        const edited = m.edited_timestamp ? Date.parse(m.edited_timestamp) : NaN;
        const reference = m.message_reference && { messageId: m.message_reference.message_id, channelId: m.message_reference.channel_id, type: m.message_reference.type };
        const facts = { id: m.id, type: m.type, content: m.content, author, at: time, reference, mentionIds: (m.mentions ?? []).map((x) => x.id) };
        const message = { ...discordIncomingMessage(facts, { channel, isThread, forumPost: forumPosts.has(channel.id) }), editedAt: Number.isNaN(edited) ? null : edited };
        // A join message also dates the member's joining (live, the gateway's member-add event does): one record.
        if (m.type === MESSAGE_TYPE.UserJoin) items.push({ kind: 'join', member: author, time, channelId: channel.id, notice: message, at });
        else items.push({ kind: 'message', at, message });
      }
      const last = messages.at(-1)?.id;
      return { items, state: last ?? state ?? '0', more: messages.length === limit };
    },
  };
}
