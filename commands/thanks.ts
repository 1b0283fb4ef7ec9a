import { quote } from '../src/core/text/mentions';
import { defineCommand } from './define';

export default defineCommand({
  name: 'thanks',
  description: 'Thank a member for their help, in the channel',
  options: [
    { name: 'member', type: 'user', description: 'Who to thank', required: true },
    { name: 'for', type: 'string', description: 'What for (optional)' },
  ],
  access: 'everyone',
  ephemeral: false,
  async run(core, invocation) {
    const subject = invocation.options.member;
    if (typeof subject !== 'string' || !subject) {
      return { visibility: 'ephemeral', text: 'Who would you like to thank? Try `/thanks @member for ...`.' };
    }
    if (subject === invocation.member.id) return { visibility: 'ephemeral', text: 'Thanking yourself is kind, but it does not count here 🙂' };
    const member = await core.repos.members.get(invocation.community, subject);
    if (subject === core.platform.selfId || member?.isBot) {
      return { visibility: 'ephemeral', text: 'Thanks are for people: bots do not count.' };
    }
    const reason = typeof invocation.options.for === 'string' && invocation.options.for.trim() ? invocation.options.for.trim() : null;
    // Recorded unless either member turned analytics off; the thanks is posted either way.
    await core.features.signals.thankByCommand(invocation, subject, reason);
    return {
      visibility: 'public',
      text: `🙏 <@${invocation.member.id}> thanks <@${subject}>${reason ? ` for “${quote(reason.replace(/^for\s+/i, ''), 300)}”` : '!'}`,
      mentionUsers: [subject],
    };
  },
});
