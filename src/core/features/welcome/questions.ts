/**
 * What counts as a newcomer's question, and what counts as a human answer to it.
 */
import type { ChannelRow, MessageRow } from '../../storage';

const QUESTION_MARK = /[?？¿]/;
const INTERROGATIVE =
  /^(how|what|why|where|when|who|which|whom|whose|can|could|does|do|did|is|are|was|were|should|would|will|has|have|any(one|body)?|help)\b/i;

/**
 * A question: a question mark anywhere, or a sentence opening with an interrogative word
 * ("Hi! How do I export my data").
 * In a help channel or forum, any top-level post is a question.
 */
export function isQuestion(text: string, inHelpChannel: boolean, topLevel: boolean): boolean {
  const t = text.trim();
  if (!t) return false;
  if (inHelpChannel && topLevel) return true;
  if (QUESTION_MARK.test(t)) return true;
  return t
    .slice(0, 2000)
    .split(/[.!\n]+/)
    .some((sentence) => INTERROGATIVE.test(sentence.trim()));
}

/** Help context: a configured help channel (by id or name), a forum, or a thread inside one. */
export function isHelpChannel(channel: ChannelRow | undefined, parent: ChannelRow | undefined, helpChannels: string[]): boolean {
  const wanted = new Set(helpChannels.map((c) => c.toLowerCase()));
  const matches = (c: ChannelRow | undefined) => Boolean(c && (c.kind === 'forum' || wanted.has(c.id.toLowerCase()) || wanted.has(c.name.toLowerCase())));
  return matches(channel) || matches(parent);
}

/**
 * Is `message` a human answer to `question`? Someone else (not a bot, not the companion),
 * later, replying to it explicitly or by inference (`replyTo`), in the thread it started, or
 * anywhere in the discussion it opened. Mentions of the newcomer are handled where the
 * mention is known (the event), since mentions are not stored.
 */
export function answers(message: MessageRow, question: MessageRow): boolean {
  if (message.id === question.id || message.authorId === question.authorId) return false;
  if (message.authorIsBot || message.isCompanion || message.kind !== 'message') return false;
  if (message.createdAt < question.createdAt) return false;
  return (
    message.replyTo === question.id ||
    message.threadId === question.id ||
    (question.discussionId === question.id && message.discussionId === question.id)
  );
}
