import { describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { run } from '../../src/cli/commands/slack-manifest';
import { BOT_EVENTS, buildSlackManifest } from '../../src/platforms/slack/manifest';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l), stdin: process.stdin });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('slack-manifest', () => {
  it('lists every command in commands/ as a slash command, and every message action as a shortcut', async () => {
    const { code, out } = await cli([]);
    expect(code).toBe(0);
    const manifest = JSON.parse(out);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    const actions = commands.filter((c) => c.messageAction);
    expect(actions.length).toBeGreaterThan(0);
    expect(manifest.features.shortcuts).toEqual(
      actions.map((c) => ({ name: c.messageAction, type: 'message', callback_id: c.name, description: c.description })),
    );
    for (const command of manifest.features.slash_commands) {
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.should_escape).toBe(true);
    }
  });

  it('enables Socket Mode, interactivity, App Home, the events and the scopes the adapter uses', () => {
    const manifest = buildSlackManifest(commands);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    for (const event of ['team_join', 'member_joined_channel', 'message.channels', 'message.groups', 'reaction_added', 'app_home_opened']) {
      expect(manifest.settings.event_subscriptions.bot_events).toContain(event);
    }
    for (const scope of ['chat:write', 'commands', 'users:read', 'channels:history', 'groups:history', 'im:write', 'reactions:read', 'usergroups:read', 'files:write', 'files:read', 'team:read', 'channels:read', 'groups:read']) {
      expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
    expect(manifest.features.slash_commands.find((c) => c.command === '/hearth-config')?.usage_hint).toBe('[setting] [value]');
  });

  it('generates an HTTP-mode manifest with request URLs', async () => {
    const { code, out } = await cli(['--request-url', 'https://hearth.example.org/slack/events', '--name', 'Our Hearth']);
    expect(code).toBe(0);
    const manifest = JSON.parse(out);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://hearth.example.org/slack/events');
    expect(manifest.settings.interactivity.request_url).toBe('https://hearth.example.org/slack/events');
    expect(manifest.features.slash_commands[0].url).toBe('https://hearth.example.org/slack/events');
    expect(manifest.display_information.name).toBe('Our Hearth');
  });

  it('rejects bad flags with a clear message', async () => {
    expect((await cli(['--request-url', 'http://insecure'])).err).toMatch(/must be an https:\/\/ URL/);
    expect((await cli(['--bogus'])).code).toBe(2);
  });
});
