import { quote } from '../src/core/text/mentions';
import { parseLanguages } from '../src/core/features/translators';
import { defineCrewCommand } from './define';

export default defineCrewCommand({
  name: 'translator',
  description: 'Volunteer to help members across languages when a machine translation falls short',
  stateDescription: 'on to volunteer, off to step back (empty: show)',
  options: [{ name: 'languages', type: 'string', description: 'With on: the languages you speak, e.g. Portuguese, Spanish' }],
  forBots: 'Translators are people.',
  on: 'on <languages>',
  async run(core, { invocation, community, memberId, state }) {
    const { repos } = core;
    const languages = typeof invocation.options.languages === 'string' ? invocation.options.languages : '';
    if (state === 'on') {
      const parsed = parseLanguages(languages);
      if ('error' in parsed) return { visibility: 'ephemeral', text: parsed.error };
      await repos.members.setTranslator(community, memberId, parsed.languages);
    } else if (state === 'off') {
      await repos.members.setTranslator(community, memberId, []);
      return { visibility: 'ephemeral', text: 'You’ve stepped back as a translator. Thank you for every explanation.' };
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
