import { describe, expect, it } from 'vitest';
import { isSameHereReaction } from '../../src/core/features/same-here';
import { harness, type Harness } from '../helpers/harness';

/**
 * These tests isolate the same-here logic: the stakes map (which sends outage reports to a
 * human straight away) is switched off here; the integrated path is tested at the end.
 */
const SAME_HERE_ONLY = { settings: { humanFirstClasses: [] } };
const QUESTION = 'Is the login page broken for anyone else? I get a 502 after entering my password';

const acks = (t: Harness) => t.platform.of('reply').filter((c) => /You're not alone/.test(c.message.text));
const edits = (t: Harness) => t.platform.of('edit').filter((c) => /You're not alone/.test(c.message.text));
const count = (t: Harness, messageId: string) => t.repos.sameHere.count(t.community, messageId);

describe('same-here: finding the message being validated', () => {
  it('a "same here" reply validates the message it replies to', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('lee', 'anyone up for lunch?');
    await t.say('sam', 'same here', { replyTo: q });
    expect(await count(t, q)).toBe(1);
    const [ack] = acks(t);
    expect(ack.to).toEqual({ channelId: 'general', messageId: q });
    expect(ack.message.text).toBe("You're not alone, <@maya>: 1 member has the same experience.");
    expect(ack.message.mentionUsers).toEqual(['maya']);
  });

  it('a thread reply validates the thread parent', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', 'checkout keeps timing out');
    await t.say('sam', 'happening to me as well', { threadId: q });
    expect(await count(t, q)).toBe(1);
  });

  it('without a reply: the most recent question in the channel by someone else', async () => {
    const t = harness(SAME_HERE_ONLY);
    await t.say('ana', 'How do I export my data?');
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'I have the same problem');
    expect(await count(t, q)).toBe(1);
  });

  it('skips other same-heres and (for explicit phrases) chatter, but not past the window', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here');
    await t.say('lee', 'lol this channel is busy today');
    await t.say('ana', "I'm having the same issue");
    expect(await count(t, q)).toBe(2);

    t.clock.advance(t.minutes(150));
    await t.say('bo', 'I have the same problem');
    expect(await count(t, q)).toBe(2);
  });

  it('a bare +1 or 👍 never reaches past an answer (it is probably a thank-you for the answer)', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('lee', 'Clearing the cookies for the domain sorted it out for me.');
    await t.say('sam', '👍');
    await t.say('ana', '+1');
    expect(await count(t, q)).toBe(0);
    expect(t.platform.calls).toHaveLength(0);
  });

  it('a bare 👍 / +1 / "me too" replying to an announcement or an answer is applause, not a same-here', async () => {
    const t = harness(SAME_HERE_ONLY);
    const news = await t.say('maya', 'The meetup is on Friday at 6pm, see you all there');
    await t.say('sam', '👍', { replyTo: news });
    await t.say('lee', 'me too!', { replyTo: news });
    expect(await count(t, news)).toBe(0);
    // An explicit phrase still counts on any message it replies to.
    await t.say('ana', 'I have the same problem', { replyTo: news });
    expect(await count(t, news)).toBe(1);
  });

  it('does not reach back past the validator’s own message', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'hey, does anyone know when the meetup is?');
    await t.say('sam', 'same here');
    expect(await count(t, q)).toBe(0);
  });

  it('a "me too" under another same-here validates the original', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    const first = await t.say('sam', 'same here');
    await t.say('lee', 'me too', { replyTo: first });
    expect(await count(t, q)).toBe(2);
    expect(await count(t, first)).toBe(0);
  });

  it('"same here, but I fixed it by ..." counts and stays a normal message (an answer)', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    const result = await t.companion.handle({
      community: t.community,
      type: 'message_posted',
      at: t.clock.now(),
      message: { id: 'fix1', channel: t.channel(), author: t.member('sam'), text: 'same here, but I fixed it by clearing the cache', replyTo: q, at: t.clock.now() },
    });
    expect(result.ok && result.notes.sameHere).toEqual({ messageId: q, carriesContent: true });
    expect(await count(t, q)).toBe(1);
  });

  it('messages that are not same-heres change nothing', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', '+1 to what lee said about the docs', { replyTo: q });
    await t.say('lee', 'the same thing happened yesterday and the fix was to restart the worker', { replyTo: q });
    await t.say('ana', 'I have the same question', { replyTo: q });
    expect(await count(t, q)).toBe(1);
  });
});

