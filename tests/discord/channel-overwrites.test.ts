/**
 * Who can read a channel follows Discord's permission model: a channel @everyone can view is
 * still closed to a role or member its overwrites deny, role permission edits change access,
 * and so do changes made while Hearth was down. Driven through the real discord.js client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import type { FakeGuild, FakeUser } from '../fakes/discord/server';
import { waitFor } from '../helpers/wait';
import { CHANNELS, discordCommunity, GUILD, MOD_ROLE, USERS, type CommunityOptions, type DiscordCommunity } from './setup';

const VIEW = String(1n << 10n);
const ADMINISTRATOR = String(1n << 3n);
/** SendMessages | ReadMessageHistory: @everyone without ViewChannel. */
const EVERYONE_WITHOUT_VIEW = String((1n << 11n) | (1n << 16n));
const MUTED = '120000000000000002';
const HELPER = '120000000000000003';
const MEMBER = '120000000000000004';
const LOUNGE = '110000000000000004';
const LOUNGE_THREAD = '110000000000000005';
/** Where `settled` posts: a channel no test changes, so its message updates nothing else. */
const BARRIER = '110000000000000006';
const rex: FakeUser = { id: '130000000000000005', username: 'rex' }; // holds the muted role
const kit: FakeUser = { id: '130000000000000006', username: 'kit' }; // holds the helper role

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

/** The test server plus #lounge (overwrites given), its thread, and the roles and members above. */
function community(loungeOverwrites: NonNullable<FakeGuild['channels'][number]['permission_overwrites']>, options: CommunityOptions = {}) {
  return discordCommunity({
    ...options,
    guild: (guild) => {
      guild.roles.push({ id: MUTED, name: 'Muted', permissions: '0' }, { id: HELPER, name: 'Helpers', permissions: '0' }, { id: MEMBER, name: 'Member', permissions: VIEW });
      guild.channels.push(
        { id: LOUNGE, type: 0, name: 'lounge', permission_overwrites: loungeOverwrites },
        { id: LOUNGE_THREAD, type: 11, name: 'lounge thread', parent_id: LOUNGE },
        { id: BARRIER, type: 0, name: 'barrier' },
      );
      guild.members.push({ user: rex, roles: [MUTED] }, { user: kit, roles: [HELPER] });
      options.guild?.(guild);
    },
  });
}

/** Everything sent so far has been handled: a later message has been stored. */
async function settled(d: DiscordCommunity) {
  const later = d.fake.memberPosts(d.owner, BARRIER, 'later');
  await waitFor(() => d.repos.messages.get(d.community, later.id), 'a later message');
}

async function posted(d: DiscordCommunity, user: FakeUser, channelId: string, text: string) {
  const sent = d.fake.memberPosts(user, channelId, text);
  await waitFor(() => d.repos.messages.get(d.community, sent.id), `"${text}" stored`);
  return sent;
}

/** /related as `user` in #general: the answer's text. */
async function related(d: DiscordCommunity, user: FakeUser, question: string): Promise<string> {
  const token = d.fake.slashCommand(user, d.general, 'related', [{ name: 'question', type: 3, value: question }]);
  const edit = await waitFor(() => d.fake.interactionCalls(token).find((c) => c.method === 'PATCH'), `the answer to ${user.username}`);
  return String(edit.body.content);
}

const link = (channelId: string, messageId: string) => `https://discord.com/channels/${GUILD}/${channelId}/${messageId}`;

describe('discord: channel permission overwrites', () => {
  it('a role or member denied a channel @everyone can view gets none of its text (nor its threads\') from /related; others do', async () => {
    d = await community([
      { id: MUTED, type: 0, allow: '0', deny: VIEW },
      { id: USERS.maya.id, type: 1, allow: '0', deny: VIEW },
    ]);
    const question = await posted(d, d.mod, LOUNGE, 'How do I export my calendar to a CSV file?');
    const inThread = await posted(d, d.mod, LOUNGE_THREAD, 'Importing contacts from a spreadsheet keeps failing');
    d.clock.advance(3 * DAY);
    for (const denied of [rex, d.maya]) {
      const answer = await related(d, denied, 'export calendar to csv');
      expect(answer).not.toContain(LOUNGE);
      expect(await related(d, denied, 'importing contacts spreadsheet failing')).not.toContain(LOUNGE_THREAD);
    }
    expect(await related(d, kit, 'export calendar to csv')).toContain(link(LOUNGE, question.id));
    expect(await related(d, kit, 'importing contacts spreadsheet failing')).toContain(link(LOUNGE_THREAD, inThread.id));
    expect(await d.repos.channels.isPublic(d.community, LOUNGE)).toBe(false);
  });

  it('a member Hearth had not cached (a large server) is recorded as a reader when they ask, and gets the results', async () => {
    const zed: FakeUser = { id: '130000000000000007', username: 'zed' }; // in no GUILD_CREATE member list
    d = await community([{ id: MUTED, type: 0, allow: '0', deny: VIEW }]);
    const question = await posted(d, d.mod, LOUNGE, 'How do I export my calendar to a CSV file?');
    d.clock.advance(3 * DAY);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, zed.id)).toBe(false);
    expect(await related(d, zed, 'export calendar to csv')).toContain(link(LOUNGE, question.id));
  });

  it('a member given a denied role loses the channel; a newcomer without it can read it', async () => {
    d = await community([{ id: MUTED, type: 0, allow: '0', deny: VIEW }]);
    await posted(d, d.mod, LOUNGE, 'welcome to the lounge');
    expect(await d.repos.channels.canRead(d.community, LOUNGE, kit.id)).toBe(true);
    const guild = d.fake.guild();
    d.fake.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guild.id, user: kit, roles: [HELPER, MUTED], joined_at: new Date().toISOString() });
    const newcomer = d.newcomer;
    d.fake.memberJoins(newcomer);
    await settled(d);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, kit.id)).toBe(false);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, newcomer.id)).toBe(true);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, rex.id)).toBe(false);
  });
});

