import { defineCommand } from './define';

export default defineCommand({
  name: 'translate',
  description: 'Translate a message, only for you (default: your language, else English)',
  options: [
    { name: 'message', type: 'string', description: 'Link (or id) of the message to translate', required: true },
    { name: 'language', type: 'string', description: 'Target language, e.g. English, español, fr' },
  ],
  access: 'everyone',
  ephemeral: true,
  defer: true,
  messageAction: 'Translate',
  run(core, invocation) {
    return core.features.assist.translate(invocation);
  },
});
