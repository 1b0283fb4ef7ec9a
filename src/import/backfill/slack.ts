/**
 * Slack history through the Web API (`conversations.history` and `.replies`, with the
 * WebClient's own rate-limit handling). A pass walks a channel newest-to-oldest with the
 * API cursor; once complete, the next backfill only asks for messages after the newest seen.
 */
import { webApi } from '@slack/bolt';
import type { ChannelRef } from '../../core/events';
import { slackMessageToItem, type SlackMessage, type SlackUser } from '../formats/slack-export';
import type { ImportItem } from '../types';
import type { HistoryChannel, HistoryPage, HistorySource } from './types';

interface SlackState {
  /** Cursor of the pass in progress. */
  cursor?: string;
  /** Only messages after this ts (set when a pass completes). */
  oldest?: string;
  /** Newest ts seen in the pass in progress. */
  newest?: string;
}

interface ApiMessage extends SlackMessage {
  reply_count?: number;
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
      const page = await client.conversations.history({
        channel: channel.id,
        limit,
        ...(state.cursor ? { cursor: state.cursor } : {}),
        ...(state.oldest ? { oldest: state.oldest } : {}),
      });
      const items: ImportItem[] = [];
      const at = { file: `slack channel ${channel.id}` };
      // Oldest first within the page so thread parents precede their replies.
      const messages = ((page.messages ?? []) as ApiMessage[]).slice().sort((a, b) => Number(a.ts) - Number(b.ts));
      let newest = state.newest;
      for (const m of messages) {
        const item = slackMessageToItem(m, channel, nameOf, isBotUser, at);
        if (item) items.push(item);
        if (m.ts && (!newest || Number(m.ts) > Number(newest))) newest = m.ts;
        if ((m.reply_count ?? 0) > 0 && m.ts) {
          let replyCursor: string | undefined;
          do {
            const replies = await client.conversations.replies({ channel: channel.id, ts: m.ts, limit: 200, ...(replyCursor ? { cursor: replyCursor } : {}) });
            for (const r of (replies.messages ?? []) as ApiMessage[]) {
              if (r.ts === m.ts) continue;
              const reply = slackMessageToItem(r, channel, nameOf, isBotUser, at);
              if (reply) items.push(reply);
            }
            replyCursor = replies.response_metadata?.next_cursor || undefined;
          } while (replyCursor);
        }
      }
      const next = page.has_more ? page.response_metadata?.next_cursor : undefined;
      const nextState: SlackState = next ? { cursor: next, oldest: state.oldest, newest } : { oldest: newest ?? state.oldest };
      return { items, state: JSON.stringify(nextState), more: Boolean(next) };
    },
  };
}
