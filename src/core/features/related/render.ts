/**
 * How related discussions are shown: one line each with a permalink, the author, and why it
 * came up (matched words, "solved by @alice", replies, age). Member text is quoted through
 * `quote()` and names are `<@id>` mentions that never ping (no `mentionUsers`).
 */
import type { CoreContext } from '../../context';
import type { OutgoingMessage } from '../../platform';
import type { DiscussionMessage } from '../../search/types';
import type { RankedDiscussion } from '../../search/rank';
import { quote } from '../../text/mentions';
import { formatAge } from '../../text/format';

/** One line on why this discussion came up: matched words, who solved it, replies, age. */
export function explain(result: RankedDiscussion, now: number): string {
  const parts: string[] = [];
  if (result.matched.length) parts.push(`matched ${result.matched.slice(0, 3).map((w) => `“${quote(w, 40)}”`).join(', ')}`);
  if (result.solvedBy) parts.push(`solved by <@${result.solvedBy.authorId}>`);
  else if (result.helpers > 0) parts.push(`${result.helpers} ${result.helpers === 1 ? 'person' : 'people'} replied`);
  parts.push(formatAge(now - result.startedAt));
  return parts.join(' · ');
}

/** Link text can't carry brackets (they would end the markdown link). */
const linkLabel = (text: string) => quote(text, 80).replace(/[[\]()]/g, ' ').replace(/\s+/g, ' ').trim() || 'discussion';

export async function renderResults(core: CoreContext, community: string, results: RankedDiscussion[], now: number): Promise<OutgoingMessage> {
  const lines = ['Members talked about this before:'];
  for (const [i, result] of results.entries()) {
    const root = result.discussion.messages[0];
    const link = await core.platform.permalink(community, { channelId: result.discussion.channelId, messageId: root.id });
    const label = linkLabel(root.title || root.text);
    const voice = result.discussion.messages.some((m) => m.transcribed) ? ' (from a voice message)' : '';
    lines.push(`${i + 1}. ${link ? `[${label}](${link})` : `“${label}”`}${voice} by <@${root.authorId}> — ${explain(result, now)}`);
  }
  return { text: lines.join('\n') };
}

export interface NotAloneMention {
  message: DiscussionMessage;
  channelId: string;
}

export async function renderNotAlone(core: CoreContext, community: string, mentions: NotAloneMention[], now: number): Promise<OutgoingMessage> {
  const parts: string[] = [];
  for (const { message, channelId } of mentions) {
    const link = await core.platform.permalink(community, { channelId, messageId: message.id });
    const voice = message.transcribed ? ' in a voice message' : '';
    parts.push(`<@${message.authorId}> mentioned this${voice} ${formatAge(now - message.createdAt)}${link ? ` ([see message](${link}))` : ''}`);
  }
  const [first, ...rest] = parts;
  return { text: `You're not the only one: ${first}${rest.length ? `; also ${rest.join('; ')}` : ''}.` };
}
