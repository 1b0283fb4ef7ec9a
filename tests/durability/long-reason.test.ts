/** A `/human` reason longer than the longest message we keep is cut like a message, not dropped. */
import { describe, expect, it } from 'vitest';
import { MAX_TEXT } from '../../src/core/normalize';
import { harness } from '../helpers/harness';

describe('/human with a very long reason', () => {
  it('opens the request with the reason cut, instead of "could not read that command"', async () => {
    const t = harness();
    const reply = await t.command('maya', 'human', { reason: `my account was charged twice ${'x'.repeat(MAX_TEXT + 5_000)}` });
    expect(reply.text).toContain("I've asked the moderators to help you (request #1)");
    const [escalation] = await t.repos.escalations.list(t.community);
    expect(escalation).toMatchObject({ requesterId: 'maya', status: 'open' });
    expect(escalation.reason?.startsWith('my account was charged twice')).toBe(true);
  });
});
