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
import { canTranscribe } from '../ai/port';
import type { CommunitySettings } from '../settings';

/** Transcription and translation as this community has them set now. */
function voiceAndTranslationLines(core: CoreContext, config: CommunitySettings, translators: number): string[] {
  const host = core.ai?.info.endpointHost ?? 'the configured endpoint';
  const limits = `clips up to ${formatDuration(config.transcribeMaxDuration)} and ${config.transcribeMaxMegabytes} MB`;
  const voice = !canTranscribe(core.ai)
    ? '• Transcription: off (no AI endpoint with an audio transcription model); voice messages are never sent anywhere.'
    : config.transcribeVoice
      ? `• Transcription: **on**. Voice messages and audio clips in public channels (${limits}) are sent to ${host} (${core.ai!.info.transcriptionModel}) and the transcript, labelled “AI transcript”, is posted in the thread. **Transcribe** on a message does the same, shown only to you. Audio is never stored; the transcript is kept like any message and deleted by forget-me and retention. A forgotten member’s audio is never sent.`
      : `• Transcription: on request only. **Transcribe** on a voice message sends it to ${host} (${core.ai!.info.transcriptionModel}; ${limits}) and shows the transcript only to you. Audio is never stored; a forgotten member’s audio is never sent.`;
  const translate = `• Translation: \`/translate\` ends with the members who volunteered as translators for the message’s language (${translators} volunteer${translators === 1 ? '' : 's'} now; \`/translator on <languages>\` to join) and **Ask a member**, which asks one of them in the thread.`;
  return [voice, translate];
}

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
  const translators = (await core.repos.members.listTranslators(community)).filter((m) => !m.analyticsOptOut && m.forgottenAt == null).length;
  const aiLines = [
    ...aiUsageStatement(core.ai),
    ...voiceAndTranslationLines(core, config, translators),
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
