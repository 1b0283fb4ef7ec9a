import { defineCommand } from './define';

export default defineCommand({
  name: 'human',
  description: 'Reach a person from the team, any time',
  options: [{ name: 'reason', type: 'string', description: 'What you need help with (optional)' }],
  access: 'everyone',
  ephemeral: true,
  messageAction: 'Ask a human about this',
  async run(core, invocation) {
    const given = typeof invocation.options.reason === 'string' && invocation.options.reason.trim() ? invocation.options.reason : undefined;
    // A message the member cannot read is not theirs to quote to the team: they still reach a
    // person, with a plain request from where they are.
    const target =
      invocation.target && (await core.repos.channels.canRead(invocation.community, invocation.target.channel.id, invocation.member.id)) ? invocation.target : undefined;
    const outcome = await core.features.escalation.open({
      community: invocation.community,
      requester: invocation.member,
      // A message action is about that message, wherever the member invoked it from.
      channelId: target?.channel.id ?? invocation.channel.id,
      messageId: target?.id ?? null,
      reason: given ?? target?.text ?? null,
      source: target ? 'action' : 'command',
    });
    // The adapter confirms delivery (`receipt`); otherwise a durable step acknowledges later.
    return { visibility: 'ephemeral', text: outcome.ack, ...(outcome.ackKey ? { receipt: { community: invocation.community, key: outcome.ackKey } } : {}) };
  },
});
