import { quote } from '../src/core/text/mentions';
import { defineCommand } from './define';

export default defineCommand({
  name: 'welcomer',
  description: 'Join or leave the welcome crew that greets newcomers personally',
  options: [{ name: 'state', type: 'string', description: 'on to join the crew, off to step back (empty: show)', choices: ['on', 'off'] }],
  access: 'everyone',
  ephemeral: true,
  async run(core, invocation) {
    const { repos } = core;
    const community = invocation.community;
    const memberId = invocation.member.id;
    const state = typeof invocation.options.state === 'string' ? invocation.options.state.trim().toLowerCase() : '';
    if (invocation.member.isBot) return { visibility: 'ephemeral', text: 'The welcome crew is for people.' };
    if (state === 'on' || state === 'off') await repos.members.setWelcomer(community, memberId, state === 'on');
    else if (state) return { visibility: 'ephemeral', text: `Use \`/welcomer on\` or \`/welcomer off\` (got "${quote(state, 20)}").` };

    const me = await repos.members.get(community, memberId);
    const crew = (await repos.members.listWelcomers(community)).length;
    if (!me?.welcomer) {
      return {
        visibility: 'ephemeral',
        text:
          state === 'off'
            ? 'You’ve stepped back from the welcome crew. Thank you for every hello.'
            : `You’re not on the welcome crew (${crew} ${crew === 1 ? 'member is' : 'members are'}). \`/welcomer on\` to join: I’ll ask you now and then to greet a newcomer personally.`,
      };
    }
    return {
      visibility: 'ephemeral',
      text:
        (state === 'on' ? 'Thank you! You’re on the welcome crew' : 'You’re on the welcome crew') +
        ` (${crew} ${crew === 1 ? 'member' : 'members'}). I’ll ask you in turn to greet a newcomer personally, and never ` +
        'when you’ve been carrying a lot lately. `/welcomer off` steps back any time.',
    };
  },
});