describe('same-here: counting', () => {
  it('counts distinct members: the same member twice counts once, the author never', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here', { replyTo: q });
    await t.say('sam', 'me too!!', { replyTo: q });
    await t.react('sam', q, '➕');
    await t.say('maya', 'same', { replyTo: q });
    await t.react('maya', q, '➕');
    expect(await count(t, q)).toBe(1);
    const signals = await t.repos.signals.list(t.community, { kind: 'same_here' });
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ actorId: 'sam', subjectId: 'maya', messageId: q, dedupeKey: `same_here:${q}:sam` });
  });

  it('bots never count, and messages by bots are never validated', async () => {
    const t = harness(SAME_HERE_ONLY);
    t.bots.add('ci-bot');
    const q = await t.say('maya', QUESTION);
    await t.say('ci-bot', 'same here', { replyTo: q });
    await t.react('ci-bot', q, '➕');
    const botPost = await t.say('ci-bot', 'Deploy failed: error 502 on api');
    await t.say('sam', 'same here', { replyTo: botPost });
    expect(await count(t, q)).toBe(0);
    expect(await count(t, botPost)).toBe(0);
    expect(t.platform.calls).toHaveLength(0);
  });

  it('analytics opt-out: still counted as affected, but no relationship signal', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'hi');
    await t.repos.members.setAnalyticsOptOut(t.community, 'sam', true);
    await t.say('sam', 'same here', { replyTo: q });
    await t.say('lee', 'same here', { replyTo: q });
    expect(await count(t, q)).toBe(2);
    const signals = await t.repos.signals.list(t.community, { kind: 'same_here' });
    expect(signals.map((s) => s.actorId)).toEqual(['lee']);
  });
});

describe('same-here: the single edited acknowledgement', () => {
  it('posts once in the thread of the original, then edits that message as the count grows', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here', { replyTo: q });
    await t.say('lee', 'me too', { replyTo: q });
    await t.say('lee', 'me too, still', { replyTo: q }); // same member: no edit
    await t.react('ana', q, '➕');
    expect(acks(t)).toHaveLength(1);
    const ackId = acks(t)[0].id;
    expect(edits(t).map((e) => [e.target.messageId, e.message.text])).toEqual([
      [ackId, "You're not alone, <@maya>: 2 members have the same experience."],
      [ackId, "You're not alone, <@maya>: 3 members have the same experience."],
    ]);
    expect(t.platform.of('post')).toHaveLength(0);
  });

  it('after a restart it edits the same acknowledgement instead of posting a new one', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here', { replyTo: q });
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.say('lee', 'same here', { replyTo: q, id: 'later1' });
    expect(acks(restarted)).toHaveLength(0);
    expect(edits(restarted)).toHaveLength(1);
    expect(edits(restarted)[0].target.messageId).toBe(acks(t)[0].id);
  });

  it('a failed acknowledgement loses no count; the next same-here posts it with the full count', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    t.platform.failNext.reply = 1;
    const target = { id: q, channel: t.channel(), author: t.member('maya'), text: QUESTION, at: t.clock.now() };
    expect((await t.command('sam', 'Same here', {}, { target })).text).toMatch(/1 member so far/);
    expect(acks(t)).toHaveLength(0);
    await t.say('lee', 'same here', { replyTo: q });
    expect(acks(t).map((a) => a.message.text)).toEqual(["You're not alone, <@maya>: 2 members have the same experience."]);
  });

  it('echoes nothing a member wrote into the acknowledgement', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', '@everyone is the login broken?? <@&42>');
    await t.say('sam', 'same here', { replyTo: q });
    expect(acks(t)[0].message.text).not.toMatch(/everyone|<@&/);
  });
});

