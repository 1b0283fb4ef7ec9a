/**
 * The visibility tracker lives in memory; memberships live in the database. After a
 * restart a role change must still be judged against what is recorded.
 */
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, GUILD, CHANNELS, MOD_ROLE, USERS, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

it('losing the moderator role after a restart removes access to the moderator channel', async () => {
  const community = `discord:${GUILD}`;
  d = await discordCommunity({
    // What an earlier run recorded: #mods is private and the moderator reads it.
    beforeStart: async (repos, clock) => {
      await repos.communities.ensure(community, 'discord', 'Hearth Friends', clock.now());
      await repos.channels.upsert(community, { id: CHANNELS.mods, name: 'mods', visibility: 'private', kind: 'text', memberIds: [USERS.mod.id] }, clock.now());
    },
  });
  expect(await d.repos.channels.canRead(d.community, d.mods, d.mod.id)).toBe(true);
  const guild = d.fake.guild();
  guild.members = guild.members.map((m) => (m.user.id === d!.mod.id ? { ...m, roles: [] } : m));
  d.fake.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guild.id, user: d.mod, roles: [], joined_at: new Date().toISOString() });
  const later = d.fake.memberPosts(d.maya, d.general, 'hello');
  await waitFor(() => d!.repos.messages.get(d!.community, later.id), 'a later message');
  expect(await d.repos.channels.canRead(d.community, d.mods, d.mod.id)).toBe(false);
});

it('a channel made moderators-only after a restart drops the members recorded earlier', async () => {
  const community = `discord:${GUILD}`;
  d = await discordCommunity({
    beforeStart: async (repos, clock) => {
      await repos.communities.ensure(community, 'discord', 'Hearth Friends', clock.now());
      // An earlier run: #help was private to a role maya had.
      await repos.channels.upsert(community, { id: CHANNELS.help, name: 'help', visibility: 'private', kind: 'text', memberIds: [USERS.maya.id, USERS.mod.id] }, clock.now());
    },
  });
  const guild = d.fake.guild();
  d.fake.dispatch('CHANNEL_UPDATE', {
    id: d.help, type: 0, name: 'help', guild_id: guild.id, position: 1,
    permission_overwrites: [
      { id: guild.id, type: 0, allow: '0', deny: String(1 << 10) },
      { id: MOD_ROLE, type: 0, allow: String(1 << 10), deny: '0' },
    ],
  });
  const later = d.fake.memberPosts(d.maya, d.general, 'hello');
  await waitFor(() => d!.repos.messages.get(d!.community, later.id), 'a later message');
  expect(await d.repos.channels.canRead(d.community, d.help, d.maya.id)).toBe(false);
  expect(await d.repos.channels.canRead(d.community, d.help, d.mod.id)).toBe(true);
});

it('losing the moderator role is recorded at once (the dashboard checks the stored role on every request)', async () => {
  d = await discordCommunity();
  // The moderator uses a command: Hearth records them as a moderator.
  await d.repos.members.upsert(d.community, { id: d.mod.id, name: 'modsy', isModerator: true }, Date.now());
  const guild = d.fake.guild();
  guild.members = guild.members.map((m) => (m.user.id === d!.mod.id ? { ...m, roles: [] } : m));
  d.fake.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guild.id, user: d.mod, roles: [], joined_at: new Date().toISOString() });
  await waitFor(async () => (await d!.repos.members.get(d!.community, d!.mod.id))?.isModerator === false, 'the role loss recorded');
});
