import { defineCommand } from './define';

export default defineCommand({
  name: 'same-here',
  description: 'Tell the latest asker here (or, as a message action, that author) they are not alone',
  options: [],
  access: 'everyone',
  ephemeral: true,
  messageAction: 'Same here',
  run(core, invocation) {
    return core.features.sameHere.fromCommand(invocation);
  },
});
