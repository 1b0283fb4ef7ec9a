/**
 * Posts that must happen exactly once across crashes and restarts (moderator pings, the
 * requester's acknowledgement): an outbox of intents. The intent is written before posting
 * and the outcome right after, so a step run again after its process died skips a post the
 * platform took. An intent without an outcome is a post whose process died mid-send: it is
 * looked for where it was going (`PlatformPort.findPosted`): found, it is recorded and not sent
 * again; absent, it is sent as a first send; where the platform cannot tell, it is sent again
 * with `maybeRepeat` set, for the caller to say so (at-least-once, made visible), and with the
 * same idempotency key, which lets a platform drop the repeat. A command reply (which no
 * channel history shows) is looked up with the credential its adapter handed over with the
 * intent (Discord's interaction token, valid 15 minutes): only once that has expired is it
 * "unknown".
 */
import type { CoreContext } from './context';
import type { MessageTarget } from './events';
import { isOutcomeUnknown, type OutgoingMessage, type PostDestination, type PostedMessage } from './platform';
import type { ReplyToken } from './storage';

/** What a send is told: the idempotency key, and whether it may repeat a post that went out. */
export interface SendAttempt {
  key: string;
  maybeRepeat: boolean;
  /**
   * A command reply the platform showed never arrived, with its credential still valid: the
   * send may answer in that reply's place (`PlatformPort.ephemeral`'s `replyToken`). A secret.
   */
  replyToken?: string;
}

export interface SendOnceResult {
  /** The post (this one or the one recorded earlier); null for posts without a message (ephemeral). */
  posted: MessageTarget | null;
  /** False when the post had gone out already and nothing was sent now. */
  fresh: boolean;
}

/** Said under a post sent again after a crash, when the platform cannot tell whether the first one arrived. */
export const MAYBE_REPEAT_NOTE = '_(Sent again after a restart: if you already saw this message, it is a repeat.)_';

/** `message` as this attempt sends it: with the idempotency key, and the note when it may repeat. */
export function attemptOf<M extends OutgoingMessage>(message: M, attempt: SendAttempt): M {
  return { ...message, idempotencyKey: attempt.key, ...(attempt.maybeRepeat ? { text: `${message.text}\n${MAYBE_REPEAT_NOTE}` } : {}) };
}

export class Outbox {
  /** Keys being sent by this process: a second sender must not take a live send for a dead one. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly core: Pick<CoreContext, 'repos' | 'clock' | 'platform'>) {}

  /**
   * Post once under `key` to `where`; a send that throws leaves no intent, so the next attempt
   * is a first send, unless the adapter marked the failure as perhaps taken by the platform
   * (`markOutcomeUnknown`): then the next attempt looks for the post first.
   */
  async sendOnce(community: string, key: string, where: PostDestination, send: (attempt: SendAttempt) => Promise<PostedMessage | void>): Promise<SendOnceResult> {
    const { repos, clock, platform } = this.core;
    const slot = `${community}|${key}`;
    if (this.inFlight.has(slot)) throw new Error(`${key} is being sent already`);
    this.inFlight.add(slot);
    try {
      const prior = await repos.outbox.get(community, key);
      if (prior?.sentAt != null) return { posted: prior.channelId && prior.messageId ? { channelId: prior.channelId, messageId: prior.messageId } : null, fresh: false };
      let maybeRepeat = false;
      let replyToken: string | undefined;
      if (prior) {
        // A command reply whose credential is still valid can be looked up where it went; an
        // expired credential is dropped (it is a secret kept no longer than it is useful).
        if (prior.replyToken && where.kind === 'ephemeral') {
          if (prior.replyTokenUntil != null && prior.replyTokenUntil > clock.now()) replyToken = prior.replyToken;
          else await repos.outbox.dropExpiredReplyTokens(community, clock.now());
        }
        const search = replyToken && where.kind === 'ephemeral' ? { ...where, replyToken } : where;
        const found = platform.findPosted ? await platform.findPosted(community, search, key, prior.createdAt) : 'unknown';
        if (typeof found === 'object') {
          const target = { channelId: found.channelId, messageId: found.messageId };
          await repos.outbox.sent(community, key, target, clock.now());
          return { posted: target, fresh: false };
        }
        maybeRepeat = found === 'unknown';
        if (maybeRepeat) replyToken = undefined;
      } else {
        await repos.outbox.intend(community, key, clock.now());
      }
      let posted: PostedMessage | void;
      try {
        posted = await send({ key, maybeRepeat, ...(replyToken ? { replyToken } : {}) });
      } catch (error) {
        // Refused: the next attempt is a first send. Perhaps taken (a timed-out request the
        // platform may have acted on): the intent stays, so the next attempt looks for the post
        // before sending, as after a crash.
        if (!isOutcomeUnknown(error)) await repos.outbox.failed(community, key);
        throw error;
      }
      const target = posted ? { channelId: posted.channelId, messageId: posted.messageId } : null;
      await repos.outbox.sent(community, key, target, clock.now());
      return { posted: target, fresh: true };
    } finally {
      this.inFlight.delete(slot);
    }
  }

  /**
   * Write the intent of a post another path makes (a command reply its adapter delivers), with
   * the reply's lookup credential when the adapter gave one (kept only while it is valid).
   */
  async intend(community: string, key: string, reply?: ReplyToken): Promise<void> {
    const now = this.core.clock.now();
    await this.core.repos.outbox.intend(community, key, now, reply && reply.until > now ? reply : undefined);
  }

  /** Record a post another path made (an interaction reply its adapter delivered). */
  async delivered(community: string, key: string): Promise<void> {
    await this.core.repos.outbox.sent(community, key, null, this.core.clock.now());
  }

  async wasSent(community: string, key: string): Promise<boolean> {
    return (await this.core.repos.outbox.get(community, key))?.sentAt != null;
  }
}
