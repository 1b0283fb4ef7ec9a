/**
 * The Slack Platform port and generic wiring, over Socket Mode: output calls (threads, DMs,
 * files, reactions, fallbacks) and the App Home built from whatever commands exist.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands';
import { defineCommand } from '../../commands/define';
import { slackTs } from '../../src/platforms/slack/ids';
import { IDS, slackHarness, type SlackHarness } from './harness';

describe('Slack Platform port', () => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  const port = () => t.service.companion.core.platform;

  it('replies in the root thread, even when asked to reply to a reply', async () => {
    t = await slackHarness('socket');
    const root = await t.say(IDS.maya, 'question', { channel: IDS.help });
    const reply = await t.say(IDS.mod, 'answer', { channel: IDS.help, thread_ts: root });
    await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.help, reply))).toBeDefined());
    const posted = await port().reply(t.community, { channelId: IDS.help, messageId: t.id(IDS.help, reply) }, { text: 'thanks **both**' });
    const call = t.fake.callsTo('chat.postMessage').at(-1)!;
    expect(call.thread_ts).toBe(root);
    expect(call.text).toBe('thanks *both*');
    // Hearth's id of a posted message is its channel and ts.
    expect(posted.channelId).toBe(IDS.help);
    expect(posted.messageId).toMatch(new RegExp(`^${IDS.help}/\\d+\\.\\d+$`));
  });

  it('uploads attachments with files.uploadV2 in the thread of their message', async () => {
    t = await slackHarness('socket');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const posted = await port().post(t.community, IDS.mods, {
      text: 'Weekly pulse',
      label: 'Digest',
      attachments: [{ name: 'pulse.png', contentType: 'image/png', data: png }],
    });
    expect(t.fake.uploads).toHaveLength(1);
    expect(t.fake.uploads[0].body.includes(png)).toBe(true);
    const [complete] = t.fake.callsTo('files.completeUploadExternal');
    expect(complete.channel_id).toBe(IDS.mods);
    expect(posted.messageId.startsWith(`${IDS.mods}/`)).toBe(true);
    expect(complete.thread_ts).toBe(slackTs(posted.messageId));
    const message = t.fake.callsTo('chat.postMessage').at(-1)!;
    expect(JSON.stringify(message.blocks)).toContain('_Digest_');
  });

  it('DMs through conversations.open; ephemeral falls back to a DM when the member cannot see the channel', async () => {
    t = await slackHarness('socket');
    await port().dm(t.community, IDS.maya, { text: 'hello <@U0MAYA>', mentionUsers: [IDS.maya] });
    expect(t.fake.callsTo('conversations.open')[0].users).toBe(IDS.maya);
    expect(t.fake.callsTo('chat.postMessage').at(-1)).toMatchObject({ channel: t.fake.dmChannelOf(IDS.maya), text: 'hello <@U0MAYA>' });

    await port().ephemeral(t.community, IDS.staff, IDS.outsider, { text: 'only for you' });
    expect(t.fake.callsTo('chat.postEphemeral').at(-1)).toMatchObject({ channel: IDS.staff, user: IDS.outsider });
    expect(t.fake.callsTo('chat.postMessage').at(-1)).toMatchObject({ channel: t.fake.dmChannelOf(IDS.outsider), text: 'only for you' });
  });

  it('reacts by Slack emoji name, edits with blocks that drop old buttons, and links messages', async () => {
    t = await slackHarness('socket');
    await port().react(t.community, { channelId: IDS.general, messageId: t.id(IDS.general, '1.000001') }, '➕');
    expect(t.fake.callsTo('reactions.add')[0]).toMatchObject({ name: 'heavy_plus_sign', timestamp: '1.000001' });
    await port().edit(t.community, { channelId: IDS.general, messageId: t.id(IDS.general, '1.000002') }, { text: 'done', buttons: [] });
    const update = t.fake.callsTo('chat.update')[0];
    expect(update.ts).toBe('1.000002');
    expect(update.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'done' } }]);
    expect(await port().permalink(t.community, { channelId: IDS.general, messageId: t.id(IDS.general, '1.000003') })).toMatch(/archives\/C0GENERAL\/p1000003$/);
    // An id stored before channel-qualified ids (a bare ts) still reaches Slack as itself.
    await port().react(t.community, { channelId: IDS.general, messageId: '1.000004' }, '➕');
    expect(t.fake.callsTo('reactions.add')[1]).toMatchObject({ timestamp: '1.000004' });
    t.fake.fail('chat.getPermalink', 'message_not_found');
    expect(await port().permalink(t.community, { channelId: IDS.general, messageId: '9.9' })).toBeUndefined();
  });

  it('names members it must not ping (looked up once), and keeps channel links', async () => {
    t = await slackHarness('socket');
    await port().post(t.community, IDS.general, { text: '<@U0OWNER> answered in <#C0HELP> — thanks <@U0MAYA>!', mentionUsers: [IDS.maya] });
    expect(t.fake.callsTo('chat.postMessage').at(-1)!.text).toBe('@owner answered in <#C0HELP> — thanks <@U0MAYA>!');
    await port().post(t.community, IDS.general, { text: '<@U0OWNER> again' });
    expect(t.fake.callsTo('users.info').filter((c) => c.user === IDS.owner)).toHaveLength(1);
  });

  it('notifyModerators mentions only user groups and people, never anything else', async () => {
    t = await slackHarness('socket');
    await port().notifyModerators(t.community, { channelId: IDS.mods, roleIds: [IDS.modGroup, 'here', '<!channel>'], userIds: [IDS.owner] }, { text: 'look' });
    expect(t.fake.callsTo('chat.postMessage').at(-1)!.text).toBe(`<!subteam^${IDS.modGroup}> <@${IDS.owner}> look`);
  });

  it('maps reactions to the core with Unicode emoji', async () => {
    t = await slackHarness('socket');
    const handle = vi.spyOn(t.service.companion, 'handle');
    const ts = await t.say(IDS.maya, 'the app is down', { channel: IDS.help });
    await t.react(IDS.mod, IDS.help, ts, 'heavy_plus_sign::skin-tone-2');
    const event = await t.eventually(() => {
      const found = handle.mock.calls.map(([e]) => e as { type: string }).find((e) => e.type === 'reaction_added');
      expect(found).toBeDefined();
      return found;
    });
    expect(event).toMatchObject({ community: t.community, channelId: IDS.help, messageId: t.id(IDS.help, ts), emoji: '➕', member: { id: IDS.mod, isModerator: true } });
  });
});

describe('Slack App Home is generic over commands/', () => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  it('shows what the pulse and care-policy commands answer, when they exist', async () => {
    const carePolicy = defineCommand({
      name: 'care-policy', description: 'How we look after each other', options: [], access: 'everyone',
      async run() {
        return { visibility: 'ephemeral', text: '**Humans lead** on billing & safety. <!channel>' };
      },
    });
    const pulse = defineCommand({
      name: 'pulse', description: 'Community health', options: [], access: 'moderator',
      async run() {
        return { visibility: 'ephemeral', text: 'Welcome ratio: 0.8' };
      },
    });
    t = await slackHarness('socket', { commands: [...commands.filter((c) => c.name !== 'care-policy' && c.name !== 'pulse'), carePolicy, pulse] });
    await t.event({ type: 'app_home_opened', user: IDS.mod, channel: 'D0MOD', tab: 'home' });
    const view = await t.eventually(() => {
      const found = t.fake.views.find((v) => v.user_id === IDS.mod);
      expect(found).toBeDefined();
      return JSON.stringify(found);
    });
    expect(view).toContain('Welcome ratio: 0.8');
    // The core's guard made the mass mention inert before Slack escaping; neither form pings.
    expect(view).toContain('*Humans lead* on billing &amp; safety. @\u200bchannel');
    expect(view).not.toContain('<!channel>');
    // The extra commands are registered as slash commands too.
    const { responseId } = await t.command(IDS.maya, 'pulse', '');
    await t.eventually(() => expect(t.fake.responses.find((r) => r.id === responseId)?.body.text).toMatch(/for moderators/));
  });
});

describe('Slack start-up', () => {
  it('fails with Slack\'s own error when the bot token is wrong, and names missing settings', async () => {
    await expect(slackHarness('socket', { env: { SLACK_BOT_TOKEN: 'xoxb-wrong' } })).rejects.toThrow(/invalid_auth/);
    await expect(slackHarness('socket', { env: { SLACK_APP_TOKEN: 'xapp-wrong' } })).rejects.toThrow(/invalid_auth/);
    await expect(slackHarness('socket', { env: { SLACK_APP_TOKEN: '' } })).rejects.toThrow(/SLACK_APP_TOKEN: Socket Mode needs an app-level token/);
    await expect(slackHarness('http', { env: { SLACK_SIGNING_SECRET: '' } })).rejects.toThrow(/SLACK_SIGNING_SECRET/);
  });
});
