import { defineCommand } from './define';

export default defineCommand({
  name: 'resolve',
  description: 'Close a /human request, with an optional note for the team (moderators)',
  options: [
    { name: 'id', type: 'integer', description: 'Request number (from the moderator ping)', required: true },
    { name: 'note', type: 'string', description: 'What was done (kept with the request, shown on the ping)' },
  ],
  access: 'moderator',
  ephemeral: true,
  async run(core, invocation) {
    const id = invocation.options.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
      return { visibility: 'ephemeral', text: 'Which request? Use `/resolve <number> [note]`, e.g. `/resolve 12 refunded the double charge`.' };
    }
    const note = typeof invocation.options.note === 'string' ? invocation.options.note : null;
    return core.features.escalation.resolve(invocation.community, id, invocation.member, note);
  },
});
