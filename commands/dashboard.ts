import { MINUTE } from '../src/core/clock';
import { createSignInToken, signOutEverywhere } from '../src/core/dashboard/access';
import { defineCommand } from './define';

export default defineCommand({
  name: 'dashboard',
  description: 'A sign-in link to the community dashboard, for you only (moderators)',
  options: [{ name: 'action', type: 'string', description: 'sign-out-everywhere ends every dashboard session', choices: ['sign-out-everywhere'] }],
  access: 'moderator',
  ephemeral: true,
  async run(core, invocation) {
    const action = typeof invocation.options.action === 'string' ? invocation.options.action.trim().toLowerCase() : '';
    if (action === 'sign-out-everywhere') {
      const ended = await signOutEverywhere(core, invocation.community);
      return { visibility: 'ephemeral', text: `Signed out everywhere: ${ended} dashboard session${ended === 1 ? '' : 's'} ended, and unused sign-in links no longer open.` };
    }
    if (action) return { visibility: 'ephemeral', text: 'Use `/dashboard` for a sign-in link, or `/dashboard sign-out-everywhere`.' };
    if (!core.dashboardUrl) {
      return { visibility: 'ephemeral', text: 'The dashboard is off here: an operator can turn it on with `HEARTH_DASHBOARD_PORT` (README, "Dashboard").' };
    }
    const { token, expiresAt } = await createSignInToken(core, invocation.community, invocation.member.id);
    const minutes = Math.round((expiresAt - core.clock.now()) / MINUTE);
    return {
      visibility: 'ephemeral',
      text: `Your sign-in link to the dashboard (for you only; it opens once, within ${minutes} minutes): ${core.dashboardUrl}/signin/${token}`,
    };
  },
});
