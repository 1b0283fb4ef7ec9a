/**
 * SEAM for the stakes classifier. The companion never puts AI text in front of a
 * high-stakes message (outage, billing, data loss, security, harassment, distress, an
 * explicit request for a human): a person answers those.
 *
 * `isHighStakes(text)` is the one place AI features ask "is this high-stakes?" for a message
 * they act on. The stakes classifier lives in src/core/stakes/ (its own issue); at merge,
 * point this function at it. Until then it only recognises clear distress, via the risk
 * lexicon — it is deliberately NOT a second stakes classifier.
 */
import type { CoreContext } from '../context';
import type { MessageRow } from '../../db/repositories/messages';
import { lexicalRiskFlags } from '../risk/lexicon';

export function isHighStakes(text: string): boolean {
  return lexicalRiskFlags(text).some((flag) => flag.category === 'distress' && flag.strength === 'strong');
}

/**
 * A stored message is high-stakes when its text is, or when it is already the subject of an
 * open high-stakes escalation (the human path is engaged).
 */
export async function messageIsHighStakes(core: CoreContext, community: string, message: Pick<MessageRow, 'id' | 'text'>): Promise<boolean> {
  if (message.text && isHighStakes(message.text)) return true;
  const open = await core.repos.escalations.list(community, { status: ['open', 'claimed'] });
  return open.some((e) => e.messageId === message.id && e.stakes === 'high');
}
