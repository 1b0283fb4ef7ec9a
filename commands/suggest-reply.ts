import { defineCommand } from './define';

export default defineCommand({
  name: 'suggest-reply',
  description: 'An AI draft reply to a message, only for you to edit and send yourself (moderators)',
  options: [{ name: 'message', type: 'string', description: 'Link (or id) of the message to reply to', required: true }],
  access: 'moderator',
  ephemeral: true,
  defer: true,
  messageAction: 'Suggest a reply',
  // Moderators only, and `/suggest-reply message:<link>` does the same: the menu slot goes to Transcribe.
  discordMenu: false,
  run(core, invocation) {
    return core.features.assist.suggestReply(invocation);
  },
});
