/**
 * App Home: moderators see the community pulse, everyone sees the care policy and how to
 * reach a human. The content comes from the commands of the same names (looked up in
 * `commands/`, so the Home shows whatever those commands answer); a command that is not in
 * this build is replaced by a short note.
 */
import type { Companion } from '../../core/companion';
import type { ChannelRef, MemberRef } from '../../core/events';
import type { SlackBlock, SlackPlatform } from './platform';

export interface HomeInput {
  companion: Companion;
  platform: SlackPlatform;
  member: MemberRef;
  /** The member's App Home conversation. */
  channel: ChannelRef;
  base: { community: string; communityName?: string; at: number };
}

const MAX_BLOCKS = 100;

export async function buildHomeView(input: HomeInput): Promise<{ type: 'home'; blocks: SlackBlock[] }> {
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Hearth' } }];
  if (input.member.isModerator) {
    blocks.push(...(await section(input, 'pulse', 'Community pulse', 'The community pulse is not available in this build yet.')));
  }
  const human = input.companion.findCommand('human')
    ? 'You can reach a person from the team any time: type `/human` in any channel, or use the message shortcut *Ask a human about this*.'
    : 'You can reach a person from the team by messaging a moderator.';
  blocks.push(...(await section(input, 'care-policy', 'Community care policy', human)));
  if (!blocks.some((b) => JSON.stringify(b).includes('/human')) && input.companion.findCommand('human')) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: human } });
  }
  return { type: 'home', blocks: blocks.slice(0, MAX_BLOCKS) };
}

async function section(input: HomeInput, command: string, title: string, fallback: string): Promise<SlackBlock[]> {
  const heading: SlackBlock[] = [{ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: title } }];
  if (!input.companion.findCommand(command)) return [...heading, { type: 'section', text: { type: 'mrkdwn', text: fallback } }];
  const reply = await input.companion.command({
    ...input.base,
    type: 'command_invoked',
    command,
    options: {},
    member: input.member,
    channel: input.channel,
  });
  const rendered = await input.platform.render(reply);
  const body: SlackBlock[] = rendered.blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text: rendered.text || ' ' } }];
  const note: SlackBlock[] = reply.attachments?.length ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Run \`/${command}\` to see the chart.` }] }] : [];
  return [...heading, ...body, ...note];
}
