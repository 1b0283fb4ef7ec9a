/**
 * Slack names new private channels with C ids too (the G prefix is legacy), so whether a
 * channel is private can only come from Slack: conversations.info, or the event's own
 * channel_type. When conversations.info fails, the event must still decide.
 */
import { afterEach, expect, it } from 'vitest';
import { IDS, slackHarness, type SlackHarness } from './harness';

let t: SlackHarness;
afterEach(async () => {
  await t?.close();
});

it('a message in a private channel with a C id stays private when conversations.info fails', async () => {
  t = await slackHarness('socket');
  t.fake.addChannel({ id: 'C0SECRETS', name: 'secret', is_private: true, members: [IDS.mod, IDS.maya] });
  t.fake.fail('conversations.info', 'internal_error');
  const ts = await t.say(IDS.mod, 'the layoffs are planned for March', { channel: 'C0SECRETS' });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id('C0SECRETS', ts))).toBeDefined());
  expect((await t.repos.channels.get(t.community, 'C0SECRETS'))?.visibility).toBe('private');
  expect(await t.repos.channels.canRead(t.community, 'C0SECRETS', IDS.outsider)).toBe(false);
});

it('a public channel stays public when conversations.info fails', async () => {
  t = await slackHarness('socket');
  t.fake.fail('conversations.info', 'internal_error');
  const ts = await t.say(IDS.maya, 'how do I export my data?', { channel: IDS.help });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.help, ts))).toBeDefined());
  expect((await t.repos.channels.get(t.community, IDS.help))?.visibility).toBe('public');
});

it('a member who left a private channel while no event said so loses access once Slack lists its members again', async () => {
  t = await slackHarness('socket', { cacheTtlMs: 0 });
  const before = await t.say(IDS.mod, 'staff only: budget draft', { channel: IDS.staff });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.staff, before))).toBeDefined());
  expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.maya)).toBe(true);
  // Maya is removed from #staff while Hearth is not listening: no member_left_channel arrives.
  t.fake.channels.get(IDS.staff)!.members = [IDS.mod];
  const after = await t.say(IDS.mod, 'staff only: final numbers', { channel: IDS.staff });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.staff, after))).toBeDefined());
  expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.maya)).toBe(false);
  expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.mod)).toBe(true);
});

it('a member list Slack could not give in full removes nobody', async () => {
  t = await slackHarness('socket', { cacheTtlMs: 0 });
  const before = await t.say(IDS.mod, 'staff only: budget draft', { channel: IDS.staff });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.staff, before))).toBeDefined());
  t.fake.fail('conversations.members', 'internal_error');
  const after = await t.say(IDS.mod, 'staff only: final numbers', { channel: IDS.staff });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.staff, after))).toBeDefined());
  expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.maya)).toBe(true);
});
