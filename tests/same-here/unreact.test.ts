import { describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness';

const SAME_HERE_ONLY = { settings: { humanFirstClasses: [] } };
const QUESTION = 'Is the login page broken for anyone else? I get a 502 after entering my password';
const count = (t: Harness, messageId: string) => t.repos.sameHere.count(t.community, messageId);
const unreact = (t: Harness, memberId: string, messageId: string, emoji: string) =>
  t.companion.handle({ community: t.community, type: 'reaction_removed', at: t.clock.now(), channelId: 'general', messageId, emoji, member: t.member(memberId) });

describe('same-here: taking a reaction back', () => {
  it('an un-reaction takes the member out of the count and the acknowledgement follows; nothing is deleted', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.react('sam', q, '➕');
    await t.react('lee', q, '➕');
    expect(await count(t, q)).toBe(2);
    await unreact(t, 'lee', q, '➕');
    expect(await count(t, q)).toBe(1);
    const last = t.platform.of('edit').at(-1);
    expect(last?.message.text).toBe("You're not alone, <@maya>: 1 member has the same experience.");
    expect(t.platform.calls.every((c) => c.kind === 'reply' || c.kind === 'edit')).toBe(true);
    // Reacting again counts again.
    await t.react('lee', q, '➕');
    expect(await count(t, q)).toBe(2);
  });

  it('an accidental ➕ taken back no longer counts towards an incident', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', 'Checkout returns a 502 error for me since 10:00, anyone else?');
    await t.react('oops', q, '➕');
    await unreact(t, 'oops', q, '➕');
    for (const who of ['m1', 'm2', 'm3', 'm4']) await t.say(who, 'same here', { replyTo: q });
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.say('m5', 'same here', { replyTo: q });
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('taking back another emoji, or a reaction on a same-here said in words, changes nothing', async () => {
    const t = harness(SAME_HERE_ONLY);
    const q = await t.say('maya', QUESTION);
    await t.say('sam', 'same here', { replyTo: q });
    await unreact(t, 'sam', q, '➕');
    await unreact(t, 'sam', q, '👍');
    expect(await count(t, q)).toBe(1);
  });
});
