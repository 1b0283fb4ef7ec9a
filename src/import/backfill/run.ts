/**
 * Pulls history through a platform source into the database, page by page. After each page
 * is committed its cursor is saved, so a crash or Ctrl-C resumes from the last page; a page
 * fetched twice is harmless because replay skips messages already stored.
 */
import type { Clock } from '../../core/clock';
import type { Companion } from '../../core/companion';
import type { Repositories } from '../../core/storage';
import { emptyStats, STAT_KEYS, type ImportStats } from '../progress';
import { replayHistory } from '../replay';
import type { HistorySource } from './types';

interface ChannelCheckpoint {
  state?: string;
}

export interface BackfillOptions {
  source: HistorySource;
  companion: Companion;
  repos: Repositories;
  clock: Clock;
  /** Checked between pages: true stops cleanly (Ctrl-C). */
  shouldStop?: () => boolean;
  onProgress?(stats: BackfillResult): void;
  onError?(message: string): void;
}

export interface BackfillResult extends ImportStats {
  channels: number;
  pages: number;
  /** Channels whose history could not be read this run (no access, API error): the next run retries them from their checkpoint. */
  failedChannels: number;
  stopped: boolean;
}

export const checkpointKey = (community: string, channelId: string) => `backfill:${community}:${channelId}`;

export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const { source, repos, clock, companion } = options;
  const community = await source.community();
  const total: BackfillResult = { ...emptyStats(), channels: 0, pages: 0, failedChannels: 0, stopped: false };
  const channels = await source.channels();
  // Record every channel first: a thread is judged through its parent, and a parent that was
  // never recorded (a forum has no messages of its own) would make its posts unreadable.
  await repos.communities.ensure(community.id, companion.core.platform.name, community.name, clock.now());
  for (const { channel } of channels) await repos.channels.upsert(community.id, channel, clock.now());

  for (const { channel, container } of channels) {
    if (container) continue;
    const key = checkpointKey(community.id, channel.id);
    let state = ((await repos.checkpoints.get<ChannelCheckpoint>(key)) ?? {}).state;
    total.channels++;
    for (;;) {
      if (options.shouldStop?.()) {
        total.stopped = true;
        return total;
      }
      let page;
      try {
        page = await source.page(channel, state);
      } catch (error) {
        // One unreadable channel (missing access, a persistent API error) must not block the
        // others; its checkpoint stays at the last committed page for the next run.
        total.errors++;
        total.failedChannels++;
        options.onError?.(`#${channel.name} (${channel.id}): ${(error as Error).message}`);
        break;
      }
      const stats = await replayHistory(page.items, {
        companion,
        repos,
        community: community.id,
        communityName: community.name,
        batchSize: Math.max(1, page.items.length),
        onError: options.onError,
      });
      for (const k of STAT_KEYS) total[k] += stats[k];
      total.pages++;
      state = page.state;
      await repos.checkpoints.put(key, { state }, clock.now());
      options.onProgress?.(total);
      if (!page.more) break;
    }
  }
  return total;
}
