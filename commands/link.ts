import { MINUTE } from '../src/core/clock';
import { personOf, type LinkCodeRefusal } from '../src/core/identity';
import { defineCommand } from './define';

const AGAIN = 'Run `/link` on your other account for a new one.';

const REFUSED: Record<LinkCodeRefusal, string> = {
  unknown: `That is not a code I know (codes look like \`ABCD-EFGH\`, and a newer code replaces an older one). ${AGAIN}`,
  expired: `That code has expired: codes work for a few minutes. ${AGAIN}`,
  used: `That code has already been used: each code works once. ${AGAIN}`,
  same_community:
    'That code was made in this community: use it from your account on the other platform (another community of this Hearth), ' +
    'where it links that account to the one that asked for it.',
  someone_else:
    '`/link` links only your own accounts: run `/link` on one of them for a code, then `/link CODE` on the other. ' +
    'To link accounts for someone else, ask a moderator.',
  already_linked: 'Those two accounts are already linked.',
  too_many: 'Too many codes I did not know from this account lately: wait a few minutes, then run `/link` on your other account for a new code.',
};

export default defineCommand({
  name: 'link',
  description: 'Link your own accounts on Discord and Slack: /link for a code, /link CODE on the other, /link remove',
  options: [{ name: 'code', type: 'string', description: 'A code from /link on your other account, or remove to undo your links' }],
  access: 'everyone',
  ephemeral: true,
  async run(core, invocation) {
    const account = { communityId: invocation.community, memberId: invocation.member.id };
    const text = typeof invocation.options.code === 'string' ? invocation.options.code.trim() : '';
    if (!text) {
      const { code, expiresAt } = await core.identity.startLink(account);
      const minutes = Math.round((expiresAt - core.clock.now()) / MINUTE);
      return {
        visibility: 'ephemeral',
        text:
          `Your link code (only you see it): on your account on the other platform, type \`/link ${code}\` within ${minutes} minutes. ` +
          'It works once. Do not share it: whoever uses it links their account to yours. ' +
          'Linked accounts are one person in the member records Hearth shares with your community team (export, webhooks, CRM); ' +
          '`/link remove` undoes it, and analytics off or forget-me on either account keeps both out.',
      };
    }
    if (/^(remove|unlink|undo)$/i.test(text)) {
      const removed = await core.identity.unlink(account);
      if (removed === undefined) {
        return {
          visibility: 'ephemeral',
          text: 'One of your linked accounts has analytics off or was forgotten, so the links stay: they keep everything about you out of the member records.',
        };
      }
      const still = ((await personOf(core.repos, account.communityId, account.memberId))?.accounts.length ?? 1) > 1;
      const email = still ? ' Accounts with the same email address stay one person.' : '';
      return {
        visibility: 'ephemeral',
        text: removed === 0 ? `This account is not linked to another one.${email}` : `Removed ${removed} link${removed === 1 ? '' : 's'} of this account.${email}`,
      };
    }
    const result = await core.identity.confirmLink(account, text);
    if (!result.ok) return { visibility: 'ephemeral', text: REFUSED[result.reason] };
    const where = (await core.repos.communities.get(result.other.communityId))?.name ?? result.other.communityId;
    return {
      visibility: 'ephemeral',
      text: `Linked: this account and your account in ${where} are now one person in Hearth's member records. \`/link remove\` undoes it.`,
    };
  },
});
