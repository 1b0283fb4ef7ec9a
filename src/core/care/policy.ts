/**
 * The Community Care Policy, rendered from live configuration so it can never drift from
 * what the companion actually does: where AI assists, where humans lead, how to reach a
 * human, the expected wait, what data is kept and for how long, and what each command does.
 */
import type { CommandDefinition } from '../../../commands/define';
import type { CoreContext } from '../context';
import { STAKES_CLASS_LABELS, STAKES_CLASSES } from '../stakes';
import { formatDuration } from '../text/format';
import { neutralizeMentions } from '../text/mentions';
import { aiUsageStatement } from '../ai/policy';

export async function renderCarePolicy(core: CoreContext, community: string, commands: CommandDefinition[]): Promise<string> {
  const config = await core.settings.get(community);
  const name = (await core.repos.communities.get(community))?.name ?? 'this community';
  const wait = await core.features.escalation.waitText(community);
  const humanFirst = STAKES_CLASSES.filter((c) => config.humanFirstClasses.includes(c));
  const flaggedOnly = humanFirst.filter((c) => !config.autoEscalateClasses.includes(c));
  const action = commands.find((c) => c.messageAction)?.messageAction;

  const reach = [
    '• `/human [what you need]` works everywhere, any time.',
    ...(config.typedRequests ? ['• Or just ask in any channel: "can I talk to a human?" (or a mod, someone from the team).'] : []),
    ...(action ? [`• Or use **${action}** on any message (message menu / shortcut).`] : []),
    `Your request is saved before you get an answer, the moderators are pinged, and if nobody picks it up within ${formatDuration(config.repingAfter)} they are pinged again; after ${formatDuration(config.secondTierAfter)} it goes to a second tier, and the moderators are reminded (after ${formatDuration(config.reminderAfter)}, then less and less often) until someone picks it up.`,
    `Expected wait: ${wait}`,
  ];
  const humans = humanFirst.length
    ? [
        'For these, Hearth never answers with automated or AI text: it tells you a person will follow and alerts the moderators.',
        ...humanFirst.map((c) => `• ${STAKES_CLASS_LABELS[c]}${flaggedOnly.includes(c) ? ' (flagged to moderators)' : ''}`),
        '• any explicit request for a human',
      ]
    : ['• any explicit request for a human (no topic is currently set to human-first: moderators can change this)'];
  const aiLines = [
    ...aiUsageStatement(core.ai),
    'AI never answers high-stakes messages and never posts as if a member or moderator wrote it.',
  ];
  const data = [
    `• Message text is kept for ${config.retentionDays} days to find related discussions, then purged; deleting a message on the platform deletes it here too.`,
    '• Relationship signals (who welcomed or helped whom) and requests for a human are kept without message text, for community health figures; you can opt out of analytics.',
    '• Nothing is shared outside this community.',
  ];
  const list = commands.map(
    (c) => `• \`/${c.name}\` — ${c.description}${c.access === 'moderator' && !/\(moderators\)$/.test(c.description) ? ' _(moderators)_' : ''}${c.messageAction ? ` · also **${c.messageAction}** on a message` : ''}`,
  );
  return [
    `**Community Care Policy — ${neutralizeMentions(name)}**`,
    '',
    '**How to reach a human**',
    ...reach,
    '',
    '**Where humans lead**',
    ...humans,
    '',
    '**Where AI assists**',
    ...aiLines,
    '',
    '**What data is kept, and for how long**',
    ...data,
    '',
    '**What Hearth can do**',
    ...list,
  ].join('\n');
}
