import { and, asc, eq, like, lte, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import { scheduledTasks } from '../schema';

export type TaskRow = typeof scheduledTasks.$inferSelect;

export function tasksRepo(db: Db) {
  // Looked up on every message (follow-up bookkeeping): prepared once.
  const getOne = db
    .select()
    .from(scheduledTasks)
    .where(and(eq(scheduledTasks.communityId, sql.placeholder('community')), eq(scheduledTasks.key, sql.placeholder('key'))))
    .prepare();
  return {
    /**
     * Schedule a step once: the (community, key) pair is unique, so scheduling the same
     * step again (a replayed event, a restart) changes nothing. Returns true if new.
     */
    async schedule(community: string, kind: string, key: string, dueAt: number, payload: Record<string, unknown>, at: number): Promise<boolean> {
      return (
        db
          .insert(scheduledTasks)
          .values({ communityId: community, kind, key, dueAt, payload, createdAt: at })
          .onConflictDoNothing()
          .run().changes > 0
      );
    },
    /** Pending tasks due by `now` for communities whose id starts with `communityPrefix`. */
    async due(now: number, communityPrefix: string, limit = 100): Promise<TaskRow[]> {
      return db
        .select()
        .from(scheduledTasks)
        .where(
          and(
            eq(scheduledTasks.status, 'pending'),
            lte(scheduledTasks.dueAt, now),
            like(scheduledTasks.communityId, `${communityPrefix.replace(/[%_]/g, '')}%`),
          ),
        )
        .orderBy(asc(scheduledTasks.dueAt), asc(scheduledTasks.id))
        .limit(limit)
        .all();
    },
    /**
     * Claim a task for running: only one caller wins (pending -> done happens before the
     * side effect, so a crash mid-step never repeats a ping; see jobs/runner.ts).
     */
    async claim(id: number, at: number): Promise<boolean> {
      return (
        db
          .update(scheduledTasks)
          .set({ status: 'done', finishedAt: at })
          .where(and(eq(scheduledTasks.id, id), eq(scheduledTasks.status, 'pending')))
          .run().changes > 0
      );
    },
    async fail(id: number, error: string, at: number): Promise<void> {
      db.update(scheduledTasks).set({ status: 'failed', lastError: error.slice(0, 500), finishedAt: at }).where(eq(scheduledTasks.id, id)).run();
    },
    /** Put a claimed task back (its handler failed transiently), retrying later. */
    async retry(id: number, dueAt: number, error: string): Promise<void> {
      const row = db.select().from(scheduledTasks).where(eq(scheduledTasks.id, id)).get();
      db.update(scheduledTasks)
        .set({ status: 'pending', dueAt, attempts: (row?.attempts ?? 0) + 1, lastError: error.slice(0, 500), finishedAt: null })
        .where(eq(scheduledTasks.id, id))
        .run();
    },
    async cancel(community: string, key: string, at: number): Promise<void> {
      db.update(scheduledTasks)
        .set({ status: 'cancelled', finishedAt: at })
        .where(and(eq(scheduledTasks.communityId, community), eq(scheduledTasks.key, key), eq(scheduledTasks.status, 'pending')))
        .run();
    },
    async get(community: string, key: string): Promise<TaskRow | undefined> {
      return getOne.get({ community, key });
    },
  };
}
