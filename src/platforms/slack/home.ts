/**
 * App Home: moderators see the community pulse, everyone sees the care policy and how to
 * reach a human. The content comes from the commands of the same names (looked up in
 * `commands/`, so the Home shows whatever those commands answer); a command that is not in
 * this build is replaced by a short note.
 */
import type { Companion } from '../../core/companion';
import type { ChannelRef, MemberRef } from '../../core/events';
import { chunks, SECTION_MAX, type SlackBlock, type SlackPlatform } from './platform';

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
  blocks.push(...(await section(input, 'care-policy', 'Community care policy', 'The care policy is not available in this build yet.')));
  // The way to a human is never cut off by a long section above it.
  const reach: SlackBlock[] = [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Reaching a human' } },
    { type: 'section', text: { type: 'mrkdwn', text: reachHuman(input.companion) } },
  ];
  return { type: 'home', blocks: [...blocks.slice(0, MAX_BLOCKS - reach.length), ...reach] };
}

/** How to reach a person, from the `human` command's own definition when it exists. */
function reachHuman(companion: Companion): string {
  const human = companion.findCommand('human');
  if (!human) return 'Message a moderator: a person from the team will answer.';
  const shortcut = human.messageAction ? `, or use the message shortcut *${human.messageAction}* on any message` : '';
  return `A person from the team is always reachable: type \`/${human.name}\` in any channel${shortcut}.`;
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
  // One section holds at most 3000 characters, or Slack refuses the whole view.
  const body: SlackBlock[] = rendered.blocks ?? chunks(rendered.text, SECTION_MAX).map((text): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: text || ' ' } }));
  const note: SlackBlock[] = reply.attachments?.length ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Run \`/${command}\` to see the chart.` }] }] : [];
  return [...heading, ...body, ...note];
}
