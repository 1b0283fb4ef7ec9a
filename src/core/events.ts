/**
 * Normalised events: what every adapter turns platform payloads into. The core reacts to
 * these and nothing else. Adapters fill in what they know; the core validates on entry
 * (see `normalize.ts`) so a malformed event is rejected with a clear error, never a crash.
 */

export interface MemberRef {
  id: string;
  /** Display name as the community sees it. */
  name: string;
  isBot?: boolean;
  /** Computed by the adapter from platform roles/permissions (or the shell's moderator list). */
  isModerator?: boolean;
  /** When the platform gives it (Slack with `users:read.email`); absent or null keeps the stored one. */
  email?: string | null;
}

export type ChannelVisibility = 'public' | 'private';
export type ChannelKind = 'text' | 'forum' | 'thread' | 'dm';

export interface ChannelRef {
  id: string;
  name: string;
  visibility?: ChannelVisibility;
  kind?: ChannelKind;
  /** For threads: the parent channel. */
  parentId?: string | null;
  /**
   * For private channels: members who can read it, when the adapter knows them cheaply.
   * Membership can also be reported through `channel_membership` events.
   */
  memberIds?: string[];
}

/**
 * An audio clip attached to a message (a Discord voice message or audio attachment, a Slack
 * audio or video clip). Only what is needed to decide and to fetch it: the bytes are
 * downloaded by the platform (`fetchAudio`) when a transcription is due, and never stored.
 */
export interface AudioClip {
  /** The platform's attachment / file id. */
  id: string;
  name: string;
  contentType: string;
  /** Bytes, as the platform reports them. */
  size: number;
  /** Seconds, when the platform says (Discord voice messages, Slack clips). */
  durationSeconds?: number;
  /** Where the platform serves it (fetched only by the adapter, with its own credentials). */
  url: string;
  /** Recorded as a voice message (Discord's IsVoiceMessage flag, a Slack audio clip). */
  voiceMessage?: boolean;
}

export interface IncomingMessage {
  id: string;
  channel: ChannelRef;
  author: MemberRef;
  text: string;
  /** Forum post / thread title when this message starts one. */
  title?: string | null;
  /** Root message id of the thread this message is in (absent for top-level messages). */
  threadId?: string | null;
  /** Explicit reply target (Discord reply, Slack thread parent). */
  replyTo?: string | null;
  /** Member ids mentioned explicitly (platform mention syntax, already parsed by the adapter). */
  mentions?: string[];
  kind?: 'message' | 'join' | 'system';
  at: number;
  /** When the text was last edited; null: never (history exports say); absent: not known. */
  editedAt?: number | null;
  /** Voice messages and audio clips on the message. */
  audio?: AudioClip[];
  /**
   * Set by the companion, never by adapters: the AI transcript of `audio`, already part of
   * `text` (features read the member's spoken words like typed ones).
   */
  transcript?: string;
  /**
   * Set by the companion, never by adapters: `transcript` belongs to a message stored earlier
   * (the Transcribe action), whose words the features now read once; nothing new is stored.
   */
  lateTranscript?: boolean;
}

export interface MessageTarget {
  channelId: string;
  messageId: string;
}

interface Base {
  /** Namespaced community id, e.g. `discord:123`, `slack:T01`, `shell:local`. */
  community: string;
  /** Community display name, used the first time we see it. */
  communityName?: string;
  at: number;
  /**
   * The platform's id for this delivery (a Discord message id, a Slack event_id), when it may
   * be delivered again (a reconnect, a retry, another connection): the companion acts on one
   * delivery once across every process sharing the store.
   */
  deliveryId?: string;
}

export interface MemberJoinedEvent extends Base {
  type: 'member_joined';
  member: MemberRef;
  /** The channel the platform announces joins in (Discord system channel, Slack channel joined). */
  welcomeChannelId?: string;
}

export interface MessagePostedEvent extends Base {
  type: 'message_posted';
  message: IncomingMessage;
}

export interface MessageEditedEvent extends Base {
  type: 'message_edited';
  channelId: string;
  messageId: string;
  text: string;
  title?: string | null;
}

export interface MessageDeletedEvent extends Base {
  type: 'message_deleted';
  channelId: string;
  messageId: string;
}

export interface ReactionAddedEvent extends Base {
  type: 'reaction_added';
  channelId: string;
  messageId: string;
  /** Unicode emoji, or the platform's custom emoji name (`:plus1:` -> "plus1"). */
  emoji: string;
  member: MemberRef;
}

/** A member took a reaction back (un-react). */
export interface ReactionRemovedEvent extends Base {
  type: 'reaction_removed';
  channelId: string;
  messageId: string;
  emoji: string;
  member: MemberRef;
}

export type OptionValue = string | number | boolean;

export interface CommandInvokedEvent extends Base {
  type: 'command_invoked';
  /** Command name from `commands/` (slash command name or message-action name). */
  command: string;
  options: Record<string, OptionValue | undefined>;
  member: MemberRef;
  channel: ChannelRef;
  /** For message actions ("Same here", "Ask a human about this"): the message acted on. */
  target?: IncomingMessage;
}

export interface ButtonPressedEvent extends Base {
  type: 'button_pressed';
  /** `<feature>:<verb>`, e.g. `escalation:claim`. */
  action: string;
  value: string;
  member: MemberRef;
  channel: ChannelRef;
  /** The companion message holding the button. */
  messageId?: string;
}

export interface ChannelMembershipEvent extends Base {
  type: 'channel_membership';
  channel: ChannelRef;
  memberId: string;
  change: 'joined' | 'left';
}

/**
 * A channel's name or visibility changed on the platform (e.g. its permissions were edited,
 * also while Hearth was down). `channel.memberIds`, when given, are readers to add.
 */
export interface ChannelUpdatedEvent extends Base {
  type: 'channel_updated';
  channel: ChannelRef;
}

/**
 * A member's roles (or name) changed on the platform: the stored record follows, so losing
 * the moderator role is known before the member next speaks (the dashboard checks it).
 */
export interface MemberUpdatedEvent extends Base {
  type: 'member_updated';
  member: MemberRef;
}

export type HearthEvent =
  | MemberJoinedEvent
  | MemberUpdatedEvent
  | MessagePostedEvent
  | MessageEditedEvent
  | MessageDeletedEvent
  | ReactionAddedEvent
  | ReactionRemovedEvent
  | CommandInvokedEvent
  | ButtonPressedEvent
  | ChannelMembershipEvent
  | ChannelUpdatedEvent;

export type HearthEventType = HearthEvent['type'];
export type EventOf<T extends HearthEventType> = Extract<HearthEvent, { type: T }>;
