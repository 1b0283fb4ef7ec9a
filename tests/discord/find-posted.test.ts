/**
 * A process killed after Discord took a keyed post and before Hearth recorded it: the restarted
 * companion finds the post by its nonce among the bot's recent messages where it went (the
 * moderator channel, or the member's DM for an acknowledgement) and does not send it again,
 * also after Discord's nonce de-duplication (a few minutes) has run out. A reply to a command
 * shows in no history: not found, it is unknown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAYBE_REPEAT_NOTE } from '../../src/core/outbox';
import { MINUTE } from '../../src/core/clock';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;

/** What the bot posted in its DM with a member (the lookups open the DM channel, posting nothing). */
const dmsTo = (d: DiscordCommunity, memberId: string): string[] => {
  const dm = d.fake.dmChannelWith(memberId);
  return dm ? d.fake.messagesIn(dm).map((m) => m.content) : [];
};
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe('a keyed post whose outcome a crash left unknown', () => {
  it('a moderator ping is found in the moderator channel and not posted again', async () => {
    d = await discordCommunity();
    const { core } = d.service.companion;
    const audience = { channelId: d.mods, roleIds: [] };
    const ping = { text: 'maya asked for a human (request #1)', idempotencyKey: 'escalation:1:ping' };
    await d.repos.outbox.intend(d.community, 'escalation:1:ping', d.clock.now());
    const taken = await core.platform.notifyModerators(d.community, audience, ping);
    // The restart comes after Discord's nonce de-duplication ran out: only the lookup keeps the ping single.
    d.fake.forgetNonces();
    await d.restart();
    const { core: restarted } = d.service.companion;
    const sent = await restarted.outbox.sendOnce(d.community, 'escalation:1:ping', { kind: 'moderators', audience }, ({ maybeRepeat }) =>
      restarted.platform.notifyModerators(d!.community, audience, { ...ping, text: maybeRepeat ? `${ping.text}\n${MAYBE_REPEAT_NOTE}` : ping.text }),
    );
    expect(sent.fresh).toBe(false);
    expect(sent.posted?.messageId).toBe(taken.messageId);
    expect(d.fake.messagesIn(d.mods)).toHaveLength(1);
  });

  it('an acknowledgement goes to the DM, where it is found; one that may have been a command reply is unknown', async () => {
    d = await discordCommunity();
    const { core } = d.service.companion;
    const where = { kind: 'ephemeral' as const, channelId: d.general, memberId: d.maya.id };
    await core.platform.ephemeral(d.community, d.general, d.maya.id, { text: 'request #1 received', idempotencyKey: 'escalation:1:ack:1' });
    const found = await core.platform.findPosted!(d.community, where, 'escalation:1:ack:1', d.clock.now());
    expect(found).toMatchObject({ messageId: expect.any(String) });
    expect(await core.platform.findPosted!(d.community, where, 'escalation:2:ack:1', d.clock.now())).toBe('absent');
    expect(await core.platform.findPosted!(d.community, { ...where, interaction: true }, 'escalation:2:ack:1', d.clock.now())).toBe('unknown');
    expect(await core.platform.findPosted!(d.community, { kind: 'moderators', audience: {} }, 'escalation:2:ping', d.clock.now())).toBe('absent');
  });

  it('a welcome is found in the channel it was posted in, or in the DM it went to', async () => {
    d = await discordCommunity();
    const { core } = d.service.companion;
    const posted = await core.platform.post(d.community, d.general, { text: 'Welcome, maya!', idempotencyKey: 'welcome:maya:welcome' });
    const dm = await core.platform.dm(d.community, d.maya.id, { text: 'Welcome, maya!', idempotencyKey: 'welcome:nia:welcome' });
    d.fake.forgetNonces();
    expect(await core.platform.findPosted!(d.community, { kind: 'channel', channelId: d.general }, 'welcome:maya:welcome', d.clock.now())).toMatchObject({ messageId: posted.messageId });
    expect(await core.platform.findPosted!(d.community, { kind: 'channel', channelId: d.general }, 'welcome:nia:welcome', d.clock.now())).toBe('absent');
    expect(await core.platform.findPosted!(d.community, { kind: 'dm', memberId: d.maya.id }, 'welcome:nia:welcome', d.clock.now())).toMatchObject({ messageId: dm.messageId });
    expect(await core.platform.findPosted!(d.community, { kind: 'dm', memberId: d.maya.id }, 'welcome:maya:welcome', d.clock.now())).toBe('absent');
  });
});

