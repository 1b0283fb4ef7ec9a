/** Community ids and links: a Discord guild `123` is the community `discord:123`. */

export const PLATFORM = 'discord';

export function communityOf(guildId: string): string {
  return `${PLATFORM}:${guildId}`;
}

/** The guild id inside a community id; throws for another platform's community. */
export function guildOf(community: string): string {
  if (!community.startsWith(`${PLATFORM}:`)) throw new Error(`"${community}" is not a Discord community`);
  return community.slice(PLATFORM.length + 1);
}

export function messageLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** The message id in a Discord message link (`.../channels/GUILD/CHANNEL/MESSAGE`). */
export function messageIdFromLink(link: string): string | undefined {
  const m = link.match(/^https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/channels\/(?:\d+|@me)\/\d+\/(\d+)\/?$/);
  return m ? m[1] : undefined;
}

/** Discord ids are snowflakes: 17-20 digits. Anything else never reaches a mention. */
export function isSnowflake(id: string): boolean {
  return /^\d{15,21}$/.test(id);
}
