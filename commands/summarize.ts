import { SUMMARY_DEFAULT_COUNT, SUMMARY_MAX_COUNT } from '../src/core/features/assist';
import { defineCommand } from './define';

export default defineCommand({
  name: 'summarize',
  description: 'Summarise this thread or the channel’s recent messages, linked to the messages (only you see it)',
  options: [
    {
      name: 'count',
      type: 'integer',
      description: `How many recent channel messages (default ${SUMMARY_DEFAULT_COUNT}, at most ${SUMMARY_MAX_COUNT}; ignored in a thread)`,
    },
  ],
  access: 'everyone',
  ephemeral: true,
  defer: true,
  messageAction: 'Summarize discussion',
  run(core, invocation) {
    return core.features.assist.summarize(invocation);
  },
});
