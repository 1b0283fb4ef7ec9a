/**
 * Slack workspace exports (a folder or ZIP): users.json, channels.json (public),
 * groups.json (private, with members), dms.json / mpims.json (direct messages, with members),
 * and a folder per conversation of daily JSON files. Replayed in time order across channels
 * (see merge.ts). Deleted messages are not imported, and a tombstone (a deleted message that
 * kept its replies) removes a copy stored earlier; edited ones carry their latest text and
 * when it was edited. Direct messages are left out unless asked for.
 */
import type { ChannelRef } from '../../core/events';
import { slackMessageId } from '../../platforms/slack/ids';
import { fromSlackText, mentionedIds } from '../../platforms/slack/mrkdwn';
import { POSTED_SUBTYPES } from '../../platforms/slack/subtypes';
import { mergeByTime } from '../merge';
import type { ImportItem, SourcePosition } from '../types';
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
  name?: string;
  is_general?: boolean;
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
  edited?: { user?: string; ts?: string };
  /** file_comment (before 2018): the comment, written by comment.user. */
  comment?: { user?: string; comment?: string };
}

export function isSlackExport(files: string[]): boolean {
  return files.includes('users.json') && (files.includes('channels.json') || files.includes('groups.json'));
}

const tsToMs = (ts: string) => Math.round(Number(ts) * 1000);

async function readJson<T>(files: ExportFiles, path: string, fallback: T): Promise<{ value: T; error?: string }> {
  try {
    return { value: JSON.parse(await files.read(path)) as T };
  } catch (error) {
    return { value: fallback, error: (error as Error).message };
  }
}

/**
 * users.json, channels.json and the like: a list of objects with a string `id`. A file of
 * another shape is an error (and read as empty); entries without an id are left out, said once.
 */
