/**
 * The only way the core reaches storage. Every method is async so a networked database
 * (PostgreSQL through drizzle's pg dialect) can replace SQLite without touching the core,
 * and every method takes the community id first: no query crosses communities.
 */
import type { DatabaseHandle } from '../connection';
import { BatchScope } from './batch-cache';
import { channelsRepo } from './channels';
import { checkpointsRepo } from './checkpoints';
import { communitiesRepo } from './communities';
import { companionPostsRepo } from './companion-posts';
import { embeddingsRepo } from './embeddings';
import { escalationsRepo } from './escalations';
import { membersRepo } from './members';
import { messagesRepo } from './messages';
import { outboxRepo } from './outbox';
import { relatedSearchRepo } from './related-search';
import { sameHereRepo } from './same-here';
import { settingsRepo } from './settings';
import { signalsRepo } from './signals';
import { tasksRepo } from './tasks';

export function createRepositories(handle: DatabaseHandle) {
  const { db } = handle;
  const batch = new BatchScope();
  return {
    communities: communitiesRepo(db),
    members: membersRepo(db, batch),
    channels: channelsRepo(db),
    messages: messagesRepo(handle, batch),
    signals: signalsRepo(db),
    settings: settingsRepo(db),
    escalations: escalationsRepo(db),
    companionPosts: companionPostsRepo(db),
    outbox: outboxRepo(db),
    sameHere: sameHereRepo(db),
    tasks: tasksRepo(db),
    checkpoints: checkpointsRepo(db),
    /** Related-discussion search (the core's `RelatedSearch`; SQLite FTS5 here). */
    related: relatedSearchRepo(handle),
    embeddings: embeddingsRepo(db),
    /** Run several synchronous repository calls atomically. */
    transaction<T>(fn: () => T): T {
      return handle.sqlite.transaction(fn)();
    },
    /**
     * Explicit batches for bulk work (history import) in a process that owns the connection:
     * thousands of awaited repository calls per commit instead of one fsync each. IMMEDIATE
     * takes the write lock at once, so rows read during the batch stay true until it ends
     * (what lets repositories remember them: batch-cache.ts).
     */
    begin(): void {
      if (handle.sqlite.inTransaction) return;
      handle.sqlite.exec('BEGIN IMMEDIATE');
      batch.start();
    },
    commit(): void {
      try {
        if (handle.sqlite.inTransaction) batch.flush();
      } finally {
        batch.end();
      }
      if (handle.sqlite.inTransaction) handle.sqlite.exec('COMMIT');
    },
    rollback(): void {
      batch.end();
      if (handle.sqlite.inTransaction) handle.sqlite.exec('ROLLBACK');
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
