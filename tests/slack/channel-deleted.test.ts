/**
 * Deleting a Slack channel deletes its messages, but Slack sends only channel_deleted
 * (group_deleted for a private channel), never message_deleted per message.
 */
import { afterEach, expect, it } from 'vitest';
import { IDS, slackHarness, type SlackHarness } from './harness';
import { BOT_EVENTS } from '../../src/platforms/slack/manifest';

let t: SlackHarness;
afterEach(async () => {
  await t?.close();
});

it('a deleted channel takes its messages out of Hearth; other channels keep theirs', async () => {
  t = await slackHarness('socket');
  expect(BOT_EVENTS).toEqual(expect.arrayContaining(['channel_deleted', 'group_deleted']));
  const root = await t.say(IDS.maya, 'my card ending 4242 was charged twice', { channel: IDS.help });
  const reply = await t.say(IDS.mod, 'refunded', { channel: IDS.help, thread_ts: root });
  const secret = await t.say(IDS.mod, 'staff only', { channel: IDS.staff });
  const kept = await t.say(IDS.maya, 'hello', { channel: IDS.general });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.general, kept))).toBeDefined());

  await t.event({ type: 'channel_deleted', channel: IDS.help });
  await t.event({ type: 'group_deleted', channel: IDS.staff });
  const later = await t.say(IDS.maya, 'still here', { channel: IDS.general });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.general, later))).toBeDefined());
  expect(await t.repos.messages.get(t.community, t.id(IDS.help, root))).toBeUndefined();
  expect(await t.repos.messages.get(t.community, t.id(IDS.help, reply))).toBeUndefined();
  expect(await t.repos.messages.get(t.community, t.id(IDS.staff, secret))).toBeUndefined();
  expect(await t.repos.messages.get(t.community, t.id(IDS.general, kept))).toBeDefined();
  expect(t.database.sqlite.prepare("SELECT count(*) FROM related_fts WHERE related_fts MATCH 'charged'").pluck().get()).toBe(0);
});
