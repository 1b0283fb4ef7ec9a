/**
 * The Platform port: everything the core can ask a platform to do. Adapters implement it
 * with discord.js, Bolt or the terminal; the core never sees those libraries.
 *
 * Text conventions for `OutgoingMessage.text` (rendered by each adapter):
 * - `<@ID>` mentions a member. Only ids listed in `mentionUsers` may actually ping; adapters
 *   render everything else inert. Echoed user text must go through `neutralizeMentions`.
 * - `**bold**`, `_italic_` and `[label](url)` links in a markdown subset; adapters convert
 *   to the platform's syntax (Slack mrkdwn, Discord markdown, plain terminal).
 * - The moderator role is never written into text: `notifyModerators` adds it.
 */
import type { AudioClip, MessageTarget } from './events';

export interface Button {
  /** `<feature>:<verb>`, delivered back as `button_pressed.action`. */
  action: string;
  value: string;
  label: string;
  style?: 'primary' | 'secondary' | 'danger' | 'success';
}

export interface Attachment {
  name: string;
  contentType: string;
  data: Buffer;
}

export interface OutgoingMessage {
  text: string;
  buttons?: Button[];
  attachments?: Attachment[];
  /** Member ids allowed to be pinged by this message (everything else is inert). */
  mentionUsers?: string[];
  /**
   * Set on posts that must happen once (the outbox key): adapters pass it to the platform where
   * they can (Discord's nonce, Slack's message metadata), so `findPosted` can find the post and
   * a repeat after a crash is dropped.
   */
  idempotencyKey?: string;
  /** A short label rendered above the text, e.g. "AI summary" (used for AI output). */
  label?: string;
}

/** What a command or button handler answers to the person who invoked it. */
export interface InteractionReply extends OutgoingMessage {
  /** ephemeral: only the invoker sees it (falls back to a DM where the platform cannot). */
  visibility: 'ephemeral' | 'public';
  /**
   * This reply is an acknowledgement the core must know arrived (the outbox key): the adapter
   * calls `companion.delivered(reply)` once the platform took it; otherwise a durable step
   * sends it again later.
   */
  receipt?: { community: string; key: string };
  /** For button presses: replace the message the button was on instead of replying. */
  updateOriginal?: boolean;
}

export interface PostedMessage extends MessageTarget {
  /** A link to it, when the platform has one. */
  permalink?: string;
}

/** Who a moderator notification goes to, resolved by the core from community settings. */
export interface ModeratorAudience {
  /** Escalation channel; adapters fall back to a sensible default when absent. */
  channelId?: string;
  /** Roles (Discord) / user groups (Slack) to mention: the only group mentions ever sent. */
  roleIds?: string[];
  /** People to mention (second tier by name). */
  userIds?: string[];
}

/** Where a post that must happen once was going: what `findPosted` searches. */
export type PostDestination =
  | { kind: 'moderators'; audience: ModeratorAudience }
  /** A post in a channel (a newcomer's welcome, a welcome-crew ask in the crew channel). */
  | { kind: 'channel'; channelId: string }
  /** A direct message to a member (a welcome by DM, a welcomer's ask). */
  | { kind: 'dm'; memberId: string }
  | {
      kind: 'ephemeral';
      channelId: string;
      memberId: string;
      /** An earlier attempt may have been the reply to the member's command (which no history shows). */
      interaction?: boolean;
      /** That command reply's lookup credential, while valid (a secret: never logged). */
      replyToken?: string;
    };

const OUTCOME_UNKNOWN = Symbol.for('hearth.outcomeUnknown');

/**
 * Adapters mark an error with this when the post may have reached the platform although the
 * call failed (a request that timed out after it was sent): the outbox then keeps the post's
 * intent, so the next attempt looks for it (`findPosted`) before sending it again.
 */
export function markOutcomeUnknown<E>(error: E): E {
  if (error && typeof error === 'object') (error as Record<symbol, unknown>)[OUTCOME_UNKNOWN] = true;
  return error;
}

/** Did this failed send perhaps reach the platform? (`markOutcomeUnknown`.) */
export function isOutcomeUnknown(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && (error as Record<symbol, unknown>)[OUTCOME_UNKNOWN]);
}

/** What a search for a post found: the post, its absence, or that the platform cannot tell. */
export type PostSearch = PostedMessage | 'absent' | 'unknown';

export interface PlatformPort {
  /** `discord`, `slack`, `shell`: the prefix of this platform's community ids. */
  readonly name: string;
  /** The companion's own user id on this platform (its messages are never counted). */
  readonly selfId: string;
  /**
   * The communities this process serves when it serves only some of the platform's (a Discord
   * shard holds only its servers): scheduled steps run here only for these. Absent: all.
   */
  servedCommunities?(): string[] | undefined;
  post(community: string, channelId: string, message: OutgoingMessage): Promise<PostedMessage>;
  /** Reply in the thread of (or directly to) a message. */
  reply(community: string, to: MessageTarget, message: OutgoingMessage): Promise<PostedMessage>;
  /** Edit one of the companion's own messages. */
  edit(community: string, target: MessageTarget, message: OutgoingMessage): Promise<void>;
  dm(community: string, memberId: string, message: OutgoingMessage): Promise<PostedMessage>;
  /**
   * A message only `memberId` sees in `channelId`; adapters without one fall back to a DM.
   * Throws when the member could not be reached. `via.replyToken`: the credential of the
   * member's command reply that never arrived (see `SendAttempt`): a platform that can answers
   * in its place (Discord edits the interaction's `@original`), else sends as usual.
   */
  ephemeral(community: string, channelId: string, memberId: string, message: OutgoingMessage, via?: { replyToken?: string }): Promise<void>;
  react(community: string, target: MessageTarget, emoji: string): Promise<void>;
  /**
   * Post in the escalation channel mentioning exactly the audience's roles and people.
   * Returns the posted message so it can be edited (claimed / resolved).
   */
  notifyModerators(community: string, audience: ModeratorAudience, message: OutgoingMessage): Promise<PostedMessage>;
  permalink(community: string, target: MessageTarget): Promise<string | undefined>;
  /**
   * Download an audio clip named in an event, with the platform's credentials, for a
   * transcription (kept in memory only). Throws when it cannot, or when it is over `maxBytes`.
   * Platforms without audio omit it.
   */
  fetchAudio?(community: string, clip: AudioClip, maxBytes: number): Promise<Buffer>;
  /** The message id in one of this platform's message links (the inverse of `permalink`). */
  messageIdFromLink?(link: string): string | undefined;
  /**
   * The companion's post made with this `idempotencyKey` at `where` since `since` (the time its
   * intent was written): the post, `absent` when the platform shows it never arrived, or
   * `unknown` when the platform cannot tell (ephemeral replies on most platforms). A post whose
   * outcome a crash left unknown is sent again only when absent, or marked as a possible repeat
   * when unknown (also on platforms without this method).
   */
  findPosted?(community: string, where: PostDestination, idempotencyKey: string, since: number): Promise<PostSearch>;
}