describe('same-here: the configurable reaction', () => {
  it('the configured reaction counts (default ➕, with platform aliases); 👍 does not by default', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.react('sam', q, '👍');
    expect(await count(t, q)).toBe(0);
    await t.react('sam', q, '➕');
    await t.react('lee', q, 'heavy_plus_sign');
    expect(await count(t, q)).toBe(2);
    expect((await t.repos.signals.list(t.community, { kind: 'same_here' }))[0].data).toEqual({ via: 'reaction' });
  });

  it('a community can choose another reaction with /hearth-config', async () => {
    const t = harness(SAME_HERE_ONLY);
    await t.command('mod', 'hearth-config', { setting: 'sameHereReaction', value: ':+1:' });
    const q = await t.say('maya', QUESTION);
    await t.react('sam', q, '👍🏽');
    await t.react('lee', q, '+1');
    await t.react('ana', q, '➕');
    expect(await count(t, q)).toBe(2);
  });

  it('matches emoji across platforms and skin tones', () => {
    expect(isSameHereReaction('➕', 'heavy_plus_sign')).toBe(true);
    expect(isSameHereReaction('👍', '+1::skin-tone-3')).toBe(true);
    expect(isSameHereReaction('thumbsup', '👍🏿')).toBe(true);
    expect(isSameHereReaction('➕', '👍')).toBe(false);
  });

  it('a reaction on a message we never saw is ignored', async () => {
    const t = harness(SAME_HERE_ONLY);
    await t.react('sam', 'unknown-message', '➕');
    expect(t.platform.calls).toHaveLength(0);
  });
});

describe('same-here: the "Same here" message action and /same-here', () => {
  it('the message action validates the target message and answers the invoker privately', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    const target = { id: q, channel: t.channel(), author: t.member('maya'), text: QUESTION, at: t.clock.now() };
    const reply = await t.command('sam', 'Same here', {}, { target });
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.text).toMatch(/I've let <@maya> know they're not alone .*: 1 member so far\./);
    expect(reply.mentionUsers).toBeUndefined();
    expect(await count(t, q)).toBe(1);
    expect((await t.command('sam', 'Same here', {}, { target })).text).toMatch(/already said same here.*each member counts once \(1 member so far\)/);
    expect((await t.command('maya', 'Same here', {}, { target })).text).toMatch(/your own message/);
    expect(acks(t)).toHaveLength(1);
    expect((await t.repos.signals.list(t.community, { kind: 'same_here' }))[0].data).toEqual({ via: 'action' });
  });

  it('/same-here without a target validates the most recent question here by someone else', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'ugh', {});
    const reply = await t.command('sam', 'same-here');
    expect(reply.text).toMatch(/<@maya>/);
    expect(await count(t, q)).toBe(1);
  });

  it('/same-here with nothing to validate says so', async () => {
    const t = harness(SAME_HERE_ONLY);
    await t.say('maya', 'good morning all');
    const reply = await t.command('sam', 'same-here');
    expect(reply.text).toMatch(/could not find a recent question/);
    expect(t.platform.calls).toHaveLength(0);
  });

  it('the action on a message by a bot is refused', async () => {
    const t = harness(SAME_HERE_ONLY);
    t.bots.add('ci-bot');
    const target = { id: 'b1', channel: t.channel(), author: t.member('ci-bot'), text: 'deploy failed', at: t.clock.now() };
    expect((await t.command('sam', 'Same here', {}, { target })).text).toMatch(/not on bots/);
  });
});

describe('same-here: historical events', () => {
  it('records the count and the signal but never posts, edits or escalates', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    for (const [i, who] of ['a', 'b', 'c', 'd', 'e', 'f'].entries()) {
      await t.companion.handle(
        {
          community: t.community,
          type: 'message_posted',
          at: t.clock.now(),
          message: { id: `h${i}`, channel: t.channel(), author: t.member(who), text: 'same here', replyTo: q, at: t.clock.now() },
        },
        { historical: true },
      );
    }
    await t.companion.handle({ community: t.community, type: 'reaction_added', at: t.clock.now(), channelId: 'general', messageId: q, emoji: '➕', member: t.member('g') }, { historical: true });
    expect(await count(t, q)).toBe(7);
    expect(await t.repos.signals.list(t.community, { kind: 'same_here' })).toHaveLength(7);
    expect(t.platform.calls).toHaveLength(0);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
  });
});

