/**
 * Discord's 3-second window starts when the interaction is created, not when the adapter
 * gets round to it: work done before the defer timer starts (recording a thread's parent
 * through the community's event queue) must count against it.
 */
import { afterEach, expect, it } from 'vitest';
import { defineCommand } from '../../commands/define';
import { commands } from '../../commands';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const quick = defineCommand({
  name: 'quick',
  description: 'Answers at once',
  options: [],
  access: 'everyone',
  ephemeral: true,
  async run() {
    return { visibility: 'ephemeral', text: 'done' };
  },
});

it('a command in a new thread is deferred in time while the community queue is busy', async () => {
  d = await discordCommunity({ commands: [...commands, quick], deferAfterMs: 50 });
  const guild = d.fake.guild();
  const thread = '110000000000000021';
  guild.channels.push({ id: thread, type: 11, name: 'login trouble', parent_id: d.general });
  d.fake.dispatch('THREAD_CREATE', {
    id: thread, type: 11, name: 'login trouble', parent_id: d.general, guild_id: guild.id, owner_id: d.maya.id,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    message_count: 0, member_count: 1, newly_created: true,
  });
  // A newcomer's welcome is being posted, and Discord is slow to answer: the community's
  // event queue waits on it (up to the REST timeout).
  d.fake.stallNext('POST', new RegExp(`^/channels/${d.general}/messages$`));
  d.fake.memberJoins(d.newcomer);
  await waitFor(() => d!.fake.requestsTo('POST', new RegExp(`^/channels/${d!.general}/messages$`)).length, 'the welcome post to be under way');

  const token = d.fake.slashCommand(d.maya, thread, 'quick');
  const first = await waitFor(() => d!.fake.interactionCalls(token)[0], 'the first answer to the interaction');
  // Acknowledged by the deferral while the queue is still held, not answered seconds later.
  expect(first.body?.type).toBe(5);
  const edit = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.method === 'PATCH'), 'the answer');
  expect(edit.body.content).toBe('done');
});
