/**
 * The SQLite implementation of the core's storage port (src/core/storage): one
 * better-sqlite3 connection, repositories over drizzle (FTS5 through the raw driver), an
 * async transaction kept alone on that connection by a gate (gate.ts), and bulk batches
 * with a row cache (batch-cache.ts).
 */
import type { DatabaseHandle } from '../connection';
import type { Repositories, RepositorySet, Transaction } from '../../core/storage';
import { BatchScope } from './batch-cache';
import { channelsRepo } from './channels';
import { checkpointsRepo } from './checkpoints';
import { communitiesRepo } from './communities';
import { companionPostsRepo } from './companion-posts';
import { crmSyncRepo } from './crm-sync';
import { dashboardAccessRepo } from './dashboard-access';
import { embeddingsRepo } from './embeddings';
import { escalationsRepo } from './escalations';
import { Gate } from './gate';
import { identityLinksRepo } from './identity-links';
import { membersRepo } from './members';
import { messagesRepo } from './messages';
import { outboxRepo } from './outbox';
import { deliveriesRepo } from './deliveries';
import { pulseWeeksRepo } from './pulse-weeks';
import { relatedSearchRepo } from './related-search';
import { sameHereRepo } from './same-here';
import { settingsRepo } from './settings';
import { signalsRepo } from './signals';
import { tasksRepo } from './tasks';
import { webhookEventsRepo } from './webhook-events';

export type { Repositories, RepositorySet, Transaction };

export function createRepositories(handle: DatabaseHandle): Repositories {
  const { db, sqlite } = handle;
  const batch = new BatchScope();
  const repositories: RepositorySet = {
    communities: communitiesRepo(db, batch),
    members: membersRepo(db, batch),
    channels: channelsRepo(db, batch),
    messages: messagesRepo(handle, batch),
    signals: signalsRepo(db),
    settings: settingsRepo(db),
    escalations: escalationsRepo(db),
    companionPosts: companionPostsRepo(db),
    outbox: outboxRepo(db),
    deliveries: deliveriesRepo(db),
    sameHere: sameHereRepo(db),
    tasks: tasksRepo(db),
    checkpoints: checkpointsRepo(db),
    /** Related-discussion search (the core's `RelatedSearch`; SQLite FTS5 here). */
    related: relatedSearchRepo(handle),
    embeddings: embeddingsRepo(db),
    webhookEvents: webhookEventsRepo(db),
    crmSync: crmSyncRepo(db),
    dashboardAccess: dashboardAccessRepo(db),
    identityLinks: identityLinksRepo(db),
    pulseWeeks: pulseWeeksRepo(db),
  };
  const gate = new Gate();
  let savepoints = 0;

  /** `fn` in a transaction on the connection: BEGIN IMMEDIATE, or a savepoint inside a batch or another transaction. */
  const atomically = async <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> => {
    const outermost = !sqlite.inTransaction;
    const savepoint = `hearth_tx_${savepoints}`;
    // A batch's deferred writes go in before the savepoint, so rolling it back drops only its own.
    if (!outermost) batch.flush();
    sqlite.exec(outermost ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    savepoints++;
    try {
      const result = await fn(tx);
      sqlite.exec(outermost ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      if (!outermost) sqlite.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      else if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      batch.rolledBack();
      throw error;
    } finally {
      savepoints--;
    }
  };
  // Inside a transaction: the repositories themselves (the gate is held for it).
  const tx: Transaction = { ...repositories, transaction: atomically };
  // Outside: every call waits while a transaction is open.
  const shared = <R extends object>(repository: R): R =>
    Object.fromEntries(Object.entries(repository).map(([name, value]) => [name, typeof value === 'function' ? gate.shared(value) : value])) as R;
  const outside = Object.fromEntries(Object.entries(repositories).map(([name, repository]) => [name, shared(repository)])) as unknown as RepositorySet;
  const emptyWal = gate.shared(async () => {
    if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(TRUNCATE)');
  });

  return {
    ...outside,
    transaction: (fn) => gate.exclusive(() => atomically(fn)),
    /**
     * After deleting members' words (forget-me, retention): copy the WAL into the database
     * file and empty it. The WAL still holds the pages as they were before the delete, so
     * until then the words could be read back from it. Waits for readers (busy_timeout).
     */
    // One process per SQLite file: the companion's own per-community queue is the order.
    inOrder: (_community, fn) => fn(),
    checkpoint: emptyWal,
    // A single message's deleted words sit in the WAL the same way.
    flushDeleted: emptyWal,
    /**
     * Explicit batches for bulk work (history import) in a process that owns the connection:
     * thousands of awaited repository calls per commit instead of one fsync each. IMMEDIATE
     * takes the write lock at once, so rows read during the batch stay true until it ends
     * (what lets repositories remember them: batch-cache.ts).
     */
    begin: () =>
      gate.exclusive(async () => {
        if (sqlite.inTransaction) return;
        sqlite.exec('BEGIN IMMEDIATE');
        batch.start();
      }),
    commit: () =>
      gate.exclusive(async () => {
        try {
          if (sqlite.inTransaction) batch.flush();
        } finally {
          batch.end();
        }
        if (sqlite.inTransaction) sqlite.exec('COMMIT');
      }),
    rollback: () =>
      gate.exclusive(async () => {
        batch.end();
        batch.rolledBack();
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      }),
  };
}
