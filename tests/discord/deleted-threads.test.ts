/**
 * Deleting a thread or a forum post on Discord deletes every message in it, but Discord
 * sends only THREAD_DELETE (no MESSAGE_DELETE per message), and discord.js emits nothing
 * for a thread it had not cached. Hearth must forget those messages all the same.
 */
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const threadPayload = (id: string, parentId: string, guildId: string, name: string, ownerId: string) => ({
  id, type: 11, name, parent_id: parentId, guild_id: guildId, owner_id: ownerId,
  thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  message_count: 0, member_count: 1, newly_created: true,
});

it('a deleted forum post takes its messages out of storage (and so out of search); other channels keep theirs', async () => {
  d = await discordCommunity();
  const guild = d.fake.guild();
  const forum = '110000000000000010';
  const post = '110000000000000011';
  guild.channels.push({ id: forum, type: 15, name: 'questions' });
  d.fake.dispatch('CHANNEL_CREATE', { id: forum, type: 15, name: 'questions', guild_id: guild.id, permission_overwrites: [], position: 9 });
  guild.channels.push({ id: post, type: 11, name: 'My invoice address', parent_id: forum });
  d.fake.dispatch('THREAD_CREATE', threadPayload(post, forum, guild.id, 'My invoice address', d.maya.id));
  const starter = d.fake.memberPosts(d.maya, post, 'my home address is 12 Elm Street, why is the invoice wrong', { id: post });
  const answer = d.fake.memberPosts(d.mod, post, 'the invoice template is fixed now');
  const elsewhere = d.fake.memberPosts(d.maya, d.general, 'invoice question for everyone');
  await waitFor(() => d!.repos.messages.get(d!.community, elsewhere.id), 'the messages to be stored');
  expect(await d.repos.messages.get(d.community, starter.id)).toBeDefined();

  // The post's author deletes it (the gateway sends THREAD_DELETE only).
  d.fake.dispatch('THREAD_DELETE', { id: post, guild_id: guild.id, parent_id: forum, type: 11 });
  await waitFor(async () => !(await d!.repos.messages.get(d!.community, starter.id)), 'the starter to be forgotten');
  expect(await d.repos.messages.get(d.community, answer.id)).toBeUndefined();
  expect(await d.repos.messages.get(d.community, elsewhere.id)).toBeDefined();
});

it('a thread deleted while not in discord.js cache is forgotten too', async () => {
  d = await discordCommunity();
  const guild = d.fake.guild();
  const thread = '110000000000000031';
  guild.channels.push({ id: thread, type: 11, name: 'side chat', parent_id: d.general });
  d.fake.dispatch('THREAD_CREATE', threadPayload(thread, d.general, guild.id, 'side chat', d.maya.id));
  const inThread = d.fake.memberPosts(d.maya, thread, 'side chat message');
  await waitFor(() => d!.repos.messages.get(d!.community, inThread.id), 'the thread message');
  d.service.client.channels.cache.delete(thread); // swept or never cached
  d.fake.dispatch('THREAD_DELETE', { id: thread, guild_id: guild.id, parent_id: d.general, type: 11 });
  await waitFor(async () => !(await d!.repos.messages.get(d!.community, inThread.id)), 'the thread message to be forgotten');
});
