/**
 * A process killed after Slack took a keyed post and before Hearth recorded it: the restarted
 * companion finds the post by its message metadata (conversations.history with
 * include_all_metadata) and does not send it again. A keyed acknowledgement goes to the
 * member's DM with its key, where it is found the same way; only one that may have been the
 * reply to a command (a response_url, which no history shows) is unknown, and sent again marked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAYBE_REPEAT_NOTE } from '../../src/core/outbox';
import { IDS, slackHarness, type SlackHarness } from './harness';

let t: SlackHarness | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a keyed moderator ping whose outcome a crash left unknown', () => {
  it('is found in the channel by its metadata and not posted again', async () => {
    t = await slackHarness('socket');
    t.clock.set(1_767_600_000_000); // the fake's ts are this hour
    const { core } = t.service.companion;
    const audience = { channelId: IDS.mods, roleIds: [IDS.modGroup] };
    const ping = { text: 'maya asked for a human (request #1)', idempotencyKey: 'escalation:1:ping' };
    // The crashed run: intent written, Slack took the post, nothing recorded.
    await t.repos.outbox.intend(t.community, 'escalation:1:ping', t.clock.now());
    const taken = await core.platform.notifyModerators(t.community, audience, ping);
    expect(t.fake.callsTo('chat.postMessage')[0].metadata).toBeDefined();

    // The restarted run sends it "once".
    const sent = await core.outbox.sendOnce(t.community, 'escalation:1:ping', { kind: 'moderators', audience }, ({ maybeRepeat }) =>
      core.platform.notifyModerators(t!.community, audience, { ...ping, text: maybeRepeat ? `${ping.text}\n${MAYBE_REPEAT_NOTE}` : ping.text }),
    );
    expect(sent).toEqual({ posted: { channelId: IDS.mods, messageId: taken.messageId }, fresh: false });
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
    const lookup = t.fake.callsTo('conversations.history').at(-1)!;
    expect(lookup).toMatchObject({ channel: IDS.mods });
    expect(String(lookup.include_all_metadata)).toBe('true');
    expect(await core.outbox.wasSent(t.community, 'escalation:1:ping')).toBe(true);
  });

  it('a ping that never reached Slack is sent once, unmarked; an acknowledgement that may have been a command reply is unknown', async () => {
    t = await slackHarness('socket');
    t.clock.set(1_767_600_000_000);
    const { core } = t.service.companion;
    const audience = { channelId: IDS.mods, roleIds: [] };
    // Another keyed post in the channel is not this one.
    await core.platform.notifyModerators(t.community, audience, { text: 'other', idempotencyKey: 'escalation:9:ping' });
    expect(await core.platform.findPosted!(t.community, { kind: 'moderators', audience }, 'escalation:1:ping', t.clock.now())).toBe('absent');
    const where = { kind: 'ephemeral' as const, channelId: IDS.general, memberId: IDS.maya };
    expect(await core.platform.findPosted!(t.community, where, 'escalation:1:ack:1', t.clock.now())).toBe('absent');
    expect(await core.platform.findPosted!(t.community, { ...where, interaction: true }, 'escalation:1:ack:1', t.clock.now())).toBe('unknown');
  });

  it('a welcome is found in the channel it was posted in, or in the DM it went to', async () => {
    t = await slackHarness('socket');
    t.clock.set(1_767_600_000_000);
    const { core } = t.service.companion;
    const posted = await core.platform.post(t.community, IDS.general, { text: 'Welcome, maya!', idempotencyKey: 'welcome:maya:welcome' });
    const dm = await core.platform.dm(t.community, IDS.maya, { text: 'Welcome, maya!', idempotencyKey: 'welcome:nia:welcome' });
    expect(await core.platform.findPosted!(t.community, { kind: 'channel', channelId: IDS.general }, 'welcome:maya:welcome', t.clock.now())).toEqual({ channelId: IDS.general, messageId: posted.messageId });
    expect(await core.platform.findPosted!(t.community, { kind: 'channel', channelId: IDS.general }, 'welcome:nia:welcome', t.clock.now())).toBe('absent');
    expect(await core.platform.findPosted!(t.community, { kind: 'dm', memberId: IDS.maya }, 'welcome:nia:welcome', t.clock.now())).toEqual({ channelId: dm.channelId, messageId: dm.messageId });
    expect(await core.platform.findPosted!(t.community, { kind: 'dm', memberId: IDS.maya }, 'welcome:maya:welcome', t.clock.now())).toBe('absent');
  });
});

describe('a keyed acknowledgement whose outcome a crash left unknown', () => {
  it('went to the member’s DM with its key, is found there and not sent again', async () => {
    t = await slackHarness('socket');
    t.clock.set(1_767_600_000_000);
    const { core } = t.service.companion;
    const where = { kind: 'ephemeral' as const, channelId: IDS.general, memberId: IDS.maya };
    const ack = { text: 'request #1 received', idempotencyKey: 'escalation:1:ack:1' };
    // The crashed run: intent written, Slack took the acknowledgement, nothing recorded.
    await t.repos.outbox.intend(t.community, 'escalation:1:ack:1', t.clock.now());
    await core.platform.ephemeral(t.community, IDS.general, IDS.maya, ack);
    expect(t.fake.callsTo('chat.postEphemeral')).toHaveLength(0);
    const [dm] = t.fake.callsTo('chat.postMessage');
    expect(dm).toMatchObject({ channel: t.fake.dmChannelOf(IDS.maya), metadata: { event_type: 'hearth_post', event_payload: { key: 'escalation:1:ack:1' } } });

    const sent = await core.outbox.sendOnce(t.community, 'escalation:1:ack:1', where, ({ maybeRepeat }) =>
      core.platform.ephemeral(t!.community, IDS.general, IDS.maya, { ...ack, text: maybeRepeat ? `${ack.text}\n${MAYBE_REPEAT_NOTE}` : ack.text }),
    );
    expect(sent.fresh).toBe(false);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(t.fake.callsTo('conversations.history').at(-1)).toMatchObject({ channel: t.fake.dmChannelOf(IDS.maya) });
    // An app installed before the im:history scope cannot read the DM: the acknowledgement's
    // fate is unknown (sent again, marked), not an error that would stop it.
    t.fake.fail('conversations.history', 'missing_scope');
    expect(await core.platform.findPosted!(t.community, where, 'escalation:2:ack:1', t.clock.now())).toBe('unknown');
    // A keyless ephemeral message stays in the channel.
    await core.platform.ephemeral(t.community, IDS.general, IDS.maya, { text: 'only you see this' });
    expect(t.fake.callsTo('chat.postEphemeral')).toHaveLength(1);
  });
});
