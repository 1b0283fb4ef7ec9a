import { and, asc, eq, inArray, like, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import { scheduledTasks } from '../schema';
import type { TaskRow, TasksRepository } from '../../core/storage';
import { attemptsOnClaim, byDue, errorText, startsWith, stepHeld } from '../rules';

export type { TaskRow };

export function tasksRepo(db: Db): TasksRepository {
  const getOne = db
    .select()
    .from(scheduledTasks)
    .where(and(eq(scheduledTasks.communityId, sql.placeholder('community')), eq(scheduledTasks.key, sql.placeholder('key'))))
    .prepare();
  const isDue = (now: number, communityPrefix: string, communities?: string[]) =>
    and(
      or(
        and(eq(scheduledTasks.status, 'pending'), lte(scheduledTasks.dueAt, now)),
        and(eq(scheduledTasks.status, 'running'), lte(scheduledTasks.leaseUntil, now)),
      ),
      like(scheduledTasks.communityId, startsWith(communityPrefix)),
      communities ? inArray(scheduledTasks.communityId, communities) : undefined,
    );
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
    /**
     * Tasks to run by `now` for communities whose id starts with `communityPrefix`: pending ones
     * that are due, and running ones whose lease ran out (their runner died mid-step).
     */
    async due(now: number, communityPrefix: string, limit = 100): Promise<TaskRow[]> {
      return db
        .select()
        .from(scheduledTasks)
        .where(isDue(now, communityPrefix))
        .orderBy(asc(scheduledTasks.dueAt), asc(scheduledTasks.id))
        .limit(limit)
        .all();
    },
    /**
     * Claim a task for running until `leaseUntil`: only one caller wins. It is marked done only
     * after its handler succeeds (`complete`), so a runner killed mid-step leaves it running
     * with a lease that runs out, and `due` hands it out again: steps are at-least-once, and
     * each handler makes a repeat harmless (it records what it posted and skips it next time).
     */
    async claim(id: number, at: number, leaseUntil: number): Promise<boolean> {
      return (
        db
          .update(scheduledTasks)
          .set({ status: 'running', leaseUntil, attempts: attemptsOnClaim(scheduledTasks) })
          .where(
            and(
              eq(scheduledTasks.id, id),
              or(eq(scheduledTasks.status, 'pending'), and(eq(scheduledTasks.status, 'running'), lte(scheduledTasks.leaseUntil, at))),
            ),
          )
          .run().changes > 0
      );
    },
    /** One statement, so atomic even for several processes on one file (SQLite locks it for the write). */
    async claimDue(now: number, communityPrefix: string, leaseUntil: number, limit: number, communities?: string[]): Promise<TaskRow[]> {
      if (communities?.length === 0) return [];
      const ids = db
        .select({ id: scheduledTasks.id })
        .from(scheduledTasks)
        .where(isDue(now, communityPrefix, communities))
        .orderBy(asc(scheduledTasks.dueAt), asc(scheduledTasks.id))
        .limit(limit);
      const claimed = db.update(scheduledTasks).set({ status: 'running', leaseUntil, attempts: attemptsOnClaim(scheduledTasks) }).where(inArray(scheduledTasks.id, ids)).returning().all();
      return claimed.sort(byDue);
    },
    /** The handler succeeded: the step is done for good. */
    async complete(id: number, at: number, lease?: number): Promise<void> {
      db.update(scheduledTasks).set({ status: 'done', leaseUntil: null, finishedAt: at }).where(and(stepHeld(scheduledTasks, id, lease), eq(scheduledTasks.status, 'running'))).run();
    },
    async fail(id: number, error: string, at: number, lease?: number): Promise<void> {
      db.update(scheduledTasks).set({ status: 'failed', leaseUntil: null, lastError: errorText(error), finishedAt: at }).where(stepHeld(scheduledTasks, id, lease)).run();
    },
    /** Put a claimed task back (its handler failed transiently), retrying later. */
    async retry(id: number, dueAt: number, error: string, lease?: number): Promise<void> {
      db.update(scheduledTasks)
        .set({ status: 'pending', dueAt, leaseUntil: null, attempts: sql`${scheduledTasks.attempts} + 1`, lastError: errorText(error), finishedAt: null })
        .where(stepHeld(scheduledTasks, id, lease))
        .run();
    },
    async cancel(community: string, key: string, at: number): Promise<void> {
      db.update(scheduledTasks)
        .set({ status: 'cancelled', finishedAt: at })
        .where(and(eq(scheduledTasks.communityId, community), eq(scheduledTasks.key, key), eq(scheduledTasks.status, 'pending')))
        .run();
    },
    /** A community's pending tasks of one kind, soonest due first (steps that run together). */
    async pendingOfKind(community: string, kind: string, limit: number): Promise<TaskRow[]> {
      return db
        .select()
        .from(scheduledTasks)
        .where(and(eq(scheduledTasks.communityId, community), eq(scheduledTasks.kind, kind), eq(scheduledTasks.status, 'pending')))
        .orderBy(asc(scheduledTasks.dueAt), asc(scheduledTasks.id))
        .limit(limit)
        .all();
    },
    async get(community: string, key: string): Promise<TaskRow | undefined> {
      return getOne.get({ community, key });
    },
  };
}
