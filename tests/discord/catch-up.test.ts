/**
 * Events Discord sent while Hearth was not connected (a process killed, a shard's replacement
 * starting) are not sent again on a new session. On every (re)connect, each channel Hearth has
 * handled messages in is read from the last handled message on (`GET /channels/{id}/messages
 * ?after=`), and what it finds goes through the live path: the redelivery protection
 * (deliveries) keeps anything already handled from being acted on twice.
 */
import { afterEach, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const historyReads = (community: DiscordCommunity, channelId: string) =>
  community.fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channelId}/messages`).map((r) => r.query.get('after'));

/** Maya says something in #general, and Hearth has handled it: the channel has a cursor. */
async function handled(community: DiscordCommunity, text: string): Promise<{ id: string }> {
  const message = community.fake.memberPosts(community.maya, community.general, text);
  await waitFor(async () => community.repos.messages.get(community.community, message.id), 'the first message stored');
  await waitFor(async () => (await community.repos.checkpoints.list('discord:')).length > 0, 'the cursor written');
  return message;
}

/** Hearth restarts while `text` is posted in `channel`; resolves once it is caught up and the moderators pinged. */
async function postedWhileDown(community: DiscordCommunity, channel: typeof community.general, text: string, what: string): Promise<{ id: string }> {
  let missed!: { id: string };
  await community.restart(() => {
    // Nobody is connected for the server: Discord drops the event, the message stays in the channel.
    missed = community.fake.memberPosts(community.maya, channel, text);
  });
  await waitFor(async () => community.repos.messages.get(community.community, missed.id), what);
  await waitFor(() => community.fake.messagesIn(community.mods).length > 0, 'the moderators pinged for it');
  return missed;
}

it('messages posted while Hearth was down are handled on reconnect, from the last handled one, once', async () => {
  d = await discordCommunity();
  const hello = await handled(d, 'hello everyone, happy to be here');

  await postedWhileDown(d, d.general, 'I was charged twice and nobody answers, can I talk to a human?', 'the missed message caught up');
  // Read from the last handled message, not from the beginning.
  expect(historyReads(d, d.general)).toContain(hello.id);

  // Another reconnect: the server's channel list says nothing is newer than what was handled
  // (last_message_id), so no channel is read, and nothing is acted on twice.
  const reads = d.fake.requests.filter((r) => r.method === 'GET' && /\/messages$/.test(r.path)).length;
  await d.restart();
  // A live message is handled after the catch-up (one queue): once it is stored, the catch-up is done.
  const after = d.fake.memberPosts(d.maya, d.general, 'thanks for the help');
  await waitFor(async () => d!.repos.messages.get(d!.community, after.id), 'a live message after the catch-up');
  expect(d.fake.requests.filter((r) => r.method === 'GET' && /\/messages$/.test(r.path)).length).toBe(reads);
  expect(d.fake.messagesIn(d.mods)).toHaveLength(1);
  expect((await d.repos.escalations.list(d.community)).length).toBe(1);
});

it('a channel first written in while Hearth was down is read from where the gap began', async () => {
  d = await discordCommunity();
  const hello = await handled(d, 'hello everyone, happy to be here');

  // #help has never had a message Hearth handled: it has no cursor of its own.
  await postedWhileDown(d, d.help, 'my payment went through twice, can I talk to a human?', 'the missed message in #help caught up');
  // Read on from the newest message handled anywhere in the server, not from the beginning.
  expect(historyReads(d, d.help)).toEqual([hello.id]);
  // Channels that did not move since are not read (the moderators' channel has Hearth's own posts
  // only after the catch-up, a cursor of its own once handled).
  expect(historyReads(d, d.general)).toEqual([]);
  expect((await d.repos.escalations.list(d.community)).length).toBe(1);
});

it('a message whose handler died before finishing it is handled by the next connection at once, not a lease later', async () => {
  d = await discordCommunity();
  await handled(d, 'hello everyone');
  await d.restart(async () => {
    const lost = d!.fake.memberPosts(d!.maya, d!.general, 'my data is gone, I need a human please');
    // The process that received it claimed it and was killed: its lease (a minute) has not run out.
    expect(await d!.repos.deliveries.claim(d!.community, `message:${lost.id}`, d!.clock.now(), d!.clock.now() + MINUTE)).toBe(true);
  });
  // No clock advance: the community's lock proves the claim's holder is gone.
  await waitFor(() => d!.fake.messagesIn(d!.mods).length > 0, 'the moderators pinged for the lost message');
  expect(d.fake.messagesIn(d.mods)).toHaveLength(1);
});

it("a member who joined while Hearth was down is welcomed once, found by Discord's join notice in the system channel", async () => {
  d = await discordCommunity({ joinMessages: true });
  const hello = d.fake.memberPosts(d.maya, d.general, 'hello everyone');
  await waitFor(async () => d!.repos.messages.get(d!.community, hello.id), 'the first message stored');
  const early = { id: '130000000000000041', username: 'early' };
  d.fake.memberJoins(early);
  const welcomes = (member: { id: string }) => d!.fake.messagesIn(d!.general).filter((m) => /welcome/i.test(m.content) && m.content.includes(`<@${member.id}>`));
  await waitFor(() => welcomes(early).length > 0, 'the live welcome');

  const late = { id: '130000000000000042', username: 'late' };
  await d.restart(() => d!.fake.memberJoins(late)); // GUILD_MEMBER_ADD reaches nobody
  await waitFor(() => welcomes(late).length > 0, 'the welcome of the member who joined meanwhile');
  await d.restart();
  const after = d.fake.memberPosts(d.maya, d.general, 'welcome both!');
  await waitFor(async () => d!.repos.messages.get(d!.community, after.id), 'a live message after the catch-up');
  expect(welcomes(early)).toHaveLength(1);
  expect(welcomes(late)).toHaveLength(1);
  expect((await d.repos.members.get(d.community, late.id))?.joinedAt).toBeTypeOf('number');
});
