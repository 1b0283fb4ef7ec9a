import { defineCrewCommand } from './define';

export default defineCrewCommand({
  name: 'welcomer',
  description: 'Join or leave the welcome crew that greets newcomers personally',
  stateDescription: 'on to join the crew, off to step back (empty: show)',
  forBots: 'The welcome crew is for people.',
  on: 'on',
  async run(core, { community, memberId, state }) {
    const { repos } = core;
    if (state) await repos.members.setWelcomer(community, memberId, state === 'on');

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
