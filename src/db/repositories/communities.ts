import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import type { BatchScope } from './batch-cache';
import { communities } from '../schema';
import type { CommunitiesRepository } from '../../core/storage';

export function communitiesRepo(db: Db, batch: BatchScope): CommunitiesRepository {
  // Every event ensures its community: remember the ones already written (hot path).
  const known = batch.memo(new Set<string>());
  const insert = db
    .insert(communities)
    .values({ id: sql.placeholder('id'), platform: sql.placeholder('platform'), name: sql.placeholder('name'), createdAt: sql.placeholder('at') })
    .onConflictDoNothing()
    .prepare();
  return {
    /** Create the community on first sight; later calls change nothing. */
    async ensure(id: string, platform: string, name: string, at: number): Promise<void> {
      if (known.has(id)) return;
      insert.run({ id, platform, name, at });
      known.add(id);
    },
    async get(id: string) {
      return db.select().from(communities).where(eq(communities.id, id)).get();
    },
    async listByPlatform(platform: string) {
      return db.select().from(communities).where(eq(communities.platform, platform)).all();
    },
    async list() {
      return db.select().from(communities).orderBy(asc(communities.id)).all();
    },
  };
}
