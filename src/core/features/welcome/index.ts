/**
 * Newcomers: a personal welcome on join, in the welcome channel or by DM.
 * (The welcome crew, first-post nudges and welcome metrics build on this.)
 */
import type { CoreContext, EventNotes, Feature } from '../../context';
import type { HearthEvent, MemberJoinedEvent } from '../../events';
import { neutralizeMentions } from '../../text/mentions';

export class WelcomeFeature implements Feature {
  constructor(private readonly core: CoreContext) {}

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type === 'member_joined' && !notes.fromBot && !notes.historical) await this.welcome(event);
  }

  /** Post the community's welcome for a newcomer. */
  async welcome(event: MemberJoinedEvent): Promise<void> {
    const { platform, settings, repos } = this.core;
    const config = await settings.get(event.community);
    const community = await repos.communities.get(event.community);
    const text = renderTemplate(config.welcomeTemplate, {
      name: `<@${event.member.id}>`,
      community: neutralizeMentions(community?.name ?? 'the community'),
    });
    const message = { text, mentionUsers: [event.member.id] };
    const channelId = config.welcomeChannel ?? event.welcomeChannelId;
    if (config.welcomeMode === 'dm' || !channelId) await platform.dm(event.community, event.member.id, message);
    else await platform.post(event.community, channelId, message);
  }
}

/** Fill `{name}`-style placeholders; unknown placeholders are left as they are. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
