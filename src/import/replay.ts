/**
 * Replays history through the live pipeline (ingest, index, signals) as historical events,
 * so the imported past means exactly what it would have meant live, and nothing is sent.
 * Idempotent: a message already stored is skipped, a text changed since becomes an edit (unless
 * the stored copy was edited later), a join already recorded is not told again, and a message
 * the source marks deleted is removed if it was stored. Each record counts once.
 */
import type { Companion } from '../core/companion';
import type { IncomingMessage } from '../core/events';
import { normalizeEvent } from '../core/normalize';
import type { Repositories } from '../core/storage';
import { normaliseItem } from './normalize';
import { emptyStats, type ImportStats } from './progress';
import { describePosition, itemTime, type ImportItem, type SourcePosition } from './types';

export interface ReplayOptions {
  companion: Companion;
  repos: Repositories;
  community: string;
  communityName?: string;
  /** `message` names the place (describePosition); `detail` is the error alone (for callers that name the place themselves). */
  onError?(message: string, at: SourcePosition, detail: string): void;
  onProgress?(stats: ImportStats): void;
  /** Items per database transaction (speed; a crash loses at most one batch, which re-import restores). */
  batchSize?: number;
  /** Called with each item's time before it is replayed (e.g. to move a manual clock along). */
  beforeItem?(time: number): void;
}

export async function replayHistory(items: AsyncIterable<ImportItem> | Iterable<ImportItem>, options: ReplayOptions): Promise<ImportStats> {
  const { companion, repos, community } = options;
  const stats = emptyStats();
  // 2,000 messages a transaction: pages several messages change (index leaves, FTS segments)
  // are written once a batch. Counted with strace, importing 100k: 500 -> 2,000 halves the
  // file writes (5.8 -> 2.8 a message); 5,000 saves little more and holds the write lock
  // (which a running bot waits for) over a second.
  const batchSize = options.batchSize ?? 2000;
  const base = { community, communityName: options.communityName };
  const fail = (at: SourcePosition, error: string): 'error' => {
    stats.errors++;
    options.onError?.(`${describePosition(at)}: ${error}`, at, error);
    return 'error';
  };

  /** A message: new, already stored (unchanged, or stored text as new as this), or an edit of the stored copy. */
  const post = async (message: IncomingMessage, at: SourcePosition): Promise<Outcome> => {
    const result = await companion.handle({ ...base, type: 'message_posted', at: message.at, message }, { historical: true });
    if (!result.ok) return fail(at, result.error);
    if (!result.notes.duplicate) return 'new';
    const stored = await repos.messages.get(community, message.id);
    if (!stored || stored.text === null) return 'duplicate';
    // A source that dates its edits (null: never edited) changes a stored copy only if its text is
    // the newer one (a copy edited live after the export stays); one that does not: latest import wins.
    const editedAt = message.editedAt ?? message.at;
    if (message.editedAt !== undefined && stored.editedAt !== null && editedAt <= stored.editedAt) return 'duplicate';
    let edit;
    try {
      edit = normalizeEvent({ ...base, type: 'message_edited', at: editedAt, channelId: message.channel.id, messageId: message.id, text: message.text, title: message.title });
    } catch (error) {
      return fail(at, (error as Error).message);
    }
    // Compared as the core stores text (cut to length, NUL bytes dropped): no edit that did not happen.
    if (edit.type !== 'message_edited' || edit.text === stored.text) return 'duplicate';
    const edited = await companion.handle(edit, { historical: true });
    if (!edited.ok) return fail(at, edited.error);
    return edited.notes.duplicate ? 'duplicate' : 'edit';
  };

  /** A join at or before the one recorded is history already told (a re-import, an older export). */
  const join = async (item: Extract<ImportItem, { kind: 'join' }>): Promise<Outcome> => {
    const known = await repos.members.get(community, item.member.id);
    if (known?.joinedAt != null && item.time <= known.joinedAt) return 'duplicate';
    const result = await companion.handle({ ...base, type: 'member_joined', at: item.time, member: item.member, welcomeChannelId: item.channelId }, { historical: true });
    if (!result.ok) return fail(item.at, result.error);
    return result.notes.duplicate ? 'duplicate' : 'new';
  };

  const remove = async (item: Extract<ImportItem, { kind: 'delete' }>): Promise<void> => {
    // Only a copy stored earlier (a previous import or the live bot); the core checks the channel.
    if (!(await repos.messages.get(community, item.messageId))) return;
    const result = await companion.handle({ ...base, type: 'message_deleted', at: item.time, channelId: item.channelId, messageId: item.messageId }, { historical: true });
    if (!result.ok) fail(item.at, result.error);
    else if (!(await repos.messages.get(community, item.messageId))) stats.deleted++;
  };

  let inBatch = 0;
  await repos.begin();
  try {
    for await (const raw of items) {
      if (raw.kind === 'error') {
        fail(raw.at, raw.error);
        continue;
      }
      if (raw.kind === 'skip') {
        if (raw.what === 'dm') stats.skippedDms++;
        else stats.skipped++;
        continue;
      }
      const item = normaliseItem(raw);
      options.beforeItem?.(itemTime(item));
      if (item.kind === 'delete') await remove(item);
      else if (item.kind === 'join') {
        // A join and its notice are one record, counted once: as a join if either is new.
        const joined = await join(item);
        const notice = item.notice ? await post(item.notice, item.at) : 'duplicate';
        if (joined === 'new' || notice === 'new' || notice === 'edit') stats.joins++;
        else if (joined === 'duplicate' && notice === 'duplicate') stats.duplicates++;
      } else {
        const outcome = await post(item.message, item.at);
        if (outcome === 'new') stats.messages++;
        else if (outcome === 'edit') stats.edits++;
        else if (outcome === 'duplicate') stats.duplicates++;
      }
      if (++inBatch >= batchSize) {
        await repos.commit();
        await repos.begin();
        inBatch = 0;
        options.onProgress?.(stats);
      }
    }
    await repos.commit();
  } catch (error) {
    await repos.rollback();
    throw error;
  }
  options.onProgress?.(stats);
  return stats;
}

type Outcome = 'new' | 'duplicate' | 'edit' | 'error';
