import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

describe('follow-ups until claimed', () => {
  it('with no second tier configured, the 30-minute step still mentions the moderators', async () => {
    const t = harness(); // moderatorRoles: ['mod-role'], secondTier: [] (the default)
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(10));
    await t.advance(t.minutes(20));
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(3);
    for (const ping of pings) expect(ping.audience.roleIds).toEqual(['mod-role']);
  });

  it('with a second tier, the 30-minute step mentions it', async () => {
    const t = harness({ settings: { secondTier: ['leads'] } });
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(30));
    expect(t.platform.of('notifyModerators').at(-1)?.audience).toMatchObject({ roleIds: ['leads'] });
  });
});
