/**
 * Who can read a private channel is recorded as membership. A member who leaves the server
 * (or is kicked or banned) loses every role; if they come back, they come back without them.
 */
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

it('a moderator removed from the server and rejoining as a member no longer reads the moderator channel', async () => {
  d = await discordCommunity();
  const guild = d.fake.guild();
  const secret = d.fake.memberPosts(d.mod, d.mods, 'staff only: the ban list for next week');
  await waitFor(() => d!.repos.messages.get(d!.community, secret.id), 'the moderator message');
  expect(await d.repos.channels.canRead(d.community, d.mods, d.mod.id)).toBe(true);

  // Kicked: GUILD_MEMBER_REMOVE. Then they rejoin with no roles.
  guild.members = guild.members.filter((m) => m.user.id !== d!.mod.id);
  d.fake.dispatch('GUILD_MEMBER_REMOVE', { guild_id: guild.id, user: d.mod });
  d.fake.memberJoins(d.mod);
  await waitFor(async () => (await d!.repos.members.get(d!.community, d!.mod.id))?.joinedAt, 'the rejoin');
  // A later event, handled after the two above.
  const later = d.fake.memberPosts(d.maya, d.general, 'hello again');
  await waitFor(() => d!.repos.messages.get(d!.community, later.id), 'a later message');
  expect(await d.repos.channels.canRead(d.community, d.mods, d.mod.id)).toBe(false);
  expect(await d.repos.channels.canRead(d.community, d.general, d.mod.id)).toBe(true);
});
