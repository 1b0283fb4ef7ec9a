/**
 * The core features through the real discord.js client: what a member sees on Discord when
 * they say "same here" or ask /related.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { waitFor } from '../helpers/wait';
import { discordCommunity, GUILD, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const CALLBACK = { reply: 4, deferredReply: 5 };
const replyTo = (d: DiscordCommunity, id: string, channelId: string) => ({
  type: 19,
  message_reference: { message_id: id, channel_id: channelId, guild_id: GUILD },
});

describe('discord adapter: features end to end', () => {
  it('a message is stored and indexed; "same here" replies get one acknowledgement, edited as the count grows', async () => {
    d = await discordCommunity();
    const question = d.fake.memberPosts(d.maya, d.help, 'Is the dashboard blank for anyone else since this morning?');
    await waitFor(() => d!.repos.messages.get(d!.community, question.id), 'the question stored');
    d.fake.memberPosts(d.owner, d.help, 'same here', replyTo(d, question.id, d.help));
    const ack = await waitFor(
      () => d!.fake.messagesIn(d!.help).find((m) => /not alone/i.test(m.content)),
      'the same-here acknowledgement',
    );
    expect(ack.content).toMatch(/1 member/);
    d.fake.memberPosts(d.newcomer, d.help, 'me too', replyTo(d, question.id, d.help));
    const edit = await waitFor(
      () => d!.fake.requestsTo('PATCH', new RegExp(`/channels/${d!.help}/messages/${ack.id}$`)).find((r) => /2 members/.test(String(r.body?.content))),
      'the acknowledgement edited in place',
    );
    expect(edit.body.allowed_mentions.parse).toEqual([]);
    expect(d.fake.messagesIn(d.help).filter((m) => /not alone/i.test(m.content))).toHaveLength(1);
    expect(await d.repos.sameHere.count(d.community, question.id)).toBe(2);
  });

  it('/related is deferred, then the answer is edited in with the past discussion and its link', async () => {
    d = await discordCommunity();
    const past = d.fake.memberPosts(d.mod, d.help, 'How do I export my calendar to a CSV file?');
    d.fake.memberPosts(d.owner, d.help, 'Settings, then Export, then choose CSV for the calendar', replyTo(d, past.id, d.help));
    await waitFor(async () => (await d!.repos.messages.inDiscussion(d!.community, past.id)).length === 2 || undefined, 'the past discussion stored');
    d.clock.advance(3 * DAY);
    const token = d.fake.slashCommand(d.maya, d.general, 'related', [{ name: 'question', type: 3, value: 'export calendar to csv' }]);
    const deferred = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.deferredReply), 'the deferral');
    expect(deferred.body.data.flags & 64).toBe(64); // ephemeral: only the asker sees it
    const edit = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.method === 'PATCH'), 'the edited answer');
    expect(edit.body.content).toContain(`https://discord.com/channels/${GUILD}/${d.help}/${past.id}`);
    expect(edit.body.allowed_mentions.parse).toEqual([]);
  });
});
