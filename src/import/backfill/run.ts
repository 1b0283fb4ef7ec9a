/**
 * Pulls history through a platform source into the database, page by page. After each page
 * is committed its cursor is saved, so a crash or Ctrl-C resumes from the last page; a page
 * fetched twice is harmless because replay skips messages already stored.
 */
import type { Clock } from '../../core/clock';
import type { Companion } from '../../core/companion';
import type { Repositories } from '../../db/repositories';
import type { ImportStats } from '../progress';
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
  onProgress?(stats: ImportStats): void;
  onError?(message: string): void;
}

export interface BackfillResult extends ImportStats {
  channels: number;
  pages: number;
  stopped: boolean;
}

export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const { source, repos, clock } = options;
  const community = await source.community();
  const total: BackfillResult = { messages: 0, joins: 0, duplicates: 0, edits: 0, errors: 0, channels: 0, pages: 0, stopped: false };
  for (const { channel } of await source.channels()) {
    const key = `backfill:${community.id}:${channel.id}`;
    let state = ((await repos.checkpoints.get<ChannelCheckpoint>(key)) ?? {}).state;
    total.channels++;
    for (;;) {
      if (options.shouldStop?.()) {
        total.stopped = true;
        return total;
      }
      const page = await source.page(channel, state);
      const stats = await replayHistory(page.items, {
        companion: options.companion,
        repos,
        community: community.id,
        communityName: community.name,
        batchSize: Math.max(1, page.items.length),
        onError: options.onError,
      });
      for (const k of ['messages', 'joins', 'duplicates', 'edits', 'errors'] as const) total[k] += stats[k];
      total.pages++;
      state = page.state;
      await repos.checkpoints.put(key, { state }, clock.now());
      options.onProgress?.(total);
      if (!page.more) break;
    }
  }
  return total;
}
