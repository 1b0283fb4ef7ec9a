import { renderCarePolicy } from '../src/core/care/policy';
import { defineCommand } from './define';

export default defineCommand({
  name: 'care-policy',
  description: 'How this community looks after you: where humans lead, where AI assists, your data',
  options: [],
  access: 'everyone',
  ephemeral: true,
  async run(core, invocation) {
    // Imported lazily: commands/index.ts lists this command, so a static import would be a cycle.
    const { commands } = await import('./index');
    return { visibility: 'ephemeral', text: await renderCarePolicy(core, invocation.community, commands) };
  },
});
