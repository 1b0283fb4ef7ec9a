import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

describe('the same member asking twice at once', () => {
  it('two /human submitted together (double click, lag) make one request and one ping', async () => {
    const t = harness();
    const [a, b] = await Promise.all([t.command('maya', 'human', { reason: 'help' }), t.command('maya', 'human', { reason: 'help!!' })]);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(1);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    expect([a.text, b.text].filter((x) => /already have a request open/.test(x))).toHaveLength(1);
  });

  it('/human and a typed request arriving together make one request', async () => {
    const t = harness();
    await Promise.all([t.command('maya', 'human', {}), t.say('maya', 'can I talk to a human?')]);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(1);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });
});
