/**
 * discord.js sweeps archived threads from its cache (every hour, those archived over 4 h
 * ago). A message deleted there later still arrives as MESSAGE_DELETE.
 */
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

it('a message deleted in a thread discord.js no longer caches is forgotten', async () => {
  d = await discordCommunity();
  const guild = d.fake.guild();
  const thread = '110000000000000041';
  guild.channels.push({ id: thread, type: 11, name: 'old thread', parent_id: d.general });
  d.fake.dispatch('THREAD_CREATE', {
    id: thread, type: 11, name: 'old thread', parent_id: d.general, guild_id: guild.id, owner_id: d.maya.id,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    message_count: 0, member_count: 1, newly_created: true,
  });
  const posted = d.fake.memberPosts(d.maya, thread, 'my phone number is 555-0100, can someone call me');
  const kept = d.fake.memberPosts(d.maya, thread, 'thanks all');
  await waitFor(() => d!.repos.messages.get(d!.community, kept.id), 'the thread messages');
  d.service.client.channels.cache.delete(thread); // swept
  d.fake.dispatch('MESSAGE_DELETE', { id: posted.id, channel_id: thread, guild_id: guild.id });
  await waitFor(async () => !(await d!.repos.messages.get(d!.community, posted.id)), 'the deleted message to be forgotten');
  expect(await d.repos.messages.get(d.community, kept.id)).toBeDefined();
});

it('a bulk deletion (a moderator purge) forgets every message it names', async () => {
  d = await discordCommunity();
  const guild = d.fake.guild();
  const a = d.fake.memberPosts(d.maya, d.general, 'spam one');
  const b = d.fake.memberPosts(d.maya, d.general, 'spam two');
  const c = d.fake.memberPosts(d.maya, d.general, 'a real question');
  await waitFor(() => d!.repos.messages.get(d!.community, c.id), 'the messages');
  d.fake.dispatch('MESSAGE_DELETE_BULK', { ids: [a.id, b.id], channel_id: d.general, guild_id: guild.id });
  await waitFor(async () => !(await d!.repos.messages.get(d!.community, b.id)), 'the purge');
  expect(await d.repos.messages.get(d.community, a.id)).toBeUndefined();
  expect(await d.repos.messages.get(d.community, c.id)).toBeDefined();
});
