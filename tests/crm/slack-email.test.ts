/**
 * Emails for the CRM export come from Slack's user profiles (`users.info`, and the user in a
 * `team_join`), which carry `profile.email` only with the `users:read.email` scope: the real
 * Bolt adapter against the fake Slack.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { memberHealth } from '../../src/core/health/member-health';
import { buildSlackManifest } from '../../src/platforms/slack/manifest';
import { slackHarness, type SlackHarness } from '../slack/harness';

describe('Slack member emails', () => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  it('the manifest asks for users:read.email', () => {
    expect(buildSlackManifest(commands).oauth_config.scopes.bot).toContain('users:read.email');
  });

  it('a member\'s profile email is stored and exported; without one it stays null', async () => {
    t = await slackHarness('socket');
    t.fake.addUser({ id: 'U0ANA', name: 'ana', email: 'ana@example.org' });
    t.fake.addUser({ id: 'U0BO', name: 'bo' });
    await t.say('U0ANA', 'hello from ana');
    await t.say('U0BO', 'hello from bo');
    await t.eventually(async () => expect(await t.repos.members.get(t.community, 'U0BO')).toBeDefined());
    expect((await t.repos.members.get(t.community, 'U0ANA'))?.email).toBe('ana@example.org');
    expect((await t.repos.members.get(t.community, 'U0BO'))?.email).toBeNull();
    const records = await memberHealth({ repos: t.repos, settings: t.service.companion.core.settings }, t.community, { now: t.clock.now() });
    expect(records.filter((r) => r.memberId.startsWith('U0A') || r.memberId === 'U0BO').map((r) => [r.memberId, r.platform, r.email])).toEqual([
      ['U0ANA', 'slack', 'ana@example.org'],
      ['U0BO', 'slack', null],
    ]);
  });

  it('a newcomer\'s email arrives with team_join', async () => {
    t = await slackHarness('socket');
    await t.event({ type: 'team_join', user: { id: 'U0NEW', name: 'newbie', team_id: t.fake.team.id, is_bot: false, profile: { display_name: 'newbie', email: 'newbie@example.org' } } });
    await t.eventually(async () => expect((await t.repos.members.get(t.community, 'U0NEW'))?.email).toBe('newbie@example.org'));
  });
});
