import { SETTINGS, isSettingKey, showSetting, type SettingKey } from '../src/core/settings';
import { defineCommand } from './define';

export default defineCommand({
  name: 'hearth-config',
  description: 'Show or change how Hearth behaves in this community (moderators)',
  options: [
    { name: 'setting', type: 'string', description: 'Setting to change (leave empty to list all)', choices: Object.keys(SETTINGS) },
    { name: 'value', type: 'string', description: 'New value ("default" resets it)' },
  ],
  access: 'moderator',
  ephemeral: true,
  async run(core, invocation) {
    const { setting, value } = invocation.options;
    const community = invocation.community;
    if (typeof setting !== 'string' || !setting) {
      const current = await core.settings.get(community);
      const lines = (Object.keys(SETTINGS) as SettingKey[]).map(
        (key) => `• **${key}** = ${showSetting(key, current[key])} — ${SETTINGS[key].description}`,
      );
      return { visibility: 'ephemeral', text: `Hearth settings for this community:\n${lines.join('\n')}` };
    }
    if (!isSettingKey(setting)) {
      return { visibility: 'ephemeral', text: `Unknown setting "${setting}". Settings: ${Object.keys(SETTINGS).join(', ')}` };
    }
    if (typeof value !== 'string' || !value.trim()) {
      const current = await core.settings.get(community);
      return { visibility: 'ephemeral', text: `**${setting}** = ${showSetting(setting, current[setting])} — ${SETTINGS[setting].description}` };
    }
    if (value.trim().toLowerCase() === 'default') {
      await core.settings.reset(community, setting);
    } else {
      try {
        await core.settings.set(community, setting, value, core.clock.now(), invocation.member.id);
      } catch (error) {
        return { visibility: 'ephemeral', text: `Could not set ${setting}: ${(error as Error).message}` };
      }
    }
    const current = await core.settings.get(community);
    return { visibility: 'ephemeral', text: `**${setting}** is now ${showSetting(setting, current[setting])}.` };
  },
});
