import { describe, expect, it } from 'vitest';
import { hasMassMention } from '../../src/core/text/mentions';
import { harness } from '../helpers/harness';

const TYPED_REQUESTS = [
  'can I talk to a human?',
  'Can i speak to a real person please',
  'is there someone from the team here?',
  'I need a mod',
  'can a mod help me with this',
  'get me a human',
  'I want to talk to a person, not a bot',
  'hello?? is anyone from staff around',
  'HUMAN PLEASE',
  'can i tlak to a huamn',
  'can I talk with someone from support',
  '¿Puedo hablar con una persona?',
  'Je voudrais parler à un humain',
  'Kann ich mit einem Menschen sprechen?',
  'quero falar com um humano',
  'agent',
  "I don't want to talk to a bot, I want a human",
];

const NOT_REQUESTS = [
  'humans are weird lol',
  'I talked to a person who said the update ships friday',
  'what time is the meetup?',
  'the person in the video is hilarious',
  'our moderation tools are neat',
  "honestly I don't want to talk to anyone today",
];

describe('ways in to a human', () => {
  it('/human writes the request, pings moderators, and acknowledges with the stakes of its reason', async () => {
    const t = harness();
    const reply = await t.command('maya', 'human', { reason: 'I was charged twice this month' });
    expect(reply).toMatchObject({ visibility: 'ephemeral' });
    expect(reply.text).toMatch(/request #1\). A person from the team will reply to you here — not a bot\./);
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).toMatch(/<@maya> asked for a human \(request #1, command\)/);
    expect(ping.message.text).toContain('Stakes: **high** (billing)');
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'command', stakes: 'high', stakesClass: 'billing' });
  });

  it.each(TYPED_REQUESTS)('a typed request opens an escalation with an ephemeral ack: %s', async (text) => {
    const t = harness();
    const id = await t.say('maya', text);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'typed', requesterId: 'maya', messageId: id, channelId: 'general' });
    const acks = t.platform.of('ephemeral');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ channelId: 'general', memberId: 'maya' });
    expect(acks[0].message.text).toMatch(/I've asked the moderators to help you \(request #1\)/);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    // Nothing public: the member is answered privately, the moderators in their channel.
    expect(t.platform.of('post')).toHaveLength(0);
    expect(t.platform.of('reply')).toHaveLength(0);
  });

  it.each(NOT_REQUESTS)('talking about people is not a request: %s', async (text) => {
    const t = harness();
    await t.say('maya', text);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
    expect(t.platform.calls).toHaveLength(0);
  });

  it('typed requests can be switched off per community', async () => {
    const t = harness({ settings: { typedRequests: false } });
    await t.say('maya', 'can I talk to a human?');
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
  });

  it('"Ask a human about this" escalates the target message, wherever it was invoked', async () => {
    const t = harness();
    const id = await t.say('sam', 'Is the export supposed to drop half the rows?', { channelId: 'help' });
    const target = { id, channel: t.channel('help'), author: t.member('sam'), text: 'Is the export supposed to drop half the rows?', at: t.clock.now() };
    const reply = await t.command('maya', 'Ask a human about this', {}, { target, channel: t.channel('general') });
    expect(reply.text).toMatch(/I've asked the moderators to help you \(request #1\)/);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'action', requesterId: 'maya', channelId: 'help', messageId: id });
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).toContain('(request #1, action)');
    expect(ping.message.text).toContain('Is the export supposed to drop half the rows?');
    expect(ping.message.text).toContain(`[Open the conversation](https://chat.test/help/${id})`);
  });

  it('an incident from same-here opens a high-stakes outage escalation with the count', async () => {
    const t = harness();
    await t.say('sam', 'login is broken for me');
    const outcome = await t.core.features.escalation.open({
      community: t.community,
      requester: t.member('sam'),
      channelId: 'general',
      messageId: 'm1',
      reason: 'login is broken for me',
      source: 'incident',
      stakes: 'high',
      stakesClass: 'outage',
      sameHereCount: 6,
    });
    expect(outcome).toMatchObject({ merged: false, pinged: true });
    expect(outcome.escalation).toMatchObject({ source: 'incident', stakes: 'high', stakesClass: 'outage', sameHereCount: 6 });
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).toMatch(/possible incident/);
    expect(ping.message.text).toContain('Stakes: **high** (outage) · 6 members said “same here”');
    // A later report raises the count on the same escalation instead of pinging again.
    const again = await t.core.features.escalation.open({ ...outcome.escalation, community: t.community, requester: t.member('sam'), source: 'incident', stakes: 'high', stakesClass: 'outage', sameHereCount: 9 });
    expect(again.merged).toBe(true);
    expect(again.escalation.sameHereCount).toBe(9);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('history and bots never open a request', async () => {
    const t = harness();
    t.bots.add('bot');
    await t.say('bot', 'can I talk to a human?');
    await t.companion.handle(
      { community: t.community, at: t.clock.now(), type: 'message_posted', message: { id: 'old', channel: t.channel(), author: t.member('maya'), text: 'can I talk to a human? my card was stolen', at: t.clock.now() } },
      { historical: true },
    );
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
    expect(t.platform.calls).toHaveLength(0);
  });

  it('hostile text is quoted inert in the moderator ping', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: `@everyone <@&123> <!here> ${'x'.repeat(3000)}` });
    await t.say('sam', `@everyone can I talk to a human? ${'\u202e🔥'.repeat(50_000)}`);
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(2);
    for (const ping of pings) {
      expect(hasMassMention(ping.message.text)).toBe(false);
      expect(ping.message.text.length).toBeLessThan(2000);
    }
  });
});
