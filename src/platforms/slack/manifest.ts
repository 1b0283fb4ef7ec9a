/**
 * The Slack app manifest, generated from `commands/`: every slash command, a message
 * shortcut for every command with a message action, and the scopes and events the adapter
 * uses. Paste it at https://api.slack.com/apps -> Create New App -> From a manifest.
 */
import type { CommandDefinition } from '../../../commands';

/** Bot scopes, each for something the adapter calls. */
export const BOT_SCOPES = [
  'channels:history', // message.channels
  'channels:read', // conversations.info / list, member_joined_channel
  'chat:write', // chat.postMessage, postEphemeral, update
  'chat:write.public', // welcome in #general without being invited first
  'commands', // slash commands and shortcuts
  'files:read', // downloading audio and video clips for a transcription (url_private_download)
  'files:write', // files.uploadV2 (charts)
  'groups:history', // message.groups
  'groups:read', // private channel info and members
  'im:history', // finding a keyed acknowledgement in a member's DM after a restart (conversations.history)
  'im:write', // conversations.open for DMs
  'reactions:read', // reaction_added, reaction_removed
  'reactions:write', // reactions.add
  'team:read', // the workspace's name
  'usergroups:read', // moderator user group membership
  'users:read', // names, admins/owners, team_join
  'users:read.email', // members' emails for the CRM export (users.info profile.email)
] as const;

export const BOT_EVENTS = [
  'app_home_opened',
  'channel_deleted',
  'group_deleted',
  'member_joined_channel',
  'member_left_channel',
  'message.channels',
  'message.groups',
  'reaction_added',
  'reaction_removed',
  'team_join',
] as const;

export interface ManifestOptions {
  name?: string;
  /** HTTP mode: the public URL Slack posts to (`https://host/slack/events`); Socket Mode when absent. */
  requestUrl?: string;
}

/** `[reason]` / `<setting> [value]`: how the command's text is read (see commands/parse.ts). */
export function usageHint(definition: CommandDefinition): string {
  return definition.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`)).join(' ');
}

export function buildSlackManifest(commands: CommandDefinition[], options: ManifestOptions = {}) {
  const name = options.name ?? 'Hearth';
  const url = options.requestUrl;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'A community companion that keeps people at the centre.',
      long_description:
        'Hearth greets newcomers and rallies a human welcomer, turns "same here" into validation instead of noise, ' +
        'surfaces related past discussions written by members, gets a human to anyone who asks for one (/human), ' +
        'and shows moderators how the community is doing. AI is optional and only ever assists a human.',
      background_color: '#7a3e1d',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: false, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: commands.map((c) => ({
        command: `/${c.name}`,
        description: c.description,
        ...(c.options.length ? { usage_hint: usageHint(c) } : {}),
        // Mentions arrive as <@U123>, which the option parser reads as member options.
        should_escape: true,
        ...(url ? { url } : {}),
      })),
      shortcuts: commands
        .filter((c) => c.messageAction)
        .map((c) => ({ name: c.messageAction!, type: 'message', callback_id: c.name, description: c.description })),
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !url,
      token_rotation_enabled: false,
    },
  };
}
