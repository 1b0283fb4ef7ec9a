import { defineCommand } from './define';

export default defineCommand({
  name: 'privacy',
  description: 'Turn community analytics about you off or on',
  options: [{ name: 'analytics', type: 'string', description: 'off: stop analytics about you; on: allow them', required: true, choices: ['off', 'on'] }],
  access: 'everyone',
  ephemeral: true,
  async run(core, invocation) {
    const choice = String(invocation.options.analytics ?? '').trim().toLowerCase();
    if (choice !== 'off' && choice !== 'on') {
      return { visibility: 'ephemeral', text: 'Use `/privacy off` to stop analytics about you, or `/privacy on` to allow them again.' };
    }
    const { deletedSignals } = await core.features.signals.privacy.setAnalytics(invocation.community, invocation.member.id, choice === 'on');
    return {
      visibility: 'ephemeral',
      text:
        choice === 'off'
          ? `Analytics about you are off: I deleted ${deletedSignals} recorded signal${deletedSignals === 1 ? '' : 's'} about you and will not record new ones, ` +
            'and you are left out of community metrics. Your messages stay in the conversation; `/forget-me` deletes them too.'
          : 'Analytics about you are on again, from now on (nothing deleted earlier comes back).',
    };
  },
});
