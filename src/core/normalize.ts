/**
 * Validation at the core's front door. Adapters build events from platform payloads that
 * may be partial or hostile; anything malformed is rejected here with a message that names
 * the bad field, and nothing downstream ever sees it.
 */
import { z } from 'zod';
import { MAX_TIME } from './clock';
import { cutText } from './text/mentions';
import type { HearthEvent } from './events';

/** Longest text we keep for one message (Slack allows 40k; Discord 4k). */
export const MAX_TEXT = 40_000;

// Platform ids (Discord snowflakes, Slack ids, shell names, names from imported history):
// anything printable except what could turn `<@ID>` into another mention (`<@&role>`, `<@@everyone>`).
const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^(?!&)[^<>@\p{Cc}]+$/u, 'must be a platform id (no < > @, control characters, or a leading &)')
  .refine((value) => value.trim() === value, 'must not start or end with spaces');
// NUL bytes are never meaningful in chat text, and PostgreSQL refuses them in any text value
// (SQLite keeps them): every free text is cleaned of them here, once, for both stores.
const noNul = (s: string) => s.replace(/\u0000/g, '');
const label = (max: number) => z.string().max(max).transform(noNul);
const name = label(200).transform((s) => s.trim() || 'someone');
// A later time is no date at all: every report formatting it would throw.
const at = z.number().finite().nonnegative().max(MAX_TIME, 'must be a time a date can hold (before the year 275760)');
const text = z
  .string()
  .transform((s) => cutText(s, MAX_TEXT))
  .transform(noNul);

const member = z.object({
  id,
  name,
  isBot: z.boolean().optional(),
  isModerator: z.boolean().optional(),
  // A malformed address from the platform is dropped, not the whole event.
  email: z
    .string()
    .nullish()
    .transform((s) => (s && s.trim().length <= 320 && /^[^\s@<>\p{Cc}]+@[^\s@<>\p{Cc}]+$/u.test(s.trim()) ? s.trim() : null)),
});

const channel = z.object({
  id,
  name: label(200),
  visibility: z.enum(['public', 'private']).optional(),
  kind: z.enum(['text', 'forum', 'thread', 'dm']).optional(),
  parentId: id.nullish(),
  memberIds: z.array(id).optional(),
});

const audioClip = z.object({
  id,
  name: label(300).transform((s) => s.trim() || 'audio'),
  contentType: label(200),
  size: z.number().finite().nonnegative(),
  durationSeconds: z.number().finite().nonnegative().optional(),
  url: z.string().max(4000).url(),
  voiceMessage: z.boolean().optional(),
});

const message = z.object({
  id,
  channel,
  author: member,
  text,
  title: label(500).nullish(),
  threadId: id.nullish(),
  replyTo: id.nullish(),
  mentions: z.array(id).optional(),
  kind: z.enum(['message', 'join', 'system']).optional(),
  at,
  editedAt: at.nullish(),
  audio: z.array(audioClip).max(10).optional(),
  transcript: text.optional(),
  lateTranscript: z.boolean().optional(),
});

const base = { community: id, communityName: label(200).optional(), at, deliveryId: id.optional() };
// A long option (a /human reason) is cut like a long message: the request still opens.
const optionValue = z.union([text, z.number().finite(), z.boolean()]);

const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('member_joined'), member, welcomeChannelId: id.optional() }),
  z.object({ ...base, type: z.literal('message_posted'), message }),
  z.object({ ...base, type: z.literal('message_edited'), channelId: id, messageId: id, text, title: label(500).nullish() }),
  z.object({ ...base, type: z.literal('message_deleted'), channelId: id, messageId: id }),
  z.object({ ...base, type: z.literal('reaction_added'), channelId: id, messageId: id, emoji: z.string().min(1).max(100).transform(noNul), member }),
  z.object({ ...base, type: z.literal('reaction_removed'), channelId: id, messageId: id, emoji: z.string().min(1).max(100).transform(noNul), member }),
  z.object({
    ...base,
    type: z.literal('command_invoked'),
    command: z.string().min(1).max(100),
    options: z.record(z.string(), optionValue.optional()),
    member,
    channel,
    target: message.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('button_pressed'),
    action: z.string().min(1).max(100),
    value: label(200),
    member,
    channel,
    messageId: id.optional(),
  }),
  z.object({ ...base, type: z.literal('channel_membership'), channel, memberId: id, change: z.enum(['joined', 'left']) }),
  z.object({ ...base, type: z.literal('channel_updated'), channel }),
  z.object({ ...base, type: z.literal('member_updated'), member }),
]);

/**
 * Why every event of a community would be refused for its id or name (operator input such as
 * `hearth import --community ID --name NAME`, checked before any work), or undefined.
 */
export function communityProblem(community: string, communityName?: string): string | undefined {
  const result = z.object({ community: id, communityName: label(200).optional() }).safeParse({ community, communityName });
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `${issue.path[0] === 'community' ? 'the community id' : 'the community name'} ${issue.message}`;
}

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** Validate and clean an event; throws InvalidEventError naming the first bad field. */
export function normalizeEvent(input: unknown): HearthEvent {
  const result = eventSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'event';
    const type = typeof input === 'object' && input && 'type' in input ? String((input as { type: unknown }).type) : 'unknown';
    throw new InvalidEventError(`malformed ${type} event: ${where}: ${issue.message}`);
  }
  return result.data as HearthEvent;
}
