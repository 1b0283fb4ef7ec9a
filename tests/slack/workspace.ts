/**
 * The test workspace on the fake Slack (members, channels, the moderator user group) and the
 * payloads a member's actions send. Shared by the in-process harness (harness.ts) and the kill
 * soak, which keeps the fake in its own process while it kills and restarts the companion.
 */
import { FakeSlack } from '../fakes/slack/server';

export const IDS = {
  general: 'C0GENERAL',
  help: 'C0HELPDSK',
  mods: 'C0MODTEAM',
  staff: 'G0STAFFRM', // private
  modGroup: 'S0MODS',
  maya: 'U0MAYA',
  mod: 'U0MOD',
  owner: 'U0OWNER',
  outsider: 'U0OUT',
} as const;

export const SIGNING_SECRET = 'test-signing-secret';

/** The fake Slack with the test workspace, started on 127.0.0.1. */
export async function startFakeSlack(options: { now?: () => number } = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(options);
  fake
    .addUser({ id: IDS.maya, name: 'maya' })
    .addUser({ id: IDS.mod, name: 'mod' })
    .addUser({ id: IDS.owner, name: 'owner', is_owner: true })
    .addUser({ id: IDS.outsider, name: 'outsider' })
    .addChannel({ id: IDS.general, name: 'general', is_general: true })
    .addChannel({ id: IDS.help, name: 'help' })
    .addChannel({ id: IDS.mods, name: 'mods' })
    .addChannel({ id: IDS.staff, name: 'staff', is_private: true, members: [IDS.mod, IDS.maya] });
  fake.usergroups.set(IDS.modGroup, [IDS.mod]);
  await fake.start();
  return fake;
}

/** A slash command as Slack sends it (its response_url is a fresh one on the fake). */
export function slashCommandPayload(fake: FakeSlack, user: string, name: string, text: string, channel: string, triggerId: string): Record<string, string> {
  return {
    token: 'verification-token',
    command: `/${name}`,
    text,
    user_id: user,
    user_name: fake.users.get(user)?.name ?? user,
    team_id: fake.team.id,
    team_domain: fake.team.domain,
    channel_id: channel,
    channel_name: fake.channels.get(channel)?.name ?? channel,
    api_app_id: 'A0APP',
    response_url: fake.responseUrl(),
    trigger_id: triggerId,
  };
}
