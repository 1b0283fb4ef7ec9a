import { quote } from '../src/core/text/mentions';
import { parseLanguages } from '../src/core/features/translators';
import { defineCommand } from './define';

export default defineCommand({
  name: 'translator',
  description: 'Volunteer to help members across languages when a machine translation falls short',
  options: [
    { name: 'state', type: 'string', description: 'on to volunteer, off to step back (empty: show)', choices: ['on', 'off'] },
    { name: 'languages', type: 'string', description: 'With on: the languages you speak, e.g. Portuguese, Spanish' },
  ],
  access: 'everyone',
  ephemeral: true,
  async run(core, invocation) {
    const { repos } = core;
    const community = invocation.community;
    const memberId = invocation.member.id;
    const state = typeof invocation.options.state === 'string' ? invocation.options.state.trim().toLowerCase() : '';
    const languages = typeof invocation.options.languages === 'string' ? invocation.options.languages : '';
    if (invocation.member.isBot) return { visibility: 'ephemeral', text: 'Translators are people.' };
    if (state === 'on') {
      const parsed = parseLanguages(languages);
      if ('error' in parsed) return { visibility: 'ephemeral', text: parsed.error };
      await repos.members.setTranslator(community, memberId, parsed.languages);
    } else if (state === 'off') {
      await repos.members.setTranslator(community, memberId, []);
      return { visibility: 'ephemeral', text: 'You’ve stepped back as a translator. Thank you for every explanation.' };
    } else if (state) {
      return { visibility: 'ephemeral', text: `Use \`/translator on <languages>\` or \`/translator off\` (got "${quote(state, 20)}").` };
    }
    const me = await repos.members.get(community, memberId);
    if (!me?.translatorLanguages?.length) {
      return {
        visibility: 'ephemeral',
        text: 'You’re not a volunteer translator. `/translator on Portuguese, Spanish` (your languages): translations of messages in those languages will name you, and members can ask you about nuance.',
      };
    }
    return {
      visibility: 'ephemeral',
      text:
        `${state === 'on' ? 'Thank you! You’re' : 'You’re'} a volunteer translator for ${me.translatorLanguages.map((l) => quote(l, 40)).join(', ')}. ` +
        'Translations of messages in those languages name you, and **Ask a member** pings volunteers in turn, never when you’ve been carrying a lot lately. ' +
        (me.analyticsOptOut ? 'With analytics off (`/privacy`), you are not named nor asked. ' : '') +
        '`/translator off` steps back any time.',
    };
  },
});
