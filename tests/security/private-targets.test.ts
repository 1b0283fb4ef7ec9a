/**
 * Acting on a message needs being able to read it: a member outside a private channel who
 * uses "Same here" (action, reaction, /same-here, a reply) or "Ask a human about this" on a
 * message there gets no quote of it, no count, and counts nothing; a member of the channel
 * still can. On the core (recording platform) and the shell community.
 */
import { describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness';
import { runShellScript } from '../helpers/shell-script';

const SECRET = 'Why does the payroll export to Quarrymoor fail?';

async function privateQuestion(t: Harness) {
  const room = t.channel('staff', { visibility: 'private', memberIds: ['maya', 'sam'] });
  const id = await t.say('maya', SECRET, { channel: room });
  const target = { id, channel: room, author: t.member('maya'), text: SECRET, at: t.clock.now() };
  t.platform.clear();
  return { room, id, target };
}

const everything = (t: Harness) => JSON.stringify(t.platform.calls);

describe('a non-member cannot act on a private message', () => {
  it('"Same here" (action): no quote, no count, no acknowledgement', async () => {
    const t = harness();
    const { target, id } = await privateQuestion(t);
    const reply = await t.command('zoe', 'Same here', {}, { target, channel: t.channel('general') });
    expect(reply.text).toBe('I can only count a same-here on a message you can read.');
    expect(await t.repos.sameHere.count(t.community, id)).toBe(0);
    expect(t.platform.calls).toEqual([]);
  });

  it('a reaction, /same-here and a typed "same here" from outside count nothing', async () => {
    const t = harness();
    const { room, id } = await privateQuestion(t);
    await t.react('zoe', id, '➕', 'staff');
    const command = await t.command('zoe', 'same-here', {}, { channel: room });
    expect(command.text).not.toContain('Quarrymoor');
    await t.say('zoe', 'same here', { channel: room, replyTo: id });
    expect(await t.repos.sameHere.count(t.community, id)).toBe(0);
    expect(everything(t)).not.toContain('Quarrymoor');
    expect(t.platform.of('reply')).toEqual([]);
  });

  it('"Ask a human about this" still reaches a person, without the message', async () => {
    const t = harness();
    const { target, id } = await privateQuestion(t);
    const reply = await t.command('zoe', 'Ask a human about this', {}, { target, channel: t.channel('general') });
    expect(reply.text).toMatch(/I've asked the moderators to help you/);
    const [request] = await t.repos.escalations.list(t.community);
    expect(request).toMatchObject({ requesterId: 'zoe', channelId: 'general', messageId: null, reason: null, source: 'command' });
    expect(everything(t)).not.toContain('Quarrymoor');
    expect(everything(t)).not.toContain(id);
  });

  it('a member of the channel still can', async () => {
    const t = harness();
    const { target, id } = await privateQuestion(t);
    const reply = await t.command('sam', 'Same here', {}, { target, channel: t.channel('staff') });
    expect(reply.text).toContain('Quarrymoor');
    expect(await t.repos.sameHere.count(t.community, id)).toBe(1);
  });
});

describe('shell community', () => {
  it('someone who is not in a private channel cannot "Same here" or react to its messages', async () => {
    const out = await runShellScript([
      ':as maya',
      ':in staff private',
      SECRET,
      ':as zoe',
      ':action Same here',
      ':react ➕',
      '/same-here',
      ':as maya',
      ':in general',
    ]);
    const text = out.join('\n');
    expect(text).toContain('(only @zoe sees this) Hearth: I can only count a same-here on a message you can read.');
    expect(text).not.toContain('Quarrymoor');
    expect(text).not.toMatch(/You're not alone/);
  });
});
