import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import type { SignalKind } from '../../src/db/repositories/signals';
import { harness, type Harness } from '../helpers/harness';

const signals = async (t: Harness, kind: SignalKind) =>
  (await t.repos.signals.list(t.community, { kind })).map((s) => ({ actor: s.actorId, subject: s.subjectId, message: s.messageId }));

describe('helped', () => {
  it('records a substantive reply by someone else to a question (helper -> asker)', async () => {
    const t = harness();
    const q = await t.say('nina', 'How do I reset my password?');
    t.clock.advance(5 * MINUTE);
    const a = await t.say('sam', 'Settings, then Security, then Reset password.', { replyTo: q });
    expect(await signals(t, 'helped')).toEqual([{ actor: 'sam', subject: 'nina', message: a }]);
  });

  it('does not count acknowledgements, self-replies, bots, or replies to non-questions', async () => {
    const t = harness();
    t.bots.add('helperbot');
    const q = await t.say('nina', 'Is the API down?');
    await t.say('ola', '+1 same here', { replyTo: q });
    await t.say('nina', 'Never mind, it is back up for me now', { replyTo: q });
    await t.say('helperbot', 'Here is the status page for the API', { replyTo: q });
    const news = await t.say('nina', 'We shipped version two today', { channelId: 'news' });
    await t.say('sam', 'Congratulations to the whole team', { replyTo: news, channelId: 'news' });
    expect(await signals(t, 'helped')).toEqual([]);
  });

  it('counts thread replies, and a reply to the asker’s follow-up keeps the original question', async () => {
    const t = harness();
    const q = await t.say('nina', 'my build fails with exit code 137');
    await t.say('sam', 'That is the OOM killer, raise the memory limit', { threadId: q });
    const followUp = await t.say('nina', 'raised it to 4 GB, still the same', { replyTo: q });
    await t.say('ola', 'Check the container limit too, not just the node one', { replyTo: followUp });
    expect((await signals(t, 'helped')).map((s) => [s.actor, s.subject])).toEqual([
      ['sam', 'nina'],
      ['ola', 'nina'],
    ]);
  });

  it('records each helper once per question, and a replayed event records nothing twice', async () => {
    const t = harness();
    const q = await t.say('nina', 'How do I export data?');
    await t.say('sam', 'Use the export button in settings', { replyTo: q, id: 'a1' });
    await t.say('sam', 'Or the API endpoint /export works too', { replyTo: q });
    await t.say('sam', 'Use the export button in settings', { replyTo: q, id: 'a1' });
    expect(await signals(t, 'helped')).toHaveLength(1);
  });

  it('counts historical (imported) events, which still send nothing', async () => {
    const t = harness();
    const base = { community: t.community, at: t.clock.now() };
    const message = (id: string, author: string, text: string, replyTo?: string) => ({
      ...base,
      type: 'message_posted',
      message: { id, channel: t.channel(), author: t.member(author), text, at: t.clock.now(), replyTo },
    });
    await t.companion.handle(message('h1', 'nina', 'How do I rotate keys?'), { historical: true });
    await t.companion.handle(message('h2', 'sam', 'Run the rotate command from the admin page', 'h1'), { historical: true });
    expect(await signals(t, 'helped')).toHaveLength(1);
    expect(t.platform.calls).toEqual([]);
  });
});

