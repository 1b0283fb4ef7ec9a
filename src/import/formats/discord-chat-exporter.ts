/**
 * DiscordChatExporter JSON files (one channel, thread or DM per file):
 *   {guild:{id,name}, channel:{id,type,categoryId,category,name}, messages:[{id,type,timestamp,
 *    timestampEdited,content,author:{id,name,nickname,isBot},reference?:{messageId,channelId},
 *    mentions:[{id}]}]}
 * Threads are exported as their own file whose channel.categoryId is the parent channel.
 * Direct messages (channel.type DirectTextChat / DirectGroupTextChat, under the "Direct
 * Messages" pseudo-guild) are left out unless asked for; then they are private DMs readable
 * by their participants: the file lists none, so those who wrote in it (and, in a group,
 * those added to it), never anyone else.
 * Files are read as a stream (see json-stream.ts): a channel's history is never held whole.
 */
import type { ChannelRef } from '../../core/events';
import { discordIncomingMessage, MESSAGE_TYPE } from '../../platforms/discord/messages';
import type { ImportItem } from '../types';
import { JsonSyntaxError, streamJsonObject } from './json-stream';

interface DceMessage {
  id?: string;
  type?: string;
  timestamp?: string;
  timestampEdited?: string | null;
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

export interface DceOptions {
  /** Channel ids or names to import as private (nobody may read them until live events say). */
  privateChannels?: Set<string>;
  /** Import direct messages (as private DMs of their participants) instead of skipping them. */
  includeDms?: boolean;
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

const DM_TYPES = new Set(['DirectTextChat', 'DirectGroupTextChat']);

/**
 * One exported file's items, in the file's (time) order. `file` names it in errors; a
 * message's position is its index in `messages`, a broken file's the line it broke on.
 */
export async function* readDiscordChatExport(file: string, chunks: AsyncIterable<string>, options: DceOptions = {}): AsyncGenerator<ImportItem> {
  let guild: DceFile['guild'];
  let reader: ((m: DceMessage, index: number) => Generator<ImportItem>) | undefined;
  const early: { value: unknown; index: number }[] = [];
  let sawMessages = false;
  try {
    for await (const event of streamJsonObject(chunks, MESSAGES)) {
      if (event.kind === 'field') {
        if (event.key === 'guild') guild = event.value as DceFile['guild'];
        if (event.key === 'messages') sawMessages = true; // not an array: reported below
        if (event.key !== 'channel' || reader) continue;
        const channel = (event.value ?? {}) as NonNullable<DceFile['channel']>;
        if (!channel.id) {
          yield { kind: 'error', error: 'channel.id is missing', at: { file } };
          return;
        }
        if (DM_TYPES.has(channel.type ?? '') && !options.includeDms) {
          yield { kind: 'skip', what: 'dm', reason: 'direct messages', at: { file } };
          return;
        }
        reader = channelReader(file, channel, options.privateChannels ?? new Set());
        // A file written with its messages before its channel (not the exporter's order).
        for (const m of early.splice(0)) yield* reader(m.value as DceMessage, m.index);
        continue;
      }
      sawMessages = true;
      if (reader) yield* reader(event.value as DceMessage, event.index);
      else early.push(event);
    }
  } catch (error) {
    // Broken JSON names its line; a file that cannot be read (a damaged zip entry) the file.
    yield { kind: 'error', error: (error as Error).message, at: error instanceof JsonSyntaxError ? { file, line: error.line } : { file } };
    return;
  }
  if (!reader || !guild || !sawMessages) yield { kind: 'error', error: 'not a DiscordChatExporter file (expected guild, channel and messages)', at: { file } };
}

const MESSAGES = new Set(['messages']);

function channelReader(file: string, c: NonNullable<DceFile['channel']>, privateChannels: Set<string>) {
  const isThread = THREAD_TYPES.has(c.type ?? '');
  const isDm = DM_TYPES.has(c.type ?? '');
  const isPrivate = isDm || c.type === 'GuildPrivateThread' || privateChannels.has(c.id!) || privateChannels.has(c.name ?? '');
  const channel: ChannelRef = {
    id: c.id!,
    name: c.name ?? c.id!,
    kind: isThread ? 'thread' : isDm ? 'dm' : c.type === 'GuildForum' ? 'forum' : 'text',
    visibility: isPrivate ? 'private' : 'public',
    parentId: isThread ? (c.categoryId ?? null) : null,
    ...(isPrivate ? { memberIds: [] } : {}),
  };
  const readers = new Set<string>();
  const canRead = (id: string | undefined) => {
    if (!isPrivate || !id || readers.has(id)) return;
    readers.add(id);
    channel.memberIds = [...readers];
  };
  const read = function* (m: DceMessage, index: number): Generator<ImportItem> {
    const at = { file, message: index };
    const time = m?.timestamp ? Date.parse(m.timestamp) : NaN;
    if (!m?.id || !m.author?.id || Number.isNaN(time)) {
      yield { kind: 'error', error: 'message lacks id, author or a valid timestamp', at };
      return;
    }
    const author = { id: m.author.id, name: m.author.nickname || m.author.name || m.author.id, isBot: Boolean(m.author.isBot) };
    const type = dceType(m.type);
    // A private channel's speakers evidently can read it; so can those added to a group DM.
    canRead(author.id);
    // A list of the wrong shape (a hand-edited file) names nobody; its message is still read.
    const mentioned = Array.isArray(m.mentions) ? m.mentions.filter((x): x is { id: string } => typeof x?.id === 'string') : [];
    if (isDm && type === DCE_TYPES.RecipientAdd) for (const added of mentioned) canRead(added.id);
    const edited = m.timestampEdited ? Date.parse(m.timestampEdited) : NaN;
    const facts = {
      id: m.id,
      type,
      // For system notifications the exporter writes its own caption ("Joined the server."), not Discord's content (empty).
      content: type >= 1 && type <= 18 ? '' : (m.content ?? ''),
      author,
      at: time,
      reference: m.reference,
      mentionIds: mentioned.map((x) => x.id).filter(Boolean),
    };
    // In a thread file, a message with the thread's own id is a forum post's starter: a thread started from a message keeps that message in the parent.
    const message = { ...discordIncomingMessage(facts, { channel: { ...channel }, isThread, forumPost: isThread }), editedAt: Number.isNaN(edited) ? null : edited };
    // A join message also dates the member's joining (live, the gateway's member-add event does): one record.
    if (type === MESSAGE_TYPE.UserJoin) yield { kind: 'join', member: author, time, channelId: channel.id, notice: message, at };
    else yield { kind: 'message', at, message };
  };
  // One message that cannot be read is an error of its own: the file's other messages are still read.
  return function* (m: DceMessage, index: number): Generator<ImportItem> {
    let items: ImportItem[];
    try {
      items = [...read(m, index)];
    } catch (error) {
      items = [{ kind: 'error', error: `cannot read this message: ${(error as Error).message}`, at: { file, message: index } }];
    }
    yield* items;
  };
}
