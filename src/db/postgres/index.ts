/**
 * The PostgreSQL implementation of the core's storage port (src/core/storage): a
 * node-postgres pool, repositories over drizzle's pg dialect, related search on a weighted
 * tsvector. Selected by HEARTH_DATABASE_URL=postgres://… (../store.ts).
 *
 * Transactions run on one pooled connection (drizzle's transaction; nested ones are
 * savepoints). This process runs its transactions one at a time, as SQLite does, so a
 * read-then-write inside one is never interleaved with another of the process; calls outside
 * a transaction go on other connections meanwhile and never see its writes before COMMIT.
 * Several processes rely on the atomic conditional writes (claims, transitions), as the port
 * says, not on transactions excluding each other.
 *
 * Bulk batches pin one connection: `begin()` opens a transaction on it and every call made
 * through the store goes there until `commit()` / `rollback()`.
 */
import { sql } from 'drizzle-orm';
import type { Repositories, RepositorySet, Transaction } from '../../core/storage';
import { BatchScope } from '../repositories/batch-cache';
import { batchRows } from './batch-rows';
import type { MemberRow, MessageRow } from '../../core/storage';
import type { PgDb, PostgresHandle } from './connection';
import { dashboardAccessRepo, identityLinksRepo } from './access';
import { channelsRepo, membersRepo, PendingPosts } from './members';
import { messagesRepo, RecentSignals, signalsRepo } from './messages';
import { relatedSearchRepo, type WriteCounter } from './related';
import {
  checkpointsRepo,
  communitiesRepo,
  companionPostsRepo,
  crmSyncRepo,
  deliveriesRepo,
  embeddingsRepo,
  escalationsRepo,
  KnownTasks,
  outboxRepo,
  pulseWeeksRepo,
  sameHereRepo,
  settingsRepo,
  tasksRepo,
  webhookEventsRepo,
} from './small';

/** Tables that hold members' words: vacuumed after a forget-me or a retention purge. */
const TABLES_WITH_WORDS = ['messages', 'related_index', 'members', 'escalations', 'signals', 'embeddings', 'settings', 'webhook_events'];

/** The batch's transaction is dropped by throwing this out of it. */
const ROLLBACK = Symbol('rollback');

/**
 * Rows remembered across every connection's repositories (the pool's, a batch's, a
 * transaction's), so a write through any of them drops what the others remember. Rows are
 * cached only while a batch is open (../repositories/batch-cache.ts; the port allows it: the
 * process has the store to itself); communities known to exist are remembered always (they
 * are never deleted), and forgotten when a transaction or batch rolls back.
 */