describe('thanked', () => {
  it('records thanks by mention, by platform mention syntax and by name', async () => {
    const t = harness();
    for (const m of ['sam', 'ola', 'kim']) await t.say(m, 'hello');
    await t.say('nina', 'thanks @sam!', { mentions: ['sam'] });
    await t.say('nina', 'thank you <@ola> for the pointer');
    await t.say('nina', 'cheers kim, that did it');
    expect((await signals(t, 'thanked')).map((s) => s.subject)).toEqual(['sam', 'ola', 'kim']);
  });

  it('a thanks in reply thanks the parent’s author; "thanks in advance" thanks nobody', async () => {
    const t = harness();
    const q = await t.say('nina', 'How do I do X? thanks in advance');
    const a = await t.say('sam', 'Like this: run the X command', { replyTo: q });
    await t.say('nina', 'thank you!', { replyTo: a });
    expect(await signals(t, 'thanked')).toEqual([{ actor: 'nina', subject: 'sam', message: expect.any(String) }]);
  });

  it('a thanks in one’s own thread, where every reply points at the root (Slack), thanks the latest other person there', async () => {
    const t = harness();
    const thread = t.channel('help');
    const q = await t.say('nina', 'How do I reset my password?', { channel: thread });
    t.clock.advance(MINUTE);
    await t.say('ola', 'I think it is under Account', { channel: thread, threadId: q, replyTo: q });
    t.clock.advance(MINUTE);
    const answer = await t.say('sam', 'Settings, then Security, then Reset password', { channel: thread, threadId: q, replyTo: q });
    t.clock.advance(MINUTE);
    const thanks = await t.say('nina', 'thanks, that worked!', { channel: thread, threadId: q, replyTo: q });
    expect(answer).toBeTruthy();
    expect(await signals(t, 'thanked')).toEqual([{ actor: 'nina', subject: 'sam', message: thanks }]);
  });

  it('a 🙏 reaction on a reply thanks its author; on a top-level post or one’s own message it does not', async () => {
    const t = harness();
    const q = await t.say('nina', 'How do I do X?');
    const a = await t.say('sam', 'Run the X command', { replyTo: q });
    await t.react('nina', a, '🙏');
    await t.react('nina', a, '🙏');
    await t.react('sam', q, '🙏');
    await t.react('sam', a, '🙏');
    expect(await signals(t, 'thanked')).toEqual([{ actor: 'nina', subject: 'sam', message: a }]);
  });

  it('/thanks @member for ... records the thanks and posts it, pinging only the thanked member', async () => {
    const t = harness();
    await t.say('sam', 'hello');
    const reply = await t.command('nina', 'thanks', { member: 'sam', for: 'for fixing the CI @everyone' });
    expect(reply.visibility).toBe('public');
    expect(reply.mentionUsers).toEqual(['sam']);
    expect(reply.text).toContain('<@sam>');
    expect(reply.text).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(await signals(t, 'thanked')).toEqual([{ actor: 'nina', subject: 'sam', message: null }]);
    expect((await t.command('nina', 'thanks', { member: 'nina' })).visibility).toBe('ephemeral');
    expect((await t.command('nina', 'thanks', { member: 'hearth-bot' })).text).toMatch(/bots do not count/);
    expect(await signals(t, 'thanked')).toHaveLength(1);
  });
});

describe('returned_to_help', () => {
  it('is recorded when a member helps again after 14 days without helping, not after a shorter gap', async () => {
    const t = harness();
    const help = async (helper: string) => {
      const q = await t.say('nina', `How do I do thing ${t.clock.now()}?`);
      await t.say(helper, 'Here is how you do that thing', { replyTo: q });
    };
    await help('sam');
    t.clock.advance(3 * DAY);
    await help('sam');
    expect(await signals(t, 'returned_to_help')).toEqual([]);
    t.clock.advance(15 * DAY);
    await help('sam');
    const [row] = await t.repos.signals.list(t.community, { kind: 'returned_to_help' });
    expect(row).toMatchObject({ actorId: 'sam', subjectId: 'nina', data: { gapMs: 15 * DAY } });
  });

  it('follows the helperReturnGap setting', async () => {
    const t = harness({ settings: { helperReturnGap: 2 * DAY } });
    const q1 = await t.say('nina', 'How do I do A?');
    await t.say('sam', 'Do A like this, with the flag', { replyTo: q1 });
    t.clock.advance(3 * DAY);
    const q2 = await t.say('nina', 'How do I do B?');
    await t.say('sam', 'Do B like this, with the other flag', { replyTo: q2 });
    expect(await signals(t, 'returned_to_help')).toHaveLength(1);
  });
});

