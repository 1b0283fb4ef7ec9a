import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { harness } from '../helpers/harness';

describe('/related with a high-stakes question', () => {
  it('keeps the human path first instead of only listing past threads', async () => {
    const t = harness();
    const root = await t.say('sam', 'My account was hacked last month, how do I get it back?', { channelId: 'help' });
    await t.say('lee', 'Use the recovery form, it worked for me.', { channelId: 'help', replyTo: root });
    t.clock.advance(2 * DAY);
    const reply = await t.command('maya', 'related', { question: 'my account was hacked how do I get it back' });
    expect(reply.text).toContain(`https://chat.test/help/${root}`); // the search still answers
    expect(reply.text.split('\n')[0]).toMatch(/`\/human`/);
  });

  it('says nothing extra for an ordinary question', async () => {
    const t = harness();
    const reply = await t.command('maya', 'related', { question: 'best hiking trails nearby' });
    expect(reply.text).not.toMatch(/a person from the team/);
  });
});