export function createPostgresRepositories(handle: PostgresHandle): Repositories {
  const counter: WriteCounter = { writes: 0 };
  const scope = new BatchScope();
  const caches = {
    members: batchRows<MemberRow>(scope, 50_000),
    messages: batchRows<MessageRow>(scope, 5_000),
    communities: scope.memo(new Set<string>()),
    memberStates: scope.memo(new Map<string, string>()),
    channelStates: scope.memo(new Map<string, string>()),
  };
  // A batch's posts, written before COMMIT (and before a savepoint, so rolling one back drops only its own).
  const posts = new PendingPosts();
  scope.defer({ flush: () => {}, discard: () => posts.discard() });
  const inBatch = () => scope.active;
  const recentSignals = new RecentSignals(scope);
  const knownTasks = new KnownTasks(scope);
  const build = (db: PgDb): RepositorySet => ({
    communities: communitiesRepo(db, caches.communities),
    members: membersRepo(db, caches.members, caches.memberStates, posts, inBatch),
    channels: channelsRepo(db, caches.channelStates),
    messages: messagesRepo(db, counter, caches.messages),
    signals: signalsRepo(db, recentSignals),
    settings: settingsRepo(db),
    escalations: escalationsRepo(db),
    companionPosts: companionPostsRepo(db),
    outbox: outboxRepo(db),
    deliveries: deliveriesRepo(db),
    sameHere: sameHereRepo(db),
    tasks: tasksRepo(db, knownTasks),
    checkpoints: checkpointsRepo(db),
    related: relatedSearchRepo(db, counter),
    embeddings: embeddingsRepo(db),
    webhookEvents: webhookEventsRepo(db),
    crmSync: crmSyncRepo(db),
    dashboardAccess: dashboardAccessRepo(db),
    identityLinks: identityLinksRepo(db),
    pulseWeeks: pulseWeeksRepo(db),
  });
  const pooled = build(handle.db);
  let batch: { db: PgDb; repositories: RepositorySet; finish(commit: boolean): Promise<void> } | undefined;

  // One transaction at a time in this process (see the top of this module).
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };
  const transactionOn = (db: PgDb): Transaction => ({
    ...build(db),
    transaction: async (fn) => {
      if (scope.active) await posts.flush(db);
      try {
        return await db.transaction((inner) => fn(transactionOn(inner)));
      } catch (error) {
        scope.rolledBack();
        throw error;
      }
    },
  });

  // Every call goes to the batch's connection while a batch is open, else to the pool.
  const current = () => batch?.repositories ?? pooled;
  const routed = Object.fromEntries(
    Object.entries(pooled).map(([name, repository]) => [
      name,
      Object.fromEntries(
        Object.keys(repository).map((method) => [
          method,
          (...args: unknown[]) => (current() as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[name][method](...args),
        ]),
      ),
    ]),
  ) as unknown as RepositorySet;

  return {
    ...routed,
    transaction: (fn) =>
      oneAtATime(async () => {
        if (batch) await posts.flush(batch.db);
        try {
          return await (batch?.db ?? handle.db).transaction((tx) => fn(transactionOn(tx)));
        } catch (error) {
          scope.rolledBack();
          throw error;
        }
      }),
    /**
     * After deleting members' words: VACUUM the tables that held them, index entries included,
     * so the dead rows' space is marked free and no index (the search index's stems above all)
     * points at them. What PostgreSQL does not promise: the freed bytes are not zeroed (they
     * stay in the data files until reused), and the WAL, replicas and backups keep copies
     * until they are recycled (README: PostgreSQL and forgetting).
     */
    inOrder: (community, fn) => handle.inOrder(community, fn),
    async flushDeleted() {},
    async checkpoint() {
      if (batch) return;
      await handle.pool.query(`VACUUM (INDEX_CLEANUP ON) ${TABLES_WITH_WORDS.join(', ')}`);
    },
    async begin() {
      if (batch) return;
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      let decide!: (commit: boolean) => void;
      const decision = new Promise<boolean>((resolve) => (decide = resolve));
      const done: Promise<void> = handle.db.transaction(async (tx) => {
        batch = {
          db: tx,
          repositories: build(tx),
          async finish(commit) {
            let failed: unknown;
            if (commit) {
              try {
                await posts.flush(tx);
                // A statement that failed earlier in the batch aborted the whole transaction
                // (PostgreSQL, unlike SQLite), and COMMIT would then roll back without an error:
                // the caller (a backfill saving its cursor) must hear that nothing was written.
                await tx.execute(sql`SELECT 1`);
              } catch (error) {
                [commit, failed] = [false, new Error(`the batch was rolled back: a statement in it failed (${(error as Error).message})`, { cause: error })];
              }
            }
            batch = undefined;
            scope.end();
            if (!commit) scope.rolledBack();
            decide(commit);
            await done.catch((error) => {
              if (error !== ROLLBACK) throw error;
            });
            if (failed) throw failed;
          },
        };
        scope.start();
        opened();
        if (!(await decision)) throw ROLLBACK;
      });
      await Promise.race([open, done]);
    },
    commit: async () => batch?.finish(true),
    rollback: async () => batch?.finish(false),
  };
}