describe('a command reply looked up with its interaction token (GET /webhooks/{application}/{token}/messages/@original)', () => {
  const lookup = (d: DiscordCommunity, replyToken: string) =>
    d.service.companion.core.platform.findPosted!(d.community, { kind: 'ephemeral', channelId: d.general, memberId: d.maya.id, interaction: true, replyToken }, 'escalation:1:ack:1', d.clock.now());

  it('a reply Discord took is found, and nothing is sent', async () => {
    d = await discordCommunity();
    const token = d.fake.pastInteraction(d.maya, d.general, { replied: 'request #1 received' });
    expect(await lookup(d, token)).toMatchObject({ channelId: d.general, messageId: expect.any(String) });
    const asked = d.fake.requestsTo('GET', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/);
    expect(asked).toHaveLength(1);
    expect(asked[0].auth).toBeUndefined(); // the token is the credential: no bot authorization
  });

  it('a deferral still "thinking…" is edited into the acknowledgement, not answered with a DM', async () => {
    d = await discordCommunity();
    const token = d.fake.pastInteraction(d.maya, d.general, 'deferred');
    expect(await lookup(d, token)).toBe('absent');
    await d.service.companion.core.platform.ephemeral(d.community, d.general, d.maya.id, { text: 'request #1 received', idempotencyKey: 'escalation:1:ack:1' }, { replyToken: token });
    expect(d.fake.originalResponse(token)).toMatchObject({ content: 'request #1 received' });
    expect(d.fake.originalResponse(token)!.flags & 128).toBe(0);
    expect(dmsTo(d, d.maya.id)).toEqual([]);
    expect(await lookup(d, token)).toMatchObject({ messageId: expect.any(String) });
  });

  it('an interaction never answered is absent: the acknowledgement goes to the DM, as a first send', async () => {
    d = await discordCommunity();
    const token = d.fake.pastInteraction(d.maya, d.general, 'none');
    expect(await lookup(d, token)).toBe('absent');
    await d.service.companion.core.platform.ephemeral(d.community, d.general, d.maya.id, { text: 'request #1 received', idempotencyKey: 'escalation:1:ack:1' }, { replyToken: token });
    const dm = d.fake.dmChannelWith(d.maya.id)!;
    expect(d.fake.messagesIn(dm).map((m) => m.content)).toEqual(['request #1 received']);
  });

  it('an expired token cannot tell: unknown', async () => {
    d = await discordCommunity();
    const token = d.fake.pastInteraction(d.maya, d.general, { replied: 'request #1 received' });
    d.fake.expireInteraction(token);
    expect(await lookup(d, token)).toBe('unknown');
  });
});

describe('/human whose reply Discord took, then the process stopped before recording it', () => {
  it('the restarted companion finds the reply with the stored token: no DM, no "possible repeat", and the token is deleted', async () => {
    d = await discordCommunity();
    // Discord takes the reply, and the answer never comes back: `delivered` is never recorded.
    d.fake.stallNext('POST', /^\/interactions\/\d+\/[^/]+\/callback$/);
    const token = d.fake.slashCommand(d.maya, d.general, 'human', [{ name: 'reason', type: 3, value: 'I was charged twice' }]);
    await waitFor(() => d!.fake.originalResponse(token)?.content.includes('request #1') || undefined, 'the reply Discord took');
    expect(await d.repos.outbox.get(d.community, 'escalation:1:ack:1')).toMatchObject({ sentAt: null, replyToken: token });
    await d.restart();
    d.clock.advance(2 * MINUTE);
    await d.service.companion.runDueTasks();
    expect(dmsTo(d, d.maya.id)).toEqual([]);
    expect(d.messageBodies().some((r) => JSON.stringify(r.body).includes('Sent again after a restart'))).toBe(false);
    expect(await d.repos.outbox.get(d.community, 'escalation:1:ack:1')).toMatchObject({ sentAt: expect.any(Number), replyToken: null, replyTokenUntil: null });
  });
});
