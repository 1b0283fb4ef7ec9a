/**
 * Wraps the platform port so nothing the companion sends can carry a mass, role or group
 * mention, whatever a feature forgot to quote. Adapters add their own guard as well
 * (Discord allowedMentions, Slack escaping): this one is platform-neutral.
 */
import type { OutgoingMessage, PlatformPort } from './platform';
import { stripMassMentions } from './text/mentions';

export function safeMessage<T extends OutgoingMessage>(message: T): T {
  return { ...message, text: stripMassMentions(message.text), ...(message.label ? { label: stripMassMentions(message.label) } : {}) };
}

export function guardPlatform(platform: PlatformPort): PlatformPort {
  return {
    get name() {
      return platform.name;
    },
    get selfId() {
      return platform.selfId;
    },
    post: (community, channelId, message) => platform.post(community, channelId, safeMessage(message)),
    reply: (community, to, message) => platform.reply(community, to, safeMessage(message)),
    edit: (community, target, message) => platform.edit(community, target, safeMessage(message)),
    dm: (community, memberId, message) => platform.dm(community, memberId, safeMessage(message)),
    ephemeral: (community, channelId, memberId, message, via) => platform.ephemeral(community, channelId, memberId, safeMessage(message), via),
    react: (community, target, emoji) => platform.react(community, target, emoji),
    notifyModerators: (community, audience, message) => platform.notifyModerators(community, audience, safeMessage(message)),
    permalink: (community, target) => platform.permalink(community, target),
    ...(platform.messageIdFromLink ? { messageIdFromLink: (link: string) => platform.messageIdFromLink!(link) } : {}),
    // Looked up on each use: only platforms whose history can be searched have it.
    get findPosted() {
      return platform.findPosted?.bind(platform);
    },
    get servedCommunities() {
      return platform.servedCommunities?.bind(platform);
    },
    get fetchAudio() {
      return platform.fetchAudio?.bind(platform);
    },
  };
}
