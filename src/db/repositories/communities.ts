import { eq } from 'drizzle-orm';
import type { Db } from '../connection';
import { communities } from '../schema';

export function communitiesRepo(db: Db) {
  return {
    /** Create the community on first sight; later calls change nothing. */
    async ensure(id: string, platform: string, name: string, at: number): Promise<void> {
      db.insert(communities).values({ id, platform, name, createdAt: at }).onConflictDoNothing().run();
    },
    async get(id: string) {
      return db.select().from(communities).where(eq(communities.id, id)).get();
    },
    async listByPlatform(platform: string) {
      return db.select().from(communities).where(eq(communities.platform, platform)).all();
    },
  };
}
