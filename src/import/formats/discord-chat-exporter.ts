/**
 * DiscordChatExporter JSON files (one channel or thread per file):
 *   {guild:{id,name}, channel:{id,type,categoryId,category,name}, messages:[{id,type,timestamp,
 *    content,author:{id,name,nickname,isBot},reference?:{messageId},mentions:[{id}]}]}
 * Threads are exported as their own file whose channel.categoryId is the parent channel.
 */
import type { ChannelRef } from '../../core/events';
import type { ImportItem } from '../types';

interface DceMessage {
  id?: string;
  type?: string;
  timestamp?: string;
  content?: string;
  author?: { id?: string; name?: string; nickname?: string; isBot?: boolean };
  reference?: { messageId?: string | null } | null;
  mentions?: { id?: string }[];
}
interface DceFile {
  guild?: { id?: string; name?: string };
  channel?: { id?: string; type?: string; categoryId?: string; category?: string; name?: string; topic?: string | null };
  messages?: DceMessage[];
}

export function isDiscordChatExport(value: unknown): value is DceFile {
  return typeof value === 'object' && value !== null && 'guild' in value && 'channel' in value && Array.isArray((value as DceFile).messages);
}

const THREAD_TYPES = new Set(['GuildPublicThread', 'GuildPrivateThread', 'GuildNewsThread']);

export function* readDiscordChatExport(file: string, data: DceFile, privateChannels: Set<string> = new Set()): Generator<ImportItem> {
  const c = data.channel ?? {};
  if (!c.id) {
    yield { kind: 'error', error: `${file}: channel.id is missing`, at: { file } };
    return;
  }
  const isThread = THREAD_TYPES.has(c.type ?? '');
  const isPrivate = c.type === 'GuildPrivateThread' || privateChannels.has(c.id) || privateChannels.has(c.name ?? '');
  const channel: ChannelRef = {
    id: c.id,
    name: c.name ?? c.id,
    kind: isThread ? 'thread' : c.type === 'GuildForum' ? 'forum' : 'text',
    visibility: isPrivate ? 'private' : 'public',
    parentId: isThread ? (c.categoryId ?? null) : null,
    ...(isPrivate ? { memberIds: [] } : {}),
  };
  const seenAuthors = new Set<string>();
  for (const [index, m] of (data.messages ?? []).entries()) {
    const at = { file, line: index + 1 };
    const time = m.timestamp ? Date.parse(m.timestamp) : NaN;
    if (!m.id || !m.author?.id || Number.isNaN(time)) {
      yield { kind: 'error', error: `${file}: message #${index + 1} lacks id, author or a valid timestamp`, at };
      continue;
    }
    const author = { id: m.author.id, name: m.author.nickname || m.author.name || m.author.id, isBot: Boolean(m.author.isBot) };
    if (m.type === 'GuildMemberJoin') {
      yield { kind: 'join', member: author, time, channelId: channel.id, at };
      continue;
    }
    if (m.type && !['Default', 'Reply', 'ThreadStarterMessage'].includes(m.type)) continue; // pins, boosts, calls...
    // A private channel's speakers evidently can read it.
    if (isPrivate && !seenAuthors.has(author.id)) {
      seenAuthors.add(author.id);
      channel.memberIds = [...seenAuthors];
    }
    yield {
      kind: 'message',
      at,
      message: {
        id: m.id,
        channel: { ...channel },
        author,
        text: m.content ?? '',
        title: isThread && index === 0 ? (c.name ?? null) : null,
        threadId: isThread ? c.id : null,
        replyTo: m.reference?.messageId ?? null,
        mentions: (m.mentions ?? []).map((x) => x.id).filter((x): x is string => Boolean(x)),
        at: time,
      },
    };
  }
}
