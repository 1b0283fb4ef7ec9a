import { defineCommand } from './define';

export default defineCommand({
  name: 'forget-me',
  description: 'Delete what Hearth stores about you (messages, search entries, signals)',
  options: [],
  access: 'everyone',
  ephemeral: true,
  async run(_core, invocation) {
    // A destructive step: the member confirms with a button only they can press.
    return {
      visibility: 'ephemeral',
      text:
        'This deletes every message of yours that Hearth stored (and its search entries), every signal about you ' +
        '(thanks, help, welcomes), your “same here” records, and the text of your requests to the team. ' +
        'Analytics about you stay off afterwards. It cannot be undone. Messages on the platform itself are not touched.',
      buttons: [{ action: 'privacy:forget', value: invocation.member.id, label: 'Forget me', style: 'danger' }],
    };
  },
});
