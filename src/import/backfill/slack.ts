/**
 * Slack history through the Web API (`conversations.history` and `.replies`, with the
 * WebClient's own rate-limit handling), replayed in time order (see SlackState); once a pass
 * completes, the next backfill only asks for messages after the newest seen, then looks at
 * the threads started in the two weeks before for replies posted since (history lists only
 * thread roots, so a new reply to an older thread would otherwise never be seen).
 */
import { webApi } from '@slack/bolt';
import type { ChannelRef } from '../../core/events';
import { slackMessageToItem, type SlackMessage, type SlackUser } from '../formats/slack-export';
import { itemTime, type ImportItem } from '../types';
import type { HistoryChannel, HistoryPage, HistorySource } from './types';

/**
 * A pass over a channel: scan newest -> oldest with the API cursor, noting each page's span;
 * then replay the spans oldest first, so history reaches the pipeline in time order (reply
 * inference and signals such as "returned to help" depend on it). The scan's last page is
 * replayed from memory, so a channel of one page (and most later runs) costs one call.
 */
interface SlackState {
  /** Only messages after this ts: the newest of the last completed pass. */
  oldest?: string;
  /** Scan: the history cursor of the walk. */
  cursor?: string;
  /** [oldest ts, newest ts] of each scanned page, newest first; replay pops the oldest. */
  windows?: [string, string][];
  /** Newest ts of this pass (the next pass's `oldest`). */
  newest?: string;
  replaying?: boolean;
}

/** A later pass looks for new replies in the threads started this long before it (seconds). */
const THREAD_LOOKBACK = 14 * 24 * 3600;

function spanOf(messages: { ts?: string }[]): [string, string] | undefined {
  const ts = messages.map((m) => m.ts).filter((t): t is string => typeof t === 'string' && Number.isFinite(Number(t)));
  if (ts.length === 0) return undefined;
  ts.sort((a, b) => Number(a) - Number(b));
  return [ts[0], ts[ts.length - 1]];
}

interface ApiMessage extends SlackMessage {
  reply_count?: number;
  /** ts of the thread's latest reply (on thread roots in history). */
  latest_reply?: string;
}

export interface SlackSourceOptions {
  token: string;
  /** Web API base (tests: the local fake), e.g. http://127.0.0.1:PORT/api/ */
  slackApiUrl?: string;
  pageSize?: number;
  /** WebClient retry policy (tests: no back-off); the default retries with back-off, waiting out 429s. */
  retryConfig?: webApi.RetryOptions;
}

