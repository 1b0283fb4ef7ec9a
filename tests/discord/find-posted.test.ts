/**
 * A process killed after Discord took a keyed post and before Hearth recorded it: the restarted
 * companion finds the post by its nonce among the bot's recent messages where it went (the
 * moderator channel, or the member's DM for an acknowledgement) and does not send it again,
 * also after Discord's nonce de-duplication (a few minutes) has run out. A reply to a command
 * shows in no history: not found, it is unknown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAYBE_REPEAT_NOTE } from '../../src/core/outbox';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
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
});