async function readList<T extends { id: string }>(files: ExportFiles, path: string): Promise<{ value: T[]; error?: string }> {
  const parsed = await readJson<unknown>(files, path, []);
  if (parsed.error) return { value: [], error: parsed.error };
  if (!Array.isArray(parsed.value)) return { value: [], error: 'expected a list of objects' };
  const value = parsed.value.filter((e): e is T => typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string');
  const left = parsed.value.length - value.length;
  return left ? { value, error: `${left} ${left === 1 ? 'entry' : 'entries'} without a string "id" left out` } : { value };
}

const CONVERSATION_FILES = [
  ['channels.json', 'public'],
  ['groups.json', 'private'],
  ['dms.json', 'dm'],
  ['mpims.json', 'dm'],
] as const;

export async function* readSlackExport(files: ExportFiles, options: { includeDms?: boolean } = {}): AsyncGenerator<ImportItem> {
  const list = await files.list();
  const usersFile = await readList<SlackUser>(files, 'users.json');
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
  let general: string | undefined;
  for (const [file, kind] of CONVERSATION_FILES) {
    if (!list.includes(file)) continue;
    const parsed = await readList<SlackChannel>(files, file);
    if (parsed.error) yield { kind: 'error', error: parsed.error, at: { file: files.describe(file) } };
    for (const c of parsed.value) {
      // A DM's folder is its id; every other conversation's, its name.
      const folder = c.name ?? c.id;
      if (kind === 'dm' && !options.includeDms) {
        yield { kind: 'skip', what: 'dm', reason: 'direct messages', at: { file: files.describe(`${folder}/`) } };
        continue;
      }
      if (c.is_general) general = c.id;
      const name = kind === 'dm' && !c.name ? (c.members ?? []).map((id) => nameOf(id)).join(', ') || c.id : (c.name ?? c.id);
      channels.push({
        folder,
        channel: {
          id: c.id,
          name,
          visibility: kind === 'public' ? 'public' : 'private',
          kind: kind === 'dm' ? 'dm' : 'text',
          ...(kind !== 'public' ? { memberIds: c.members ?? [] } : {}),
        },
      });
    }
  }

  // One stream per conversation, its days in order; merged by time across conversations.
  const streams = channels.map(({ channel, folder }) => {
    const days = list.filter((f) => f.startsWith(`${folder}/`) && /\/\d{4}-\d{2}-\d{2}\.json$/.test(f));
    return () => conversation(files, channel, days, nameOf, isBotUser);
  });
  // Joining the workspace puts everyone in its general channel: a channel_join there is the
  // member joining; joining any other channel is not (without a general channel, a member's
  // first channel_join is). Counting each again would report joins that did not happen.
  const joined = new Set<string>();
  for await (const item of mergeByTime(streams)) {
    if (item.kind === 'join' && (general ? item.channelId !== general : joined.has(item.member.id))) {
      yield { kind: 'skip', what: 'record', reason: 'channel_join', time: item.time, at: item.at };
      continue;
    }
    if (item.kind === 'join') joined.add(item.member.id);
    yield item;
  }
}

async function* conversation(
  files: ExportFiles,
  channel: ChannelRef,
  days: string[],
  nameOf: (id: string, message?: SlackMessage) => string,
  isBotUser: (id: string) => boolean,
): AsyncGenerator<ImportItem> {
  for (const day of days) {
    const file = files.describe(day);
    const parsed = await readJson<SlackMessage[]>(files, day, []);
    if (parsed.error) {
      yield { kind: 'error', error: parsed.error, at: { file } };
      continue;
    }
    if (!Array.isArray(parsed.value)) {
      yield { kind: 'error', error: 'expected an array of messages', at: { file } };
      continue;
    }
    for (const [index, m] of parsed.value.entries()) yield slackMessageToItem(m, channel, nameOf, isBotUser, { file, message: index + 1 });
  }
}

/**
 * One Slack message (export file or `conversations.history` / `replies`) as an import item,
 * read as the live adapter reads it (POSTED_SUBTYPES are conversation); a tombstone (a
 * deleted message that had replies) as a delete of the stored copy; a channel_join as a
 * join; a file_comment (2016-era exports) as the commenter's message; anything else (topic,
 * purpose, pins, leaves, hidden change events) skipped and counted.
 */
export function slackMessageToItem(
  m: SlackMessage,
  channel: ChannelRef,
  nameOf: (id: string, message?: SlackMessage) => string,
  isBotUser: (id: string) => boolean,
  at: SourcePosition,
): ImportItem {
  if (!m || typeof m !== 'object' || typeof m.ts !== 'string' || !Number.isFinite(Number(m.ts))) {
    return { kind: 'error', error: 'message without a valid ts', at };
  }
  // What is read as text or as an id must be one: a number or an object there is no message.
  const wrong = (['subtype', 'user', 'bot_id', 'text', 'thread_ts', 'username'] as const).find((field) => m[field] != null && typeof m[field] !== 'string');
  if (wrong) return { kind: 'error', error: `"${wrong}" must be a string`, at };
  const time = tsToMs(m.ts);
  if (m.subtype === 'tombstone') return { kind: 'delete', channelId: channel.id, messageId: slackMessageId(channel.id, m.ts), time, at };
  const comment = m.subtype === 'file_comment' && typeof m.comment?.user === 'string' ? m.comment : undefined;
  const joining = m.subtype === 'channel_join' || m.subtype === 'group_join';
  if (!POSTED_SUBTYPES.has(m.subtype) && !joining && !(comment?.user && typeof comment.comment === 'string')) {
    return { kind: 'skip', what: 'record', reason: m.subtype ?? 'message', time, at };
  }
  // As live: a bot post without a user is its bot's (or an unknown bot's, for integrations that had no bot_id).
  const authorId = comment?.user ?? m.user ?? m.bot_id ?? (m.subtype === 'bot_message' ? 'unknown-bot' : undefined);
  if (!authorId) return { kind: 'error', error: 'message without an author', at };
  const isBot = !comment && (Boolean(m.bot_id) || m.subtype === 'bot_message' || isBotUser(authorId));
  const author = { id: authorId, name: m.username && isBot ? m.username : nameOf(authorId, m), isBot };
  if (joining) return { kind: 'join', member: author, time, channelId: channel.id, at };
  const text = comment ? comment.comment! : (m.text ?? '');
  const inThread = m.thread_ts != null && m.thread_ts !== m.ts;
  const root = inThread ? slackMessageId(channel.id, m.thread_ts!) : null;
  const edited = m.edited?.ts && Number.isFinite(Number(m.edited.ts)) ? tsToMs(m.edited.ts) : undefined;
  return {
    kind: 'message',
    at,
    message: {
      id: slackMessageId(channel.id, m.ts),
      channel,
      author,
      // The same reading as live events: entities unescaped, channel links and URLs as text.
      text: fromSlackText(text),
      threadId: root,
      replyTo: root,
      mentions: mentionedIds(text),
      at: time,
      editedAt: edited ?? null,
    },
  };
}
