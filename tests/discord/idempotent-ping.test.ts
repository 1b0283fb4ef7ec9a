/**
 * A ping sent again after a crash (its outcome unknown) carries the same enforced nonce as the
 * first attempt, so Discord answers with the message it already created instead of a second one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe('a moderator ping with an idempotency key', () => {
  it('is posted once however often it is sent again', async () => {
    d = await discordCommunity();
    const audience = { channelId: d.mods, roleIds: [] };
    const message = { text: 'maya asked for a human (request #1)', idempotencyKey: 'escalation:1:ping' };
    const first = await d.service.platform.notifyModerators(d.community, audience, message);
    const again = await d.service.platform.notifyModerators(d.community, audience, message);
    expect(again.messageId).toBe(first.messageId);
    expect(d.fake.messagesIn(d.mods)).toHaveLength(1);
    // Another post (another key, or none) is a message of its own.
    await d.service.platform.notifyModerators(d.community, audience, { ...message, idempotencyKey: 'escalation:1:reping' });
    await d.service.platform.notifyModerators(d.community, audience, { text: 'no key' });
    await d.service.platform.notifyModerators(d.community, audience, { text: 'no key' });
    expect(d.fake.messagesIn(d.mods)).toHaveLength(4);
  });
});
