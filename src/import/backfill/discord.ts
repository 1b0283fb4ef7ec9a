/**
 * Discord history through the REST API (discord.js's REST client: it queues requests and
 * waits out 429s). Channels, forum posts and threads of one guild; pages of up to 100
 * messages in ascending order (`after`), so the checkpoint is simply the last message id.
 */
import { PermissionFlagsBits, REST, Routes } from 'discord.js';
import type { ChannelRef } from '../../core/events';
import type { ImportItem } from '../types';
import type { HistoryChannel, HistoryPage, HistorySource } from './types';

interface ApiOverwrite { id: string; type: number; deny: string }
interface ApiChannel { id: string; type: number; name?: string; parent_id?: string | null; permission_overwrites?: ApiOverwrite[] }
interface ApiMessage {
  id: string;
  type: number;
  content: string;
  timestamp: string;
  author: { id: string; username: string; global_name?: string | null; bot?: boolean };
  message_reference?: { message_id?: string };
  mentions?: { id: string }[];
}

const TEXT = 0, ANNOUNCEMENT = 5, FORUM = 15, ANNOUNCEMENT_THREAD = 10, PUBLIC_THREAD = 11, PRIVATE_THREAD = 12;
const MESSAGE_DEFAULT = 0, MESSAGE_MEMBER_JOIN = 7, MESSAGE_REPLY = 19, MESSAGE_THREAD_STARTER = 21;

export interface DiscordSourceOptions {
  token: string;
  guildId: string;
  /** Base API URL (tests: the local fake). */
  api?: string;
  pageSize?: number;
}

export function discordHistorySource(options: DiscordSourceOptions): HistorySource {
  const rest = new REST({ version: '10', ...(options.api ? { api: options.api } : {}) }).setToken(options.token);
  const guildId = options.guildId;
  const limit = options.pageSize ?? 100;

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

  return {
    async community() {
      const guild = (await rest.get(Routes.guild(guildId))) as { id: string; name: string };
      return { id: `discord:${guild.id}`, name: guild.name };
    },
    async channels(): Promise<HistoryChannel[]> {
      const all = (await rest.get(Routes.guildChannels(guildId))) as ApiChannel[];
      const byId = new Map(all.map((c) => [c.id, c]));
      const result: HistoryChannel[] = all.filter((c) => c.type === TEXT || c.type === ANNOUNCEMENT).map((c) => ({ channel: toRef(c) }));
      const active = (await rest.get(Routes.guildActiveThreads(guildId))) as { threads: ApiChannel[] };
      const threads = new Map(active.threads.map((t) => [t.id, t]));
      for (const parent of all.filter((c) => c.type === TEXT || c.type === ANNOUNCEMENT || c.type === FORUM)) {
        const archived = (await rest.get(Routes.channelThreads(parent.id, 'public'))) as { threads: ApiChannel[] };
        for (const t of archived.threads) threads.set(t.id, t);
      }
      for (const thread of threads.values()) result.push({ channel: toRef(thread, byId.get(thread.parent_id ?? '')) });
      return result;
    },
    async page(channel: ChannelRef, state: string | undefined): Promise<HistoryPage> {
      const query = new URLSearchParams({ limit: String(limit), after: state ?? '0' });
      const messages = ((await rest.get(Routes.channelMessages(channel.id), { query })) as ApiMessage[]).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      const isThread = channel.kind === 'thread';
      const items: ImportItem[] = [];
      for (const m of messages) {
        const at = { file: `discord channel ${channel.id}`, line: undefined };
        const time = Date.parse(m.timestamp);
        const author = { id: m.author.id, name: m.author.global_name || m.author.username, isBot: Boolean(m.author.bot) };
        if (m.type === MESSAGE_MEMBER_JOIN) {
          items.push({ kind: 'join', member: author, time, channelId: channel.id, at });
          continue;
        }
        if (![MESSAGE_DEFAULT, MESSAGE_REPLY, MESSAGE_THREAD_STARTER].includes(m.type)) continue;
        items.push({
          kind: 'message',
          at,
          message: {
            id: m.id,
            channel,
            author,
            text: m.content,
            // A forum post's (or message thread's) starter message has the thread's id.
            title: isThread && m.id === channel.id ? channel.name : null,
            threadId: isThread ? channel.id : null,
            replyTo: m.message_reference?.message_id ?? null,
            mentions: (m.mentions ?? []).map((x) => x.id),
            at: time,
          },
        });
      }
      const last = messages.at(-1)?.id;
      return { items, state: last ?? state ?? '0', more: messages.length === limit };
    },
  };
}
