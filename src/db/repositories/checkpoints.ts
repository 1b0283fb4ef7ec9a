import { eq, like } from 'drizzle-orm';
import type { Db } from '../connection';
import { checkpoints } from '../schema';
import type { CheckpointsRepository } from '../../core/storage';
import { startsWith } from '../rules';

/** Resumable progress of long operator tasks (history backfill), keyed per community and channel. */
export function checkpointsRepo(db: Db): CheckpointsRepository {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      return db.select().from(checkpoints).where(eq(checkpoints.key, key)).get()?.value as T | undefined;
    },
    async put(key: string, value: unknown, at: number): Promise<void> {
      db.insert(checkpoints).values({ key, value, updatedAt: at }).onConflictDoUpdate({ target: checkpoints.key, set: { value, updatedAt: at } }).run();
    },
    async list(prefix: string) {
      return db.select().from(checkpoints).where(like(checkpoints.key, startsWith(prefix))).all();
    },
  };
}
