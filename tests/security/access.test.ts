/**
 * Moderator-only commands are refused to members on every platform, through the real
 * adapters: Discord interactions (no Manage Server, no moderator role), Slack slash commands
 * (not an admin, not in the moderator user group) and the shell. A refusal changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { discordCommunity, type DiscordCommunity } from '../discord/setup';
import { runShellScript } from '../helpers/shell-script';
import { waitFor } from '../helpers/wait';
import { IDS, slackHarness, type SlackHarness } from '../slack/harness';

const MODERATOR_ONLY = commands.filter((c) => c.access === 'moderator').map((c) => c.name);

it('the moderator-only commands are the ones this file checks', () => {
  expect(MODERATOR_ONLY.sort()).toEqual(['dashboard', 'hearth-config', 'pulse', 'resolve', 'suggest-reply']);
});

describe('Discord', () => {
  let d: DiscordCommunity | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });

  const options: Record<string, { name: string; type: number; value: unknown }[]> = {
    pulse: [],
    dashboard: [],
    'hearth-config': [
      { name: 'setting', type: 3, value: 'welcomeMode' },
      { name: 'value', type: 3, value: 'dm' },
    ],
    'suggest-reply': [{ name: 'message', type: 3, value: '1' }],
    resolve: [{ name: 'id', type: 4, value: 1 }],
  };

  const answer = (token: string) =>
    waitFor(() => {
      const text = d!.fake.interactionCalls(token).map((c) => c.body?.data?.content ?? c.body?.content ?? '').join('\n');
      return text.trim() ? text : undefined;
    }, `the answer to ${token}`);

  it('refuses /pulse, /hearth-config, /suggest-reply, /resolve and /dashboard to a member without the role or Manage Server', async () => {
    d = await discordCommunity();
    // An open request #1 that /resolve could close if the check were missing.
    d.fake.slashCommand(d.owner, d.general, 'human', [{ name: 'reason', type: 3, value: 'billing question' }]);
    await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    for (const name of MODERATOR_ONLY) {
      const token = d.fake.slashCommand(d.maya, d.general, name, options[name]);
      expect(await answer(token)).toContain(`\`/${name}\` is for moderators.`);
    }
    expect((await d.repos.escalations.get(d.community, 1))?.status).toBe('open');
    expect((await d.repos.settings.all(d.community)).welcomeMode).toBeUndefined();
    // The moderator role and Manage Server (as Discord computed it) are let through.
    const byRole = d.fake.slashCommand(d.mod, d.general, 'pulse');
    expect(await answer(byRole)).toContain('Community pulse');
    const byPermission = d.fake.slashCommand(d.maya, d.general, 'pulse', [], String(1 << 5));
    expect(await answer(byPermission)).toContain('Community pulse');
  });
});

describe('Slack', () => {
  let t: SlackHarness | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const answer = (id: string) =>
    t!.eventually(() => {
      const found = t!.fake.responses.find((r) => r.id === id);
      expect(found).toBeDefined();
      return String(found!.body.text);
    });

  it('refuses moderator commands to a member who is neither an admin nor in the moderator group', async () => {
    t = await slackHarness('http');
    t.fake.usergroups.set('S0OTHER', [IDS.maya]); // in a user group, just not the moderators'
    await t.command(IDS.outsider, 'human', 'billing question');
    await t.eventually(async () => expect((await t!.repos.escalations.get(t!.community, 1))?.status).toBe('open'));
    const args: Record<string, string> = { pulse: '', dashboard: '', 'hearth-config': 'welcomeMode dm', 'suggest-reply': '1', resolve: '1 done' };
    for (const name of MODERATOR_ONLY) {
      const { responseId } = await t.command(IDS.maya, name, args[name]);
      expect(await answer(responseId)).toContain(`is for moderators`);
    }
    expect((await t.repos.escalations.get(t.community, 1))?.status).toBe('open');
    expect((await t.repos.settings.all(t.community)).welcomeMode).toBeUndefined();
    const allowed = await t.command(IDS.mod, 'pulse', '');
    expect(await answer(allowed.responseId)).toContain('Community pulse');
  });
});

describe('shell', () => {
  const script = async (lines: string[]) => (await runShellScript(lines)).join('\n');


  it('refuses moderator commands to a member, and serves the moderator', async () => {
    const out = await script([':as maya', '/pulse', '/hearth-config welcomeMode dm', '/resolve 1', '/dashboard', ':as mod', '/pulse']);
    expect(out).toContain('`/pulse` is for moderators.');
    expect(out).toContain('`/hearth-config` is for moderators.');
    expect(out).toContain('`/resolve` is for moderators.');
    expect(out).toContain('`/dashboard` is for moderators.');
    expect(out).toContain('Community pulse');
  });
});