describe('mentorship', () => {
  it('A helped B, later B helps C: records mentorship A -> B once; helping A back is not mentorship', async () => {
    const t = harness();
    const q1 = await t.say('bea', 'How do I configure the proxy?');
    await t.say('ana', 'Set HTTPS_PROXY in the env file', { replyTo: q1 });
    t.clock.advance(HOUR);
    const q2 = await t.say('ana', 'How do I rotate the logs?');
    await t.say('bea', 'logrotate with the daily option works', { replyTo: q2 });
    expect(await signals(t, 'mentorship')).toEqual([]);
    t.clock.advance(HOUR);
    const q3 = await t.say('cyd', 'How do I configure the proxy here?');
    const passed = await t.say('bea', 'Set HTTPS_PROXY in the env file, like ana showed me', { replyTo: q3 });
    const q4 = await t.say('dan', 'How do I set up the proxy?');
    await t.say('bea', 'Same as cyd: the HTTPS_PROXY variable', { replyTo: q4 });
    expect(await signals(t, 'mentorship')).toEqual([{ actor: 'ana', subject: 'bea', message: passed }]);
  });
});

describe('conflict and repair', () => {
  it('an apology after a heated exchange between the same people records a repair', async () => {
    const t = harness();
    const q = await t.say('nina', 'Why is the deploy broken again?');
    const heated = await t.say('sam', 'Because nobody reads the docs, rtfm', { replyTo: q });
    t.clock.advance(30 * MINUTE);
    const sorry = await t.say('sam', 'Sorry nina, that came out wrong. The deploy needs the new token.', { replyTo: q });
    expect(await signals(t, 'conflict')).toEqual([{ actor: 'sam', subject: 'nina', message: heated }]);
    expect(await signals(t, 'repair')).toEqual([{ actor: 'sam', subject: 'nina', message: sorry }]);
  });

  it('the other party can repair too, by mention; one repair per conflict', async () => {
    const t = harness();
    await t.say('sam', 'deploying the staging server now');
    const q = await t.say('nina', 'this is ridiculous, WHY IS IT ALWAYS BROKEN', { mentions: ['sam'] });
    await t.say('sam', 'to clarify, I meant the staging server', { replyTo: q });
    await t.say('sam', 'sorry again, I was unclear', { replyTo: q });
    expect(await signals(t, 'repair')).toEqual([{ actor: 'sam', subject: 'nina', message: expect.any(String) }]);
  });

  it('no repair without a conflict, with a different person, or after the 48h window', async () => {
    const t = harness();
    const calm = await t.say('nina', 'Is the deploy done?');
    await t.say('sam', 'sorry, not yet', { replyTo: calm });
    const heated = await t.say('ola', 'shut up, this is stupid', { replyTo: calm });
    await t.say('kim', 'sorry, my bad', { replyTo: heated });
    t.clock.advance(3 * DAY);
    await t.say('ola', 'sorry nina, I overreacted', { replyTo: calm });
    expect(await signals(t, 'conflict')).toHaveLength(1);
    expect(await signals(t, 'repair')).toEqual([]);
  });
});

describe('who is never recorded', () => {
  it('members with analytics off appear in no signal, as actor or subject', async () => {
    const t = harness();
    await t.command('nina', 'privacy', { analytics: 'off' });
    const q = await t.say('nina', 'How do I do X?');
    await t.say('sam', 'Run the X command with the flag', { replyTo: q });
    const q2 = await t.say('sam', 'How do I do Y?');
    const a2 = await t.say('nina', 'Run the Y command with the flag', { replyTo: q2 });
    await t.say('sam', 'thanks nina', { replyTo: a2 });
    await t.react('sam', a2, '🙏');
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
  });

  it('bots and the companion never count, as helpers or as thanked', async () => {
    const t = harness();
    t.bots.add('ci-bot');
    const q = await t.say('nina', 'How do I do X?');
    const botAnswer = await t.say('ci-bot', 'Here is the documentation for doing X', { replyTo: q });
    await t.say('nina', 'thanks!', { replyTo: botAnswer });
    await t.say('hearth-bot', 'Related discussions for doing X here', { replyTo: q });
    expect(await t.repos.signals.list(t.community)).toEqual([]);
  });
});
