import { describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness';

const SAME_HERE_ONLY = { settings: { humanFirstClasses: [] } };
const QUESTION = 'Is the login page broken for anyone else? I get a 502 after entering my password';
const count = (t: Harness, messageId: string) => t.repos.sameHere.count(t.community, messageId);
const acks = (t: Harness) => t.platform.of('reply').filter((c) => /You're not alone/.test(c.message.text));

describe('same-here: the reaction on a relay message', () => {
  it('➕ on another member’s bare "same here" validates the original question, like a "me too" reply does', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    const first = await t.say('sam', 'same here');
    await t.react('lee', first, '➕');
    expect(await count(t, q)).toBe(2);
    expect(await count(t, first)).toBe(0);
    // sam is not told they are "not alone" about their own "same here".
    expect(acks(t).every((a) => a.to.messageId === q)).toBe(true);
  });

  it('➕ on the companion’s acknowledgement validates the original question', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here', { replyTo: q });
    const ack = await t.say(t.platform.selfId, "You're not alone, <@maya>: 1 member has the same experience.", { replyTo: q });
    await t.react('lee', ack, '➕');
    expect(await count(t, q)).toBe(2);
  });

  it('a reaction on a member’s real answer is still not relayed anywhere', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    const other = await t.say('sam', 'Checkout fails with a 500 error for me', { replyTo: q });
    await t.react('lee', other, '➕');
    expect(await count(t, other)).toBe(1);
    expect(await count(t, q)).toBe(0);
  });
});

describe('same-here: the message action on the companion’s acknowledgement', () => {
  it('validates the original question instead of refusing it as a bot message', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here', { replyTo: q });
    // The acknowledgement once an incident is open: not a bare same-here by its words.
    const ackText = "You're not alone, <@maya>: 1 member has the same experience.\nI've let the moderators know this may be affecting more people.";
    const ack = await t.say(t.platform.selfId, ackText, { replyTo: q });
    const target = { id: ack, channel: t.channel(), author: t.member(t.platform.selfId), text: ackText, at: t.clock.now(), replyTo: q };
    const reply = await t.command('lee', 'Same here', {}, { target });
    expect(reply.text).toMatch(/<@maya>/);
    expect(await count(t, q)).toBe(2);
  });
});
