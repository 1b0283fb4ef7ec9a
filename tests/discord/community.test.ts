import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, MOD_ROLE, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

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

  it('takes a reply as a reply, and a message forwarded into the same channel as no explicit reply', async () => {
    d = await discordCommunity();
    const question = d.fake.memberPosts(d.maya, d.general, 'How do I export my data?');
    const reply = d.fake.memberPosts(d.mod, d.general, 'Settings > Export', { type: 19, message_reference: { type: 0, message_id: question.id, channel_id: d.general, guild_id: '100000000000000001' } });
    // A forward has no content of its own (the forwarded message is in message_snapshots) and answers nothing.
    const forward = d.fake.memberPosts(d.mod, d.general, '', {
      message_reference: { type: 1, message_id: question.id, channel_id: d.general, guild_id: '100000000000000001' },
      message_snapshots: [{ message: { type: 0, content: 'How do I export my data?', timestamp: question.timestamp, edited_timestamp: null, flags: 0, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [] } }],
    });
    const stored = await waitFor(() => d!.repos.messages.get(d!.community, forward.id), 'the forward');
    expect((await d.repos.messages.get(d.community, reply.id))?.replyTo).toBe(question.id);
    // (Reply inference may still link it to the conversation around it; it is not an explicit reply to the question.)
    expect(stored.replyTo === question.id && !stored.replyInferred).toBe(false);
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
    // The forum itself never carries messages: it is recorded when a post is used, so search can judge it.
    expect(await d.repos.channels.get(d.community, forum)).toMatchObject({ kind: 'forum', visibility: 'public' });
    expect(await d.repos.channels.canRead(d.community, post, d.newcomer.id)).toBe(true);
  });

  it('follows permission changes: a channel made private, a member given access', async () => {
    d = await discordCommunity();
    const guild = d.fake.guild();
    const sent = d.fake.memberPosts(d.maya, d.help, 'public question');
    await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message');
    expect(await d.repos.channels.canRead(d.community, d.help, d.maya.id)).toBe(true);
    // #help becomes moderators-only.
    d.fake.dispatch('CHANNEL_UPDATE', {
      id: d.help, type: 0, name: 'help', guild_id: guild.id, position: 1,
      permission_overwrites: [
        { id: guild.id, type: 0, allow: '0', deny: String(1 << 10) },
        { id: MOD_ROLE, type: 0, allow: String(1 << 10), deny: '0' },
      ],
    });
    await waitFor(async () => (await d!.repos.channels.get(d!.community, d!.help))?.visibility === 'private', '#help to become private');
    expect(await d.repos.channels.canRead(d.community, d.help, d.maya.id)).toBe(false);
    expect(await d.repos.channels.canRead(d.community, d.help, d.mod.id)).toBe(true);
    // Maya is given the moderator role: she can read it now.
    d.fake.dispatch('GUILD_MEMBER_UPDATE', { ...d.fake.memberPayload({ user: d.maya, roles: [MOD_ROLE] }), guild_id: guild.id });
    await waitFor(() => d!.repos.channels.canRead(d!.community, d!.help, d!.maya.id), 'maya to be able to read #help');
    // ...and loses it again.
    d.fake.dispatch('GUILD_MEMBER_UPDATE', { ...d.fake.memberPayload({ user: d.maya, roles: [] }), guild_id: guild.id });
    await waitFor(async () => !(await d!.repos.channels.canRead(d!.community, d!.help, d!.maya.id)), 'maya to lose #help');
  });

  it('treats private threads as private, readable by their members', async () => {
    d = await discordCommunity();
    const guild = d.fake.guild();
    const thread = '110000000000000020';
    d.fake.dispatch('THREAD_CREATE', {
      id: thread, type: 12, name: 'billing follow-up', parent_id: d.general, guild_id: guild.id, owner_id: d.mod.id,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false, invitable: false },
      message_count: 0, member_count: 2, newly_created: true,
    });
    guild.channels.push({ id: thread, type: 12, name: 'billing follow-up', parent_id: d.general });
    const sent = d.fake.memberPosts(d.mod, thread, 'refund issued');
    await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message');
    expect(await d.repos.channels.get(d.community, thread)).toMatchObject({ visibility: 'private', kind: 'thread', parentId: d.general });
    expect(await d.repos.channels.canRead(d.community, thread, d.mod.id)).toBe(true);
    expect(await d.repos.channels.canRead(d.community, thread, d.maya.id)).toBe(false);
    d.fake.dispatch('THREAD_MEMBERS_UPDATE', {
      id: thread, guild_id: guild.id, member_count: 3,
      added_members: [{ id: thread, user_id: d.maya.id, join_timestamp: new Date().toISOString(), flags: 0 }],
    });
    await waitFor(() => d!.repos.channels.canRead(d!.community, thread, d!.maya.id), 'maya to join the private thread');
    d.fake.dispatch('THREAD_MEMBERS_UPDATE', { id: thread, guild_id: guild.id, member_count: 2, removed_member_ids: [d.maya.id] });
    await waitFor(async () => !(await d!.repos.channels.canRead(d!.community, thread, d!.maya.id)), 'maya to leave the private thread');
  });

  it('never sends echoed mass mentions: hostile text stays inert', async () => {
    d = await discordCommunity();
    d.fake.memberJoins({ id: '130000000000000099', username: '@everyone', global_name: '@here <@&120000000000000001>' });
    const welcome = await waitFor(() => d!.fake.messagesIn(d!.general)[0], 'the welcome');
    expect(welcome.content).toContain('<@130000000000000099>');
    // stop() checks every captured body: parse is empty and no role is allowed outside moderator pings.
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
