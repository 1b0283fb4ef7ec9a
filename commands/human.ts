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
    const outcome = await core.features.escalation.open({
      community: invocation.community,
      requester: invocation.member,
      // A message action is about that message, wherever the member invoked it from.
      channelId: invocation.target?.channel.id ?? invocation.channel.id,
      messageId: invocation.target?.id ?? null,
      reason: given ?? invocation.target?.text ?? null,
      source: invocation.target ? 'action' : 'command',
    });
    // The adapter confirms delivery (`receipt`); otherwise a durable step acknowledges later.
    return { visibility: 'ephemeral', text: outcome.ack, ...(outcome.ackKey ? { receipt: { community: invocation.community, key: outcome.ackKey } } : {}) };
  },
});
