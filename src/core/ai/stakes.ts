/**
 * The one place AI features ask "is this high-stakes?" for a message they act on. The
 * companion never puts AI text in front of a high-stakes message (outage, billing, data
 * loss, security, harassment, distress, legal, or an explicit request for a human): a person
 * answers those. The answer comes from the stakes map (src/core/stakes), never a second list.
 */
import type { CoreContext } from '../context';
import type { MessageRow } from '../storage';
import { classifyStakes, wantsHuman } from '../stakes';

export function isHighStakes(text: string): boolean {
  return classifyStakes(text).level === 'high' || wantsHuman(text);
}

/**
 * A stored message is high-stakes when its text is, or when it is already the subject of an
 * open high-stakes escalation (the human path is engaged).
 */
export async function messageIsHighStakes(core: CoreContext, community: string, message: Pick<MessageRow, 'id' | 'text'>): Promise<boolean> {
  return anyHighStakes(core, community, [message]);
}

/** Is any of these stored messages high-stakes (by text, or by an open high-stakes escalation)? */
export async function anyHighStakes(core: CoreContext, community: string, messages: Pick<MessageRow, 'id' | 'text'>[]): Promise<boolean> {
  if (messages.some((m) => m.text && isHighStakes(m.text))) return true;
  const open = await core.repos.escalations.list(community, { status: ['open', 'claimed'] });
  const ids = new Set(messages.map((m) => m.id));
  return open.some((e) => e.stakes === 'high' && e.messageId !== null && ids.has(e.messageId));
}
