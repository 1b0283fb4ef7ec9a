import { defineCommand } from './define';

export default defineCommand({
  name: 'transcribe',
  description: 'Transcribe a voice message or audio clip, only for you (use the message action)',
  options: [],
  access: 'everyone',
  ephemeral: true,
  defer: true,
  messageAction: 'Transcribe',
  run(core, invocation) {
    return core.features.voice.fromCommand(invocation);
  },
});
