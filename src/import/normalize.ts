/**
 * Ids and names from history files as the core accepts them. Exports carry what their tools
 * wrote: IRC logs pad nicks ("[noobuntu] "), mailing-list archives use addresses. Rather than
 * lose such a member's messages, ids are trimmed, control characters dropped, and the
 * characters that could forge a mention (`< > @`, a leading `&`) replaced by their
 * full-width look-alikes, so distinct ids stay distinct. Every source goes through this one
 * function, so a reply's target and the message it names normalise alike.
 */
import type { ChannelRef, IncomingMessage, MemberRef } from '../core/events';
import type { ImportItem } from './types';
import { cutText } from '../core/text/mentions';

/** Already acceptable: nothing to trim, no control characters, no < > @, no leading &. */
const CLEAN = /^(?![\s&])[^<>@\p{Cc}]*(?<!\s)$/u;
const LOOK_ALIKE: Record<string, string> = { '<': '\uFF1C', '>': '\uFF1E', '@': '\uFF20', '&': '\uFF06' };

export function importId(raw: string): string {
  // Not a string at all (a hand-written file): left for the core to refuse, naming the field.
  if (typeof raw !== 'string' || CLEAN.test(raw)) return raw;
  return raw
    .replace(/\p{Cc}/gu, '')
    .trim()
    .replace(/[<>@]|^&/g, (c) => LOOK_ALIKE[c]);
}

const importName = (raw: string, fallback: string) => (typeof raw === 'string' && cutText(raw.replace(/\p{Cc}/gu, ' ').trim(), 200)) || fallback;
const optionalId = <T extends string | null | undefined>(raw: T): T => (typeof raw === 'string' ? (importId(raw) as T) : raw);

function member(m: MemberRef): MemberRef {
  const id = importId(m.id);
  return { ...m, id, name: importName(m.name, id) };
}

function channel(c: ChannelRef): ChannelRef {
  return {
    ...c,
    id: importId(c.id),
    name: cutText(c.name, 200),
    ...(c.parentId !== undefined ? { parentId: optionalId(c.parentId) } : {}),
    ...(c.memberIds ? { memberIds: c.memberIds.map(importId) } : {}),
  };
}

const clean = (id: string | null | undefined) => id == null || CLEAN.test(id);
const cleanName = (name: string, max: number) => name.length <= max && CLEAN.test(name);

/** Nothing to change (nearly every message of a real export): the item is passed on as it is. */
function messageIsClean(m: IncomingMessage): boolean {
  return (
    clean(m.id) && clean(m.channel.id) && clean(m.channel.parentId) && clean(m.author.id) && clean(m.threadId) && clean(m.replyTo) &&
    cleanName(m.author.name, 200) && m.channel.name.length <= 200 && (m.title == null || m.title.length <= 500) &&
    (m.mentions ?? []).every(clean) && (m.channel.memberIds ?? []).every(clean)
  );
}

function message(m: IncomingMessage): IncomingMessage {
  if (messageIsClean(m)) return m;
  return {
    ...m,
    id: importId(m.id),
    channel: channel(m.channel),
    author: member(m.author),
    ...(m.title != null ? { title: cutText(m.title, 500) } : {}),
    ...(m.threadId !== undefined ? { threadId: optionalId(m.threadId) } : {}),
    ...(m.replyTo !== undefined ? { replyTo: optionalId(m.replyTo) } : {}),
    ...(m.mentions ? { mentions: m.mentions.map(importId) } : {}),
  };
}

/** The item with its ids and names as the core accepts them. */
export function normaliseItem<T extends ImportItem>(item: T): T {
  return normalised(item) as T;
}

function normalised(item: ImportItem): ImportItem {
  switch (item.kind) {
    case 'message': {
      const m = message(item.message);
      return m === item.message ? item : { ...item, message: m };
    }
    case 'join':
      return {
        ...item,
        member: member(item.member),
        ...(item.channelId !== undefined ? { channelId: importId(item.channelId) } : {}),
        ...(item.notice ? { notice: message(item.notice) } : {}),
      };
    case 'delete':
      return { ...item, channelId: importId(item.channelId), messageId: importId(item.messageId) };
    default:
      return item;
  }
}
