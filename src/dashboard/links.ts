/**
 * Links from the dashboard back to a conversation on its platform, built from ids alone so
 * they work without a platform connection (`hearth dashboard` over a database).
 */
export function conversationUrl(community: string, channelId: string, messageId: string | null): string | undefined {
  const [platform, id] = [community.slice(0, community.indexOf(':')), community.slice(community.indexOf(':') + 1)];
  if (platform === 'discord') return `https://discord.com/channels/${id}/${channelId}${messageId ? `/${messageId}` : ''}`;
  // Slack's archive links open the message in the workspace the viewer is signed in to.
  if (platform === 'slack') return `https://slack.com/archives/${channelId}${messageId && /^\d+\.\d+$/.test(messageId) ? `/p${messageId.replace('.', '')}` : ''}`;
  return undefined;
}

export const memberPath = (id: string) => `/members/${encodeURIComponent(id)}`;