describe('same-here: incidents', () => {
  const everyone = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];

  it('opens one high-stakes outage escalation when 5 members say same here within the window', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', 'Checkout returns a 502 error for me since 10:00, anyone else?');
    for (const who of everyone.slice(0, 4)) {
      await t.say(who, 'same here', { replyTo: q });
      t.clock.advance(t.minutes(5));
    }
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.say('m5', 'same here', { replyTo: q });
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).toMatch(/Stakes: \*\*high\*\* \(outage\) · 5 members said “same here”/);
    expect(pings[0].message.text).toMatch(/possible outage: 5 members report the same problem as “Checkout returns a 502/);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'incident', stakes: 'high', stakesClass: 'outage', requesterId: 'maya', messageId: q, sameHereCount: 5 });
    expect(acks(t)).toHaveLength(1);
    expect(edits(t).at(-1)?.message.text).toMatch(/5 members have the same experience\.\nI've let the moderators know/);

    // More same-heres: no second escalation; the count on the open one follows.
    await t.say('m6', 'same here', { replyTo: q });
    await t.say('m7', 'me too', { replyTo: q });
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(1);
    expect((await t.repos.escalations.list(t.community))[0]).toMatchObject({ sameHereCount: 7, requestCount: 1 });
  });

  it('counts distinct members across messages about a similar problem', async () => {
    const t = harness(SAME_HERE_ONLY);
    const a = await t.say('maya', 'Checkout page returns 502 error');
    const b = await t.say('ana', 'checkout 502 again?? cannot pay');
    const unrelated = await t.say('bo', 'How do I change my avatar?');
    await t.say('m1', 'same here', { replyTo: a });
    await t.say('m2', 'same here', { replyTo: a });
    await t.say('m1', 'same here', { replyTo: b }); // m1 again: still one member
    await t.say('m3', 'same here', { replyTo: b });
    await t.say('m4', 'same here', { replyTo: unrelated });
    await t.say('m5', 'same here', { replyTo: unrelated });
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.say('m6', 'same here', { replyTo: b });
    await t.say('m7', 'same here', { replyTo: a });
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).toMatch(/possible outage: 5 members report/);
  });

  it('does not fire below the threshold, and respects a configured threshold', async () => {
    const t = harness({ settings: { ...SAME_HERE_ONLY.settings, sameHereIncidentThreshold: 3 } });
    const q = await t.say('maya', 'The API is down, getting 503 errors');
    await t.say('m1', 'same here', { replyTo: q });
    await t.say('m2', 'same here', { replyTo: q });
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.say('m3', 'same here', { replyTo: q });
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('does not fire when the reports are spread over more than the window', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', 'Checkout returns a 502 error');
    for (const who of everyone.slice(0, 5)) {
      await t.say(who, 'same here', { replyTo: q });
      t.clock.advance(t.minutes(16)); // 5 reports over 64 minutes: never 5 within 60
    }
    expect(await count(t, q)).toBe(5);
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
  });
});

describe('same-here with the stakes map on (integrated)', () => {
  it('an outage report goes to a human at once; when 5 members confirm it, the same escalation is raised to an incident and moderators are pinged again', async () => {
    const t = harness();
    const q = await t.say('maya', 'Checkout returns a 502 error for me since 10:00, anyone else?');
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    for (const who of ['m1', 'm2', 'm3', 'm4', 'm5']) await t.say(who, 'same here', { replyTo: q });
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(2);
    expect(pings[1].message.text).toMatch(/Update, stakes raised/);
    expect(pings[1].message.text).toMatch(/5 members said “same here”/);
    expect(pings[1].message.text).toMatch(/possible outage: 5 members report/);
    const rows = await t.repos.escalations.list(t.community);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stakes: 'high', stakesClass: 'outage', sameHereCount: 5 });
    await t.say('m6', 'me too', { replyTo: q });
    expect(t.platform.of('notifyModerators')).toHaveLength(2);
  });
});
