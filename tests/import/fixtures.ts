/**
 * Export files shaped like the real tools write them: DiscordChatExporter's JSON (every field
 * of a message, DMs under the "Direct Messages" pseudo-guild) and Slack's workspace export
 * (users.json, channels.json with is_general, per-channel daily files, the old subtypes).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import yazl from 'yazl';

export interface DceAuthor {
  id: string;
  name: string;
  nickname?: string;
  isBot?: boolean;
}

export interface DceMessageSpec {
  id: string;
  at: string;
  content?: string;
  author: DceAuthor;
  type?: string;
  edited?: string;
  reference?: { messageId: string; channelId: string; guildId?: string };
  mentions?: DceAuthor[];
}

const dceAuthor = (a: DceAuthor) => ({
  id: a.id,
  name: a.name,
  discriminator: '0000',
  nickname: a.nickname ?? a.name,
  color: null,
  isBot: a.isBot ?? false,
  roles: [],
  avatarUrl: `https://cdn.discordapp.com/embed/avatars/0.png`,
});

export function dceMessage(m: DceMessageSpec) {
  return {
    id: m.id,
    type: m.type ?? 'Default',
    timestamp: m.at,
    timestampEdited: m.edited ?? null,
    callEndedTimestamp: null,
    isPinned: false,
    content: m.content ?? '',
    author: dceAuthor(m.author),
    attachments: [],
    embeds: [],
    stickers: [],
    reactions: [],
    mentions: (m.mentions ?? []).map(dceAuthor),
    inlineEmojis: [],
    ...(m.reference ? { reference: m.reference } : {}),
  };
}

export interface DceChannelSpec {
  id: string;
  name: string;
  type?: string;
  categoryId?: string;
  category?: string;
  guild?: { id: string; name: string };
}

/** A DiscordChatExporter JSON document (indented, as the tool writes it). */
export function dceFile(channel: DceChannelSpec, messages: DceMessageSpec[]): string {
  const dm = channel.type === 'DirectTextChat' || channel.type === 'DirectGroupTextChat';
  const guild = channel.guild ?? (dm ? { id: '0', name: 'Direct Messages' } : { id: '900000000000000001', name: 'Hearth Test Guild' });
  return JSON.stringify(
    {
      guild: { ...guild, iconUrl: 'https://cdn.discordapp.com/embed/avatars/0.png' },
      channel: {
        id: channel.id,
        type: channel.type ?? 'GuildTextChat',
        categoryId: channel.categoryId ?? (dm ? '0' : '900000000000000002'),
        category: channel.category ?? (dm ? 'Private' : 'Text Channels'),
        name: channel.name,
        topic: null,
      },
      dateRange: { after: null, before: null },
      exportedAt: '2024-02-01T00:00:00+00:00',
      messages: messages.map(dceMessage),
      messageCount: messages.length,
    },
    null,
    2,
  );
}

export function writeFiles(root: string, files: Record<string, string | object>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 4));
  }
  return root;
}

export async function writeZip(path: string, files: Record<string, string | object>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 4)), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await once(out, 'close');
  return path;
}

/** Slack's ts for a UTC time (seconds with a six-digit sequence). */
export const ts = (iso: string, seq = 100) => `${Date.parse(iso) / 1000}.${String(seq).padStart(6, '0')}`;

export const slackUsers = [
  { id: 'U024BE7LH', team_id: 'T024BE7LD', name: 'ana', deleted: false, real_name: 'Ana Ortiz', profile: { real_name: 'Ana Ortiz', display_name: 'ana' }, is_bot: false },
  { id: 'U0G9QF9C6', team_id: 'T024BE7LD', name: 'sam', deleted: false, real_name: 'Sam Lee', profile: { real_name: 'Sam Lee', display_name: '' }, is_bot: false },
  { id: 'U0BOTUSER', team_id: 'T024BE7LD', name: 'deploybot', deleted: false, profile: { real_name: 'deploybot', display_name: '' }, is_bot: true },
];

export const slackChannel = (id: string, name: string, extra: object = {}) => ({
  id,
  name,
  created: 1451606400,
  creator: 'U024BE7LH',
  is_archived: false,
  is_general: false,
  members: ['U024BE7LH', 'U0G9QF9C6'],
  topic: { value: '', creator: '', last_set: 0 },
  purpose: { value: '', creator: '', last_set: 0 },
  ...extra,
});
