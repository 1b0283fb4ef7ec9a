/**
 * DiscordChatExporter JSON files (one channel or thread per file):
 *   {guild:{id,name}, channel:{id,type,categoryId,category,name}, messages:[{id,type,timestamp,
 *    content,author:{id,name,nickname,isBot},reference?:{messageId,channelId},mentions:[{id}]}]}
 * Threads are exported as their own file whose channel.categoryId is the parent channel.
 */
import type { ChannelRef } from '../../core/events';
import { discordIncomingMessage, MESSAGE_TYPE } from '../../platforms/discord/messages';
import type { ImportItem } from '../types';

interface DceMessage {
  id?: string;
  type?: string;
  timestamp?: string;
  content?: string;
  author?: { id?: string; name?: string; nickname?: string; isBot?: boolean };
  reference?: { messageId?: string | null; channelId?: string | null } | null;
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

/** DiscordChatExporter writes a message type as its enum name, or as the number when it has no name for it. */
const DCE_TYPES: Record<string, number> = {
  Default: MESSAGE_TYPE.Default,
  RecipientAdd: 1,
  RecipientRemove: 2,
  Call: 3,
  ChannelNameChange: 4,
  ChannelIconChange: 5,
  ChannelPinnedMessage: 6,
  GuildMemberJoin: MESSAGE_TYPE.UserJoin,
  ThreadCreated: 18,
  Reply: MESSAGE_TYPE.Reply,
  ThreadStarterMessage: MESSAGE_TYPE.ThreadStarterMessage,
};
const dceType = (type: string | undefined): number => (type === undefined ? MESSAGE_TYPE.Default : (DCE_TYPES[type] ?? (/^\d+$/.test(type) ? Number(type) : -1)));

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
    const type = dceType(m.type);
    // A join message also dates the member's joining (live, the gateway's member-add event does).
    if (type === MESSAGE_TYPE.UserJoin) yield { kind: 'join', member: author, time, channelId: channel.id, at };
    // A private channel's speakers evidently can read it.
    if (isPrivate && !seenAuthors.has(author.id)) {
      seenAuthors.add(author.id);
      channel.memberIds = [...seenAuthors];
    }
    const facts = {
      id: m.id,
      type,
      // For system notifications the exporter writes its own caption ("Joined the server."), not Discord's content (empty).
      content: type >= 1 && type <= 18 ? '' : (m.content ?? ''),
      author,
      at: time,
      reference: m.reference,
      mentionIds: (m.mentions ?? []).map((x) => x.id).filter((x): x is string => Boolean(x)),
    };
    // In a thread file, a message with the thread's own id is a forum post's starter: a thread started from a message keeps that message in the parent.
    yield { kind: 'message', at, message: discordIncomingMessage(facts, { channel: { ...channel }, isThread, forumPost: isThread }) };
  }
}
