import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { discordCommunity, MOD_ROLE, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe('discord adapter: taking a reaction back', () => {
  it('a removed ➕ reaches the core and the member no longer counts as "same here"', async () => {
    d = await discordCommunity();
    const sent = d.fake.memberPosts(d.maya, d.general, 'Is the checkout broken for anyone else? I get a 502');
    await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message');
    const reaction = { user_id: d.mod.id, channel_id: d.general, message_id: sent.id, guild_id: '100000000000000001', emoji: { id: null, name: '➕' }, burst: false, type: 0 };
    d.fake.dispatch('MESSAGE_REACTION_ADD', { ...reaction, member: d.fake.memberPayload({ user: d.mod, roles: [MOD_ROLE] }) });
    await waitFor(async () => (await d!.repos.sameHere.count(d!.community, sent.id)) === 1, 'the same-here to be counted');
    d.fake.dispatch('MESSAGE_REACTION_REMOVE', reaction);
    await waitFor(async () => (await d!.repos.sameHere.count(d!.community, sent.id)) === 0, 'the same-here to be taken back');
    expect(await d.repos.sameHere.count(d.community, sent.id)).toBe(0);
  });
});
