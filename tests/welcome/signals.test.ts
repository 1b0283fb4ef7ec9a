import { describe, expect, it } from 'vitest';
import { HOUR } from '../../src/core/clock';
import { harness, type Harness } from '../helpers/harness';

const given = async (t: Harness) =>
  (await t.repos.signals.list(t.community, { kind: 'welcome_given' })).map((s) => ({ actor: s.actorId, newcomer: s.subjectId, via: s.data?.via }));

describe('welcome_given signals', () => {
  it('records a reply, a mention or a reaction to a newcomer within 24 h, once per welcomer', async () => {
    const t = harness();
    await t.join('maya');
    await t.join('noor');
    const hello = await t.say('maya', 'hi all');
    t.clock.advance(t.minutes(3));
    await t.say('sam', 'welcome Maya!', { replyTo: hello });
    await t.say('sam', '@maya have you seen the synth channel?', { mentions: ['maya'] }); // same pair: still one
    await t.say('lee', 'hey @noor, welcome', { mentions: ['noor'] });
    await t.react('ana', hello, '👋');
    expect(await given(t)).toEqual([
      { actor: 'sam', newcomer: 'maya', via: 'reply' },
      { actor: 'lee', newcomer: 'noor', via: 'mention' },
      { actor: 'ana', newcomer: 'maya', via: 'reaction' },
    ]);
    const [first] = await t.repos.signals.list(t.community, { kind: 'welcome_given' });
    expect(first).toMatchObject({ messageId: 'm2', channelId: 'general', at: t.clock.now() });
    expect(first.data).toMatchObject({ sinceJoinMs: 3 * 60_000, askedWelcomer: false });
  });

  it('counts replies and reactions to the companion’s welcome as welcoming the newcomer', async () => {
    const t = harness();
    await t.command('sam', 'welcomer', { state: 'on' });
    await t.join('maya');
    const welcome = t.platform.of('post')[0].id;
    await t.say('sam', 'hi Maya, glad you’re here', { replyTo: welcome });
    await t.react('lee', welcome, '🎉');
    expect(await given(t)).toEqual([
      { actor: 'sam', newcomer: 'maya', via: 'reply' },
      { actor: 'lee', newcomer: 'maya', via: 'reaction' },
    ]);
    expect((await t.repos.signals.list(t.community, { kind: 'welcome_given' }))[0].data).toMatchObject({ askedWelcomer: true });
  });

  it('counts a reply in the newcomer’s thread', async () => {
    const t = harness();
    await t.join('maya');
    const root = await t.say('maya', 'my first synth build', { channel: t.channel('showcase', { kind: 'forum' }) });
    await t.say('sam', 'lovely work', { threadId: root, channel: t.channel(root, { kind: 'thread', parentId: 'showcase' }) });
    expect(await given(t)).toEqual([{ actor: 'sam', newcomer: 'maya', via: 'reply' }]);
  });

  it('never counts bots, the companion, or the newcomer themself', async () => {
    const t = harness();
    t.bots.add('otherbot');
    await t.join('maya');
    const hello = await t.say('maya', 'hi');
    const welcome = t.platform.of('post')[0].id;
    await t.say('otherbot', 'Welcome!', { replyTo: hello, mentions: ['maya'] });
    await t.say('hearth-bot', 'Welcome again', { replyTo: hello, mentions: ['maya'] });
    await t.react('otherbot', hello, '👋');
    await t.react('hearth-bot', hello, '👋');
    await t.say('maya', 'replying to myself', { replyTo: hello, mentions: ['maya'] });
    await t.say('maya', 'thanks!', { replyTo: welcome });
    await t.react('maya', welcome, '❤️');
    expect(await given(t)).toEqual([]);
  });

  it('does not count greetings after 24 h, nor to members who are not newcomers', async () => {
    const t = harness();
    await t.say('oldtimer', 'hi'); // never seen joining
    await t.join('maya');
    const hello = await t.say('maya', 'hi');
    await t.say('sam', 'hello old friend', { mentions: ['oldtimer'] });
    t.clock.advance(24 * HOUR + 1);
    await t.say('sam', 'welcome!', { replyTo: hello });
    expect(await given(t)).toEqual([]);
  });

  it('does not count talking about a newcomer where they cannot see it (a private staff channel)', async () => {
    const t = harness();
    await t.join('maya');
    const staff = t.channel('staff', { visibility: 'private', memberIds: ['mod', 'sam'] });
    await t.say('mod', 'keep an eye on <@maya>, their first link looked like spam', { channel: staff, mentions: ['maya'] });
    await t.say('sam', 'will do', { channel: staff, mentions: ['maya'] });
    expect(await given(t)).toEqual([]);
    // A private channel the newcomer is in still counts.
    const club = t.channel('synth-club', { visibility: 'private', memberIds: ['maya', 'lee'] });
    await t.say('lee', 'welcome to the club <@maya>!', { channel: club, mentions: ['maya'] });
    expect(await given(t)).toEqual([{ actor: 'lee', newcomer: 'maya', via: 'mention' }]);
  });

  it('respects a member’s analytics opt-out', async () => {
    const t = harness();
    await t.join('maya');
    await t.repos.members.setAnalyticsOptOut(t.community, 'maya', true);
    await t.say('sam', 'welcome @maya', { mentions: ['maya'] });
    expect(await given(t)).toEqual([]);
  });

  it('records greetings from history, but history never posts, pings or schedules', async () => {
    const t = harness();
    await t.command('sam', 'welcomer', { state: 'on' });
    const at = t.clock.now();
    const base = { community: t.community, at };
    await t.companion.handle({ ...base, type: 'member_joined', member: t.member('maya'), welcomeChannelId: 'general' }, { historical: true });
    const question = { id: 'h1', channel: t.channel(), author: t.member('maya'), text: 'how do I export my data?', at };
    await t.companion.handle({ ...base, type: 'message_posted', message: question }, { historical: true });
    const greeting = { id: 'h2', channel: t.channel(), author: t.member('sam'), text: 'welcome!', replyTo: 'h1', at: at + 1000 };
    await t.companion.handle({ ...base, type: 'message_posted', message: greeting }, { historical: true });
    await t.advance(t.minutes(31));
    expect(t.platform.calls).toEqual([]);
    expect(await t.repos.tasks.get(t.community, 'welcome:first-question:maya')).toBeUndefined();
    expect(await given(t)).toEqual([{ actor: 'sam', newcomer: 'maya', via: 'reply' }]);
  });
});
