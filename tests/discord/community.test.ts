import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, MOD_ROLE, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

/** No request that carries message content may enable mass mentions. */
function expectNoMassMentions(community: DiscordCommunity) {
  const bodies = community.messageBodies();
  expect(bodies.length).toBeGreaterThan(0);
  for (const request of bodies) {
    const body = 'content' in request.body ? request.body : request.body.data;
    expect(body.allowed_mentions, `${request.method} ${request.path}`).toBeDefined();
    expect(body.allowed_mentions.parse, `${request.method} ${request.path}`).toEqual([]);
  }
}

describe('discord adapter: newcomers and messages', () => {
  it('welcomes a member who joins in the system channel, pinging only them', async () => {
    d = await discordCommunity();
    d.fake.memberJoins(d.newcomer);
    const welcome = await waitFor(() => d!.fake.messagesIn(d!.general)[0], 'a welcome in #general');
    expect(welcome.content).toContain(`<@${d.newcomer.id}>`);
    expect(welcome.content).toContain('Hearth Friends');
    const request = d.fake.requestsTo('POST', new RegExp(`/channels/${d.general}/messages`))[0];
    expect(request.body.allowed_mentions).toEqual({ parse: [], users: [d.newcomer.id], roles: [], replied_user: false });
    expect(await d.repos.members.get(d.community, d.newcomer.id)).toMatchObject({ name: 'nia' });
    // The companion's own message comes back over the gateway and is recorded as the companion's.
    const echoed = await waitFor(() => d!.repos.messages.get(d!.community, welcome.id), 'the welcome echo to be stored');
    expect(echoed.isCompanion).toBe(true);
    expectNoMassMentions(d);
  });

  it('records edits and deletions of member messages', async () => {
    d = await discordCommunity();
    const sent = d.fake.memberPosts(d.maya, d.general, 'frist');
    await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message');
    d.fake.dispatch('MESSAGE_UPDATE', { ...sent, content: 'first', edited_timestamp: new Date().toISOString() });
    await waitFor(async () => (await d!.repos.messages.get(d!.community, sent.id))?.text === 'first', 'the edit');
    d.fake.dispatch('MESSAGE_DELETE', { id: sent.id, channel_id: d.general, guild_id: '100000000000000001' });
    await waitFor(async () => !(await d!.repos.messages.get(d!.community, sent.id)), 'the deletion');
  });

  it('marks channels that @everyone cannot view as private, with the members who can', async () => {
    d = await discordCommunity();
    const sent = d.fake.memberPosts(d.mod, d.mods, 'rota for next week?');
    await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message');
    expect(await d.repos.channels.get(d.community, d.mods)).toMatchObject({ visibility: 'private' });
    expect(await d.repos.channels.canRead(d.community, d.mods, d.mod.id)).toBe(true);
    expect(await d.repos.channels.canRead(d.community, d.mods, d.maya.id)).toBe(false);
    expect(await d.repos.channels.canRead(d.community, d.mods, d.owner.id)).toBe(true); // owner sees everything
  });

  it('maps messages in threads and forum posts (thread, title, reply)', async () => {
    d = await discordCommunity();
    const forum = '110000000000000010';
    const post = '110000000000000011';
    const guild = d.fake.guild();
    guild.channels.push({ id: forum, type: 15, name: 'questions' });
    d.fake.dispatch('CHANNEL_CREATE', { id: forum, type: 15, name: 'questions', guild_id: guild.id, permission_overwrites: [], position: 9 });
    guild.channels.push({ id: post, type: 11, name: 'Export fails on big files', parent_id: forum });
    d.fake.dispatch('THREAD_CREATE', {
      id: post, type: 11, name: 'Export fails on big files', parent_id: forum, guild_id: guild.id, owner_id: d.maya.id,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
      message_count: 0, member_count: 1, newly_created: true,
    });
    const starter = d.fake.memberPosts(d.maya, post, 'It stops at 10k rows', { id: post });
    const answer = d.fake.memberPosts(d.mod, post, 'Known issue, fixed in 2.1', {
      type: 19, message_reference: { message_id: post, channel_id: post, guild_id: guild.id },
    });
    const stored = await waitFor(() => d!.repos.messages.get(d!.community, answer.id), 'the answer');
    const root = (await d.repos.messages.get(d.community, starter.id))!;
    expect(root).toMatchObject({ title: 'Export fails on big files', threadId: null });
    expect(stored).toMatchObject({ threadId: post, replyTo: post, discussionId: post });
    expect(await d.repos.channels.get(d.community, post)).toMatchObject({ kind: 'thread', parentId: forum, visibility: 'public' });
    expect(await d.repos.channels.get(d.community, forum)).toBeUndefined(); // the parent is recorded when it is used
  });

  it('passes reactions to the core', async () => {
    d = await discordCommunity();
    const sent = d.fake.memberPosts(d.maya, d.general, 'the app is down for me');
    await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message');
    d.fake.dispatch('MESSAGE_REACTION_ADD', {
      user_id: d.mod.id, channel_id: d.general, message_id: sent.id, guild_id: '100000000000000001',
      emoji: { id: null, name: '➕' }, member: d.fake.memberPayload({ user: d.mod, roles: [MOD_ROLE] }), burst: false, type: 0,
    });
    await waitFor(() => d!.repos.members.get(d!.community, d!.mod.id), 'the reacting member to be recorded');
  });
});
