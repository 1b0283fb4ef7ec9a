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

/** Discord ids are snowflakes: 17-20 digits. Anything else never reaches a mention. */
export function isSnowflake(id: string): boolean {
  return /^\d{15,21}$/.test(id);
}
