import { classifyStakes } from '../src/core/stakes';
import { defineCommand } from './define';

export default defineCommand({
  name: 'related',
  description: 'Find past discussions where members already talked about a question',
  options: [{ name: 'question', type: 'string', description: 'What you want to find', required: true }],
  access: 'everyone',
  ephemeral: true,
  defer: true,
  async run(core, invocation) {
    const question = typeof invocation.options.question === 'string' ? invocation.options.question : (invocation.target?.text ?? '');
    // Inside a thread, that thread is the asker's own discussion: never suggest it back.
    const exclude = [invocation.channel.id, ...(invocation.target ? [invocation.target.threadId ?? invocation.target.id] : [])];
    const reply = await core.features.related.answer({
      community: invocation.community,
      askerId: invocation.member.id,
      text: question,
      excludeDiscussionIds: exclude,
    });
    // High stakes (hacked account, double charge, distress...): a person leads, so the human
    // path comes before any automated list of past threads.
    const { humanFirstClasses } = await core.settings.get(invocation.community);
    if (classifyStakes(question, humanFirstClasses).level !== 'high') return reply;
    return {
      ...reply,
      text: `This sounds like something a person from the team should handle: \`/human\` reaches them any time.\n${reply.text}`,
    };
  },
});
