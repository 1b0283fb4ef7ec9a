import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock';
import { harness, type Harness } from '../helpers/harness';

async function pastPasswordDiscussion(t: Harness) {
  const root = await t.say('sam', 'How do I reset my password when the reset email never arrives?', { channelId: 'help' });
  const answer = await t.say('lee', 'Check the spam folder; the reset email lands there.', { channelId: 'help', replyTo: root });
  await t.say('sam', 'That worked, thank you!', { channelId: 'help', replyTo: answer });
  t.clock.advance(2 * DAY);
  return root;
}
const replies = (t: Harness) => t.platform.of('reply');

describe('/related', () => {
  it('answers with at most three past discussions: permalink, author, and why', async () => {
    const t = harness();
    const root = await pastPasswordDiscussion(t);
    const reply = await t.command('maya', 'related', { question: 'password reset email not arriving' });
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.text).toContain(`https://chat.test/help/${root}`);
    expect(reply.text).toContain('by <@sam>');
    expect(reply.text).toContain('solved by <@lee>');
    expect(reply.text).toMatch(/matched “(password|reset|email)”/);
    expect(reply.text).toContain('2 days ago');
    expect(reply.mentionUsers ?? []).toEqual([]);
  });

  it('says "nothing close enough" when nothing is', async () => {
    const t = harness();
    await pastPasswordDiscussion(t);
    const reply = await t.command('maya', 'related', { question: 'best hiking trails nearby' });
    expect(reply.text).toMatch(/Nothing close enough/);
  });

  it('asks for words when the question has none', async () => {
    const t = harness();
    const reply = await t.command('maya', 'related', { question: '🔥 ?? "' });
    expect(reply.text).toMatch(/Tell me what to look for/);
  });

  it('neutralises mass mentions echoed from past titles', async () => {
    const t = harness();
    await t.say('sam', '@everyone the build server is down again?', { channelId: 'help' });
    const reply = await t.command('maya', 'related', { question: 'build server down' });
    expect(reply.text).not.toMatch(/(^|[^\u200b])@everyone/);
  });
});

describe('automatic suggestions', () => {
  it('suggests past discussions under a new question in a help channel', async () => {
    const t = harness();
    const root = await pastPasswordDiscussion(t);
    const question = await t.say('maya', 'My password reset email never arrives, what can I do?', { channelId: 'help' });
    expect(replies(t)).toHaveLength(1);
    expect(replies(t)[0].to).toEqual({ channelId: 'help', messageId: question });
    expect(replies(t)[0].message.text).toContain(`https://chat.test/help/${root}`);
    expect(replies(t)[0].message.mentionUsers).toBeUndefined();
  });

  it('suggests for a new forum post (forum channels always count)', async () => {
    const t = harness();
    await pastPasswordDiscussion(t);
    await t.say('maya', 'It has been an hour.', { channel: t.channel('ask', { kind: 'forum' }), title: 'Password reset email never arrives' });
    expect(replies(t)).toHaveLength(1);
  });

  it('stays silent outside help channels, for replies, and for statements', async () => {
    const t = harness();
    const root = await pastPasswordDiscussion(t);
    await t.say('maya', 'How do I reset my password, the reset email never arrives?', { channelId: 'general' });
    await t.say('maya', 'How do I reset my password, the reset email never arrives?', { channelId: 'help', replyTo: root });
    await t.say('maya', 'password reset email', { channelId: 'help' });
    expect(replies(t)).toEqual([]);
  });

  it('stays silent below the score threshold', async () => {
    const t = harness();
    await pastPasswordDiscussion(t);
    await t.say('maya', 'Which email client do you all use for work?', { channelId: 'help' });
    expect(replies(t)).toEqual([]);
  });

  it('respects autoRelated off and custom help channels', async () => {
    const t = harness({ settings: { helpChannels: ['support-desk'] } });
    const root = await t.say('sam', 'How do I reset my password when the reset email never arrives?', { channelId: 'support-desk' });
    await t.say('lee', 'Check spam.', { channelId: 'support-desk', replyTo: root });
    await t.say('maya', 'Password reset email never arrives?', { channelId: 'help' });
    expect(replies(t)).toEqual([]);
    await t.say('maya', 'Password reset email never arrives?', { channelId: 'support-desk' });
    expect(replies(t)).toHaveLength(1);
    await t.core.settings.set(t.community, 'autoRelated', 'off', t.clock.now());
    await t.say('kim', 'Password reset email never arrives?', { channelId: 'support-desk' });
    expect(replies(t)).toHaveLength(1);
  });

  it('never posts for history, bots, high-stakes or already answered messages', async () => {
    const t = harness();
    await pastPasswordDiscussion(t);
    const message = (id: string, author = 'maya') => ({
      type: 'message_posted' as const,
      community: t.community,
      at: t.clock.now(),
      message: { id, channel: t.channel('help'), author: t.member(author), text: 'Password reset email never arrives?', at: t.clock.now() },
    });
    await t.companion.handle(message('h1'), { historical: true });
    t.bots.add('somebot');
    await t.say('somebot', 'Password reset email never arrives?', { channelId: 'help' });
    const related = t.core.features.related;
    t.clock.advance(DAY); // a new conversation, not a continuation of maya's earlier line
    const event = message('s1');
    await t.companion.handle(event, { historical: true }); // stored, but silent
    await related.onEvent(event, { stakes: { level: 'high', categories: ['security'] } });
    await related.onEvent(event, { answered: true });
    expect(replies(t)).toEqual([]);
    await related.onEvent(event, {});
    expect(replies(t)).toHaveLength(1);
  });
});

describe('"am I the only one?"', () => {
  it('points to recent messages by others about the same problem', async () => {
    const t = harness();
    const sams = await t.say('sam', 'The login page crashes on Safari after the update', { channelId: 'general' });
    t.clock.advance(2 * DAY);
    await t.say('maya', 'Am I the only one seeing the login page crash on Safari?', { channelId: 'general' });
    expect(replies(t)).toHaveLength(1);
    const text = replies(t)[0].message.text;
    expect(text).toMatch(/^You're not the only one: <@sam> mentioned this 2 days ago/);
    expect(text).toContain(`https://chat.test/general/${sams}`);
    expect(replies(t)[0].message.mentionUsers).toBeUndefined();
  });

  it('recognises "anyone else" and "is it just me", and stays quiet when nobody mentioned it recently', async () => {
    const t = harness();
    await t.say('sam', 'Video calls keep freezing today', { channelId: 'general' });
    t.clock.advance(HOUR);
    await t.say('maya', 'Anyone else having video calls freezing?', { channelId: 'general' });
    expect(replies(t)).toHaveLength(1);
    t.clock.advance(30 * DAY);
    await t.say('zoe', 'Video calls freezing again after the update', { channelId: 'general' });
    t.clock.advance(HOUR);
    await t.say('kim', 'Is it just me or are video calls freezing?', { channelId: 'general' });
    // sam's and maya's messages are a month old now: only zoe's recent one is named.
    expect(replies(t)).toHaveLength(2);
    expect(replies(t)[1].message.text).toContain('<@zoe>');
    expect(replies(t)[1].message.text).not.toMatch(/<@(sam|maya)>/);
    t.clock.advance(30 * DAY);
    await t.say('ana', 'Is it just me or is the wiki search slow?', { channelId: 'general' });
    expect(replies(t)).toHaveLength(2);
  });
});