export function slackHistorySource(options: SlackSourceOptions): HistorySource {
  const client = new webApi.WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    logLevel: webApi.LogLevel.ERROR,
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
  });
  const limit = options.pageSize ?? 200;
  let users: Map<string, SlackUser> | undefined;

  const loadUsers = async () => {
    if (users) return users;
    users = new Map();
    let cursor: string | undefined;
    do {
      const page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      for (const u of (page.members ?? []) as SlackUser[]) users.set(u.id, u);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return users;
  };
  const nameOf = (id: string, m?: SlackMessage) => {
    const u = users?.get(id);
    return u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || m?.user_profile?.display_name || id;
  };
  const isBotUser = (id: string) => Boolean(users?.get(id)?.is_bot);

  /** The messages of one window found by the scan (both ends included), all pages of it. */
  const historyBetween = async (channel: string, from: string, to: string): Promise<ApiMessage[]> => {
    const out: ApiMessage[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.history({ channel, oldest: from, latest: to, inclusive: true, limit, ...(cursor ? { cursor } : {}) });
      out.push(...((page.messages ?? []) as ApiMessage[]));
      cursor = page.has_more ? page.response_metadata?.next_cursor || undefined : undefined;
    } while (cursor);
    return out;
  };

  /** The replies of a thread (conversations.replies, all pages), oldest first, without its root; only those after `after` when given. */
  const repliesOf = async (channel: ChannelRef, root: string, after?: string): Promise<ImportItem[]> => {
    const items: ImportItem[] = [];
    const at = { file: `slack channel ${channel.id}` };
    let cursor: string | undefined;
    do {
      const replies = await client.conversations.replies({ channel: channel.id, ts: root, limit: 200, ...(after ? { oldest: after } : {}), ...(cursor ? { cursor } : {}) });
      for (const r of (replies.messages ?? []) as ApiMessage[]) {
        if (r.ts === root || !r.ts || (after && Number(r.ts) <= Number(after))) continue;
        items.push(slackMessageToItem(r, channel, nameOf, isBotUser, at));
      }
      cursor = replies.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return items;
  };

  /** Oldest first, each thread parent followed by its replies. */
  const toItems = async (channel: ChannelRef, messages: ApiMessage[]): Promise<ImportItem[]> => {
    const items: ImportItem[] = [];
    const at = { file: `slack channel ${channel.id}` };
    for (const m of messages.slice().sort((a, b) => Number(a.ts) - Number(b.ts))) {
      items.push(slackMessageToItem(m, channel, nameOf, isBotUser, at));
      if ((m.reply_count ?? 0) > 0 && m.ts) items.push(...(await repliesOf(channel, m.ts)));
    }
    return items;
  };

  /**
   * Replies posted after `since` in threads started in the THREAD_LOOKBACK before it: one
   * history read of those roots (they carry `latest_reply`), then the replies of the threads
   * that moved. A thread deleted meanwhile is passed over.
   */
  const newRepliesToRecentThreads = async (channel: ChannelRef, since: string): Promise<ImportItem[]> => {
    const roots = await historyBetween(channel.id, String(Number(since) - THREAD_LOOKBACK), since);
    const items: ImportItem[] = [];
    for (const root of roots) {
      if (!root.ts || !((root.reply_count ?? 0) > 0 && Number(root.latest_reply) > Number(since))) continue;
      try {
        items.push(...(await repliesOf(channel, root.ts, since)));
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error !== 'thread_not_found') throw error;
      }
    }
    return items.sort((a, b) => itemTime(a) - itemTime(b));
  };

  return {
    async community() {
      const auth = await client.auth.test();
      return { id: `slack:${auth.team_id}`, name: String(auth.team ?? auth.team_id) };
    },
    async channels(): Promise<HistoryChannel[]> {
      const result: HistoryChannel[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: false, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const c of page.channels ?? []) {
          if (!c.id || (!c.is_member && c.is_private)) continue;
          const ref: ChannelRef = { id: c.id, name: c.name ?? c.id, kind: 'text', visibility: c.is_private ? 'private' : 'public' };
          if (c.is_private) {
            ref.memberIds = [];
            let memberCursor: string | undefined;
            do {
              const members = await client.conversations.members({ channel: c.id, limit: 1000, ...(memberCursor ? { cursor: memberCursor } : {}) });
              ref.memberIds.push(...(members.members ?? []));
              memberCursor = members.response_metadata?.next_cursor || undefined;
            } while (memberCursor);
          }
          result.push({ channel: ref });
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return result;
    },
    async page(channel: ChannelRef, raw: string | undefined): Promise<HistoryPage> {
      await loadUsers();
      const state: SlackState = raw ? (JSON.parse(raw) as SlackState) : {};
      const windows = state.windows ?? [];
      let messages: ApiMessage[];
      let newest = state.newest;
      if (!state.replaying) {
        // Scan: Slack pages newest first; note each page's span and replay them oldest first.
        const page = await client.conversations.history({
          channel: channel.id,
          limit,
          ...(state.cursor ? { cursor: state.cursor } : {}),
          ...(state.oldest ? { oldest: state.oldest } : {}),
        });
        messages = (page.messages ?? []) as ApiMessage[];
        const span = spanOf(messages);
        if (span) {
          newest ??= span[1];
          windows.push(span);
        }
        const next = page.has_more ? page.response_metadata?.next_cursor : undefined;
        if (next) return { items: [], state: JSON.stringify({ ...state, cursor: next, windows, newest }), more: true };
        if (span) windows.pop(); // the scan's last page is the oldest window: replay it from this answer
        else if (windows.length) {
          const [from, to] = windows.pop()!;
          messages = await historyBetween(channel.id, from, to);
        }
      } else {
        const window = windows.pop();
        messages = window ? await historyBetween(channel.id, window[0], window[1]) : [];
      }
      const items = await toItems(channel, messages);
      const done = windows.length === 0;
      // A later pass ends with the new replies in threads started before it.
      if (done && state.oldest) items.push(...(await newRepliesToRecentThreads(channel, state.oldest)));
      const nextState: SlackState = done ? { oldest: newest ?? state.oldest } : { oldest: state.oldest, windows, newest, replaying: true };
      return { items, state: JSON.stringify(nextState), more: !done };
    },
  };
}
