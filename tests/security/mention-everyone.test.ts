/**
 * A moderator role that is really "everyone" would make every escalation ping the whole
 * community (and, on Discord, make every member a moderator: each member holds the @everyone
 * role, whose id is the server's). `/hearth-config` refuses such values with the reason.
 */
import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

const EVERYONE = ['everyone', '@everyone', 'Everyone', '@here', 'here', 'channel', '<!channel>', '<!here>', '<!everyone>', 'mod-role, @everyone'];

describe('/hearth-config refuses a moderator role that pings everyone', () => {
  for (const setting of ['moderatorRoles', 'secondTier']) {
    it(`${setting}: everyone, here and channel, in any spelling`, async () => {
      const t = harness();
      for (const value of EVERYONE) {
        const reply = await t.command('mod', 'hearth-config', { setting, value });
        expect(reply.text, value).toMatch(new RegExp(`^Could not set ${setting}: .*would ping the whole community`));
      }
      expect((await t.core.settings.get(t.community))[setting as 'moderatorRoles']).toEqual(setting === 'moderatorRoles' ? ['mod-role'] : []);
    });
  }

  it("Discord's @everyone role (the server's own id), typed or mentioned, is refused; another role is taken", async () => {
    const t = harness({ community: 'discord:123456789012345678', platformName: 'discord' });
    for (const value of ['123456789012345678', '<@&123456789012345678>']) {
      const reply = await t.command('mod', 'hearth-config', { setting: 'moderatorRoles', value });
      expect(reply.text, value).toBe("Could not set moderatorRoles: 123456789012345678 is this community's everyone role (its id is the server's own): it would ping the whole community on every escalation; name a moderator role instead");
    }
    const ok = await t.command('mod', 'hearth-config', { setting: 'moderatorRoles', value: '<@&223456789012345678>' });
    expect(ok.text).toBe('**moderatorRoles** is now 223456789012345678.');
  });

  it('an escalation after a refused change still pings only the moderator role', async () => {
    const t = harness();
    await t.command('mod', 'hearth-config', { setting: 'moderatorRoles', value: 'everyone' });
    await t.command('nina', 'human', { reason: 'my invoice is wrong' });
    expect(t.platform.of('notifyModerators').map((c) => c.audience.roleIds)).toEqual([['mod-role']]);
  });
});
