/**
 * Finding the messages an AI command works on, and keeping prompts inside what the
 * requester may read: every message is checked with `channels.canRead` for the requester,
 * bots' and the companion's posts are left out.
 */
import type { CoreContext } from '../../context';
import type { CommandInvokedEvent, OptionValue } from '../../events';
import type { MessageRow } from '../../storage';
import type { PlatformPort } from '../../platform';
import { cutText } from '../../text/mentions';

/** A human message with text: what summaries, drafts and translations may use. */
export function isHumanText(m: MessageRow): m is MessageRow & { text: string } {
  return Boolean(m.text?.trim()) && !m.authorIsBot && !m.isCompanion && m.kind === 'message';
}

/**
 * The message id in a bare id or a platform message link. Links are read by the platform
 * (`messageIdFromLink`), which knows its own URL shapes; the core knows none of them.
 */
export function messageIdFrom(input: string, platform: Pick<PlatformPort, 'messageIdFromLink'>): string | undefined {
  const text = input.trim().replace(/^<|>$/g, '');
  if (!text) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return MESSAGE_ID.test(text) ? text : undefined;
  const id = platform.messageIdFromLink?.(text);
  return id && MESSAGE_ID.test(id) ? id : undefined;
}

/** What a message id may look like: Discord snowflakes, shell ids, Slack `channel/ts`. */
const MESSAGE_ID = /^[\w.:/-]{1,100}$/;

/** The message a command acts on: the message action's target, or a link / id option. */
export async function targetMessage(
  core: CoreContext,
  invocation: CommandInvokedEvent,
  option: OptionValue | undefined,
): Promise<{ row?: MessageRow; given: boolean }> {
  const community = invocation.community;
  if (invocation.target) {
    const stored = await core.repos.messages.get(community, invocation.target.id);
    if (stored) return { row: stored, given: true };
    // A message from before Hearth was here: act on what the platform handed over.
    const t = invocation.target;
    return {
      given: true,
      row: {
        rowId: 0,
        communityId: community,
        id: t.id,
        channelId: t.channel.id,
        authorId: t.author.id,
        authorIsBot: Boolean(t.author.isBot) || t.author.id === core.platform.selfId,
        isCompanion: t.author.id === core.platform.selfId,
        kind: t.kind ?? 'message',
        text: t.text,
        title: t.title ?? null,
        threadId: t.threadId ?? null,
        replyTo: t.replyTo ?? null,
        replyInferred: false,
        discussionId: t.threadId ?? t.id,
        createdAt: t.at,
        editedAt: null,
        transcribed: false,
        verdicts: null,
      },
    };
  }
  if (typeof option === 'string' && option.trim()) {
    const id = messageIdFrom(option, core.platform);
    return { row: id ? await core.repos.messages.get(community, id) : undefined, given: true };
  }
  return { given: false };
}

/** Keep only the messages whose channel the member can read (one check per channel). */
export async function readableBy(core: CoreContext, community: string, memberId: string, rows: MessageRow[]): Promise<MessageRow[]> {
  const verdicts = new Map<string, boolean>();
  const out: MessageRow[] = [];
  for (const row of rows) {
    let ok = verdicts.get(row.channelId);
    if (ok === undefined) {
      ok = await core.repos.channels.canRead(community, row.channelId, memberId);
      verdicts.set(row.channelId, ok);
    }
    if (ok) out.push(row);
  }
  return out;
}

/** Display names of the authors (id when unknown). */
export async function authorNames(core: CoreContext, community: string, rows: MessageRow[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.authorId))) {
    names.set(id, (await core.repos.members.get(community, id))?.name ?? id);
  }
  return names;
}

/** Flatten and cap one message for a prompt. */
export function promptText(text: string, max = 600): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${cutText(flat, max - 1)}…` : flat;
}

/**
 * SEAM for related discussions (feature `related`, built in its own issue): up to `limit`
 * past discussions the member can read, for the no-AI answer of /suggest-reply. Expects
 * `core.features.related.suggest({ community, memberId, text, limit })` returning
 * `{ title, link? }[]`; the lead adapts this one function to the real RelatedSearch API.
 */
export async function relatedDiscussions(
  core: CoreContext,
  community: string,
  memberId: string,
  text: string,
  limit = 3,
  textFrom?: string,
): Promise<{ title: string; link?: string }[]> {
  try {
    const results = (await core.features.related.find({ community, askerId: memberId, text, limit, textFrom })).filter((r) => r.surface);
    return await Promise.all(
      results.slice(0, limit).map(async (r) => {
        const root = r.discussion.messages[0];
        const title = root?.title ?? root?.text ?? r.discussion.id;
        const link = root ? await core.platform.permalink(community, { channelId: r.discussion.channelId, messageId: root.id }) : undefined;
        return { title: title.replace(/\s+/g, ' ').slice(0, 100), link };
      }),
    );
  } catch (error) {
    core.log.warn({ err: error }, 'related discussions failed for /suggest-reply');
    return [];
  }
}
