/**
 * One Discord message -> the core's `IncomingMessage`, for every path that reads Discord
 * messages: the live adapter (discord.js), REST backfill (API JSON) and DiscordChatExporter
 * files. Each path only extracts the facts below; the rules live here once, so the same
 * message is stored the same way however it arrives. No discord.js import: the import code
 * loads this module too.
 */
import type { AudioClip, ChannelRef, IncomingMessage, MemberRef } from '../../core/events';

/** A message reference that forwards the message it names (MessageReferenceType.Forward). */
const REFERENCE_FORWARD = 1;

/** MessageFlags.IsVoiceMessage: the message is a recorded voice message (one audio attachment). */
export const VOICE_MESSAGE_FLAG = 1 << 13;

/** The API's message type numbers the rules name. */
export const MESSAGE_TYPE = { Default: 0, UserJoin: 7, Reply: 19, ThreadStarterMessage: 21 } as const;

export interface DiscordMessageFacts {
  id: string;
  /** API message type number. */
  type: number;
  /** Raw content, as Discord stores it (`<@id>`, `<#id>`, `<:name:id>` untouched). */
  content: string;
  author: MemberRef;
  at: number;
  /** `type`: 0 a reply, 1 a forward (the API's MessageReferenceType; absent in older data: a reply). */
  reference?: { messageId?: string | null; channelId?: string | null; type?: number | null } | null;
  /** The message's `mentions` (users), in the API's order. */
  mentionIds: string[];
  /** The API's message flags (bit 13: a voice message). */
  flags?: number;
  attachments?: DiscordAttachmentFacts[];
}

export interface DiscordAttachmentFacts {
  id: string;
  filename: string;
  contentType?: string | null;
  size: number;
  url: string;
  /** Voice messages only. */
  durationSecs?: number | null;
}

/** Voice messages and audio attachments: what Hearth may transcribe. */
export function discordAudio(m: Pick<DiscordMessageFacts, 'flags' | 'attachments'>): AudioClip[] {
  const voice = Boolean((m.flags ?? 0) & VOICE_MESSAGE_FLAG);
  return (m.attachments ?? [])
    .filter((a) => voice || /^audio\//i.test(a.contentType ?? ''))
    .map((a) => ({
      id: a.id,
      name: a.filename,
      contentType: a.contentType || 'audio/ogg',
      size: a.size,
      url: a.url,
      ...(typeof a.durationSecs === 'number' ? { durationSeconds: a.durationSecs } : {}),
      ...(voice ? { voiceMessage: true } : {}),
    }));
}

export interface DiscordPlace {
  /** The channel or thread the message was posted in. */
  channel: ChannelRef;
  isThread: boolean;
  /** The thread is a forum (or media channel) post: its name is the post's title. */
  forumPost: boolean;
}

/**
 * Only typed conversation is a 'message'. The THREAD_STARTER pointer (type 21) opening a
 * thread started from a message has no content and is authored by whoever made the thread:
 * as a 'message' it would count as that member answering the question in its own discussion.
 */
export function discordMessageKind(type: number): NonNullable<IncomingMessage['kind']> {
  if (type === MESSAGE_TYPE.Default || type === MESSAGE_TYPE.Reply) return 'message';
  return type === MESSAGE_TYPE.UserJoin ? 'join' : 'system';
}

export function discordIncomingMessage(m: DiscordMessageFacts, place: DiscordPlace): IncomingMessage {
  const { channel, isThread } = place;
  // A forum post's starter message has the thread's id and lives inside it (it is the discussion root).
  const isThreadStarter = isThread && m.id === channel.id;
  const ref = m.reference;
  const audio = discordAudio(m);
  return {
    id: m.id,
    channel,
    author: m.author,
    text: m.content,
    title: isThreadStarter && place.forumPost ? channel.name : null,
    threadId: isThread && !isThreadStarter ? channel.id : null,
    // Only a reply's reference within the same channel is a reply: not a thread starter's pointer to the parent, nor a
    // forward (from any channel, this one included); a reference without a channel (older exports) is taken as the same channel.
    replyTo: ref?.messageId && ref.type !== REFERENCE_FORWARD && (ref.channelId == null || ref.channelId === channel.id) ? ref.messageId : null,
    mentions: m.mentionIds,
    kind: discordMessageKind(m.type),
    at: m.at,
    ...(audio.length ? { audio } : {}),
  };
}
