/**
 * Slack workspace exports (a folder or ZIP): users.json, channels.json (public),
 * groups.json / mpims.json (private, with members), and a folder per channel of daily JSON
 * files. Deleted messages are not imported, and a tombstone (a deleted message that kept its
 * replies) removes a copy stored earlier; edited ones carry their latest text.
 */
import type { ChannelRef } from '../../core/events';
import { slackMessageId } from '../../platforms/slack/ids';
import { fromSlackText, mentionedIds } from '../../platforms/slack/mrkdwn';
import type { ImportItem } from '../types';
import type { ExportFiles } from './files';

export interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string };
}
interface SlackChannel {
  id: string;
  name: string;
  members?: string[];
}
export interface SlackMessage {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  user_profile?: { display_name?: string; real_name?: string; name?: string };
  username?: string;
}

export function isSlackExport(files: string[]): boolean {
  return files.includes('users.json') && (files.includes('channels.json') || files.includes('groups.json'));
}

const tsToMs = (ts: string) => Math.round(Number(ts) * 1000);

async function readJson<T>(files: ExportFiles, path: string, fallback: T): Promise<{ value: T; error?: string }> {
  try {
    return { value: JSON.parse(await files.read(path)) as T };
  } catch (error) {
    return { value: fallback, error: `${files.describe(path)}: ${(error as Error).message}` };
  }
}

export async function* readSlackExport(files: ExportFiles): AsyncGenerator<ImportItem> {
  const list = await files.list();
  const usersFile = await readJson<SlackUser[]>(files, 'users.json', []);
  if (usersFile.error) yield { kind: 'error', error: usersFile.error, at: { file: files.describe('users.json') } };
  const users = new Map(usersFile.value.map((u) => [u.id, u]));
  const isBotUser = (id: string) => Boolean(users.get(id)?.is_bot);
  const nameOf = (id: string, message?: SlackMessage) => {
    const user = users.get(id);
    return (
      user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name ||
      message?.user_profile?.display_name || message?.user_profile?.real_name || message?.user_profile?.name || id
    );
  };

  const channels: { channel: ChannelRef; folder: string }[] = [];
  for (const [file, visibility] of [['channels.json', 'public'], ['groups.json', 'private'], ['mpims.json', 'private']] as const) {
    if (!list.includes(file)) continue;
    const parsed = await readJson<SlackChannel[]>(files, file, []);
    if (parsed.error) yield { kind: 'error', error: parsed.error, at: { file: files.describe(file) } };
    for (const c of parsed.value) {
      channels.push({
        folder: c.name,
        channel: { id: c.id, name: c.name, visibility, kind: 'text', ...(visibility === 'private' ? { memberIds: c.members ?? [] } : {}) },
      });
    }
  }

  for (const { channel, folder } of channels) {
    const days = list.filter((f) => f.startsWith(`${folder}/`) && /\/\d{4}-\d{2}-\d{2}\.json$/.test(f));
    for (const day of days) {
      const parsed = await readJson<SlackMessage[]>(files, day, []);
      if (parsed.error) {
        yield { kind: 'error', error: parsed.error, at: { file: files.describe(day) } };
        continue;
      }
      if (!Array.isArray(parsed.value)) {
        yield { kind: 'error', error: `${files.describe(day)}: expected an array of messages`, at: { file: files.describe(day) } };
        continue;
      }
      for (const [index, m] of parsed.value.entries()) {
        const item = slackMessageToItem(m, channel, nameOf, isBotUser, { file: files.describe(day), line: index + 1 });
        if (item) yield item;
      }
    }
  }
}

/**
 * One Slack message (export file or `conversations.history` / `replies`) as an import item;
 * a tombstone (a deleted message that had replies) as a delete of the stored copy; undefined
 * for what is not history (deletion events, leaves).
 */
export function slackMessageToItem(
  m: SlackMessage,
  channel: ChannelRef,
  nameOf: (id: string, message?: SlackMessage) => string,
  isBotUser: (id: string) => boolean,
  at: { file: string; line?: number },
): ImportItem | undefined {
  if (!m || typeof m !== 'object' || typeof m.ts !== 'string' || !Number.isFinite(Number(m.ts))) {
    return { kind: 'error', error: `${describe(at)}: message without a valid ts`, at };
  }
  if (m.subtype === 'tombstone') return { kind: 'delete', channelId: channel.id, messageId: slackMessageId(channel.id, m.ts), time: tsToMs(m.ts), at };
  if (m.subtype === 'message_deleted' || m.subtype === 'channel_leave') return undefined;
  const authorId = m.user ?? m.bot_id;
  if (!authorId) return { kind: 'error', error: `${describe(at)}: message without an author`, at };
  const isBot = Boolean(m.bot_id) || m.subtype === 'bot_message' || isBotUser(authorId);
  const author = { id: authorId, name: m.username && isBot ? m.username : nameOf(authorId, m), isBot };
  if (m.subtype === 'channel_join') return { kind: 'join', member: author, time: tsToMs(m.ts), channelId: channel.id, at };
  const inThread = m.thread_ts !== undefined && m.thread_ts !== m.ts;
  const root = inThread ? slackMessageId(channel.id, m.thread_ts!) : null;
  return {
    kind: 'message',
    at,
    message: {
      id: slackMessageId(channel.id, m.ts),
      channel,
      author,
      // The same reading as live events: entities unescaped, channel links and URLs as text.
      text: fromSlackText(m.text ?? ''),
      threadId: root,
      replyTo: root,
      mentions: mentionedIds(m.text ?? ''),
      at: tsToMs(m.ts),
    },
  };
}

const describe = (at: { file: string; line?: number }) => (at.line === undefined ? at.file : `${at.file}:${at.line}`);