describe('discord: role permission edits', () => {
  const roleUpdate = (d: DiscordCommunity, id: string, name: string, permissions: string) =>
    d.fake.dispatch('GUILD_ROLE_UPDATE', {
      guild_id: GUILD,
      role: { id, name, permissions, color: 0, hoist: false, managed: false, mentionable: false, position: 1, flags: 0 },
    });

  it('granting a role Administrator opens moderator-only channels to its holders; taking it back closes them', async () => {
    d = await community([]);
    await posted(d, d.mod, d.mods, 'staff only: the ban list for next week');
    expect(await d.repos.channels.canRead(d.community, d.mods, kit.id)).toBe(false);
    roleUpdate(d, HELPER, 'Helpers', ADMINISTRATOR);
    await settled(d);
    expect(await d.repos.channels.canRead(d.community, d.mods, kit.id)).toBe(true);
    expect(await d.repos.channels.canRead(d.community, d.mods, rex.id)).toBe(false);
    roleUpdate(d, HELPER, 'Helpers', '0');
    await settled(d);
    expect(await d.repos.channels.canRead(d.community, d.mods, kit.id)).toBe(false);
  });

  it('deleting a role its channel overwrite denied gives its former holders the channel', async () => {
    d = await community([{ id: MUTED, type: 0, allow: '0', deny: VIEW }]);
    await posted(d, d.mod, LOUNGE, 'welcome to the lounge');
    expect(await d.repos.channels.canRead(d.community, LOUNGE, rex.id)).toBe(false);
    d.fake.dispatch('GUILD_ROLE_DELETE', { guild_id: GUILD, role_id: MUTED });
    await settled(d);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, rex.id)).toBe(true);
  });

  it('@everyone losing View Channels makes the server members-only: only holders of a role that grants it read on', async () => {
    d = await community([], { guild: (guild) => (guild.members.find((m) => m.user.id === USERS.maya.id)!.roles = [MEMBER]) });
    await posted(d, d.mod, d.general, 'the roadmap for next month');
    expect(await d.repos.channels.canRead(d.community, d.general, kit.id)).toBe(true);
    roleUpdate(d, GUILD, '@everyone', EVERYONE_WITHOUT_VIEW);
    await settled(d);
    expect(await d.repos.channels.canRead(d.community, d.general, kit.id)).toBe(false);
    expect(await d.repos.channels.canRead(d.community, d.general, d.maya.id)).toBe(true);
  });
});

describe('discord: changes made while Hearth was down', () => {
  it('are applied from the GUILD_CREATE after a restart: new denies, role edits, channels made public', async () => {
    d = await community([]);
    // #help starts moderators-only; #lounge starts open to all.
    const guild = d.fake.guild();
    await posted(d, d.mod, LOUNGE, 'How do I export my calendar to a CSV file?');
    await posted(d, d.mod, d.mods, 'staff only: the ban list for next week');
    d.fake.dispatch('CHANNEL_UPDATE', {
      id: d.help, type: 0, name: 'help', guild_id: guild.id, position: 1,
      permission_overwrites: [{ id: guild.id, type: 0, allow: '0', deny: VIEW }, { id: MOD_ROLE, type: 0, allow: VIEW, deny: '0' }],
    });
    await posted(d, d.mod, d.help, 'moderators discuss the help rota');
    expect(await d.repos.channels.canRead(d.community, d.help, kit.id)).toBe(false);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, rex.id)).toBe(true);

    await d.restart((g) => {
      g.channels.find((c) => c.id === LOUNGE)!.permission_overwrites = [{ id: MUTED, type: 0, allow: '0', deny: VIEW }];
      g.channels.find((c) => c.id === CHANNELS.help)!.permission_overwrites = [];
      g.roles.find((r) => r.id === HELPER)!.permissions = ADMINISTRATOR;
    });
    await settled(d);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, rex.id)).toBe(false);
    expect(await d.repos.channels.canRead(d.community, LOUNGE, d.maya.id)).toBe(true);
    expect(await d.repos.channels.canRead(d.community, d.mods, kit.id)).toBe(true);
    expect(await d.repos.channels.canRead(d.community, d.help, kit.id)).toBe(true);
    expect(await d.repos.channels.isPublic(d.community, d.help)).toBe(true);
    d.clock.advance(3 * DAY);
    expect(await related(d, rex, 'export calendar to csv')).not.toContain(LOUNGE);
  });
});
