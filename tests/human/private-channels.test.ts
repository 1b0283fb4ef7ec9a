import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

// Moderators may not be able to read a private channel: the ping links to it, but quotes
// only what the member wrote to the team (a /human reason).
const PRIVATE_NOTE = 'Message: a message in a private channel — open the link.';

describe('escalations from private channels', () => {
  it('a typed request or high-stakes message there is linked, not quoted', async () => {
    const t = harness();
    const room = t.channel('billing-room', { visibility: 'private' });
    const id = await t.say('maya', 'can I talk to a human? my card ending 4471 was charged twice', { channel: room });
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).not.toContain('4471');
    expect(ping.message.text).toContain(PRIVATE_NOTE);
    expect(ping.message.text).toContain(`[Open the conversation](https://chat.test/billing-room/${id})`);
    // Neither is it quoted when the ping is edited or followed up.
    await t.say('maya', 'hello? my address is 12 Elm St', { channel: room });
    await t.advance(t.minutes(10));
    for (const text of [...t.platform.of('edit'), ...t.platform.of('notifyModerators')].map((c) => c.message.text)) {
      expect(text).not.toMatch(/4471|Elm St/);
    }
  });

  it('"Ask a human about this" on a private message does not quote it', async () => {
    const t = harness();
    const room = t.channel('staff-only', { visibility: 'private', memberIds: ['sam', 'maya'] });
    const id = await t.say('sam', 'the export drops rows for client ACME', { channel: room });
    const target = { id, channel: room, author: t.member('sam'), text: 'the export drops rows for client ACME', at: t.clock.now() };
    await t.command('maya', 'Ask a human about this', {}, { target, channel: room });
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).not.toContain('ACME');
    expect(ping.message.text).toContain(PRIVATE_NOTE);
  });

  it('a /human reason the member gave is still shown, and its repeat too', async () => {
    const t = harness();
    const room = t.channel('staff-only', { visibility: 'private' });
    await t.command('maya', 'human', { reason: 'my invoice is wrong' }, { channel: room });
    expect(t.platform.of('notifyModerators')[0].message.text).toContain('Reason: “my invoice is wrong”');
    await t.command('maya', 'human', { reason: 'it is due tomorrow' }, { channel: room });
    expect(t.platform.of('edit').at(-1)?.message.text).toContain('Latest: “it is due tomorrow”');
  });

  it('a same-here incident in a private channel does not quote the message in its reason', async () => {
    const t = harness({ settings: { humanFirstClasses: [] } });
    const room = t.channel('beta-testers', { visibility: 'private', memberIds: ['maya', 'm1', 'm2', 'm3', 'm4', 'm5'] });
    const q = await t.say('maya', 'Checkout for project Nightjar returns a 502 error for me, anyone else?', { channel: room });
    for (const who of ['m1', 'm2', 'm3', 'm4', 'm5']) await t.say(who, 'same here', { channel: room, replyTo: q });
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'incident', channelId: 'beta-testers' });
    expect(row.reason).toMatch(/^possible outage: 5 members report the same problem within/);
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).not.toContain('Nightjar');
    expect(ping.message.text).toContain(PRIVATE_NOTE);
  });

  it('public channels are quoted as before', async () => {
    const t = harness();
    await t.say('maya', 'can I talk to a human? the export drops rows');
    expect(t.platform.of('notifyModerators')[0].message.text).toContain('Reason: “can I talk to a human? the export drops rows”');
  });
});
