import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../connection';
import { settings } from '../schema';
import type { SettingsRepository } from '../../core/storage';

export function settingsRepo(db: Db): SettingsRepository {
  // Read on every event: prepared once.
  const allOf = db.select().from(settings).where(eq(settings.communityId, sql.placeholder('community'))).prepare();
  return {
    async all(community: string): Promise<Record<string, unknown>> {
      const rows = allOf.all({ community });
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },
    async set(community: string, key: string, value: unknown, at: number, by?: string): Promise<void> {
      db.insert(settings)
        .values({ communityId: community, key, value, updatedAt: at, updatedBy: by ?? null })
        .onConflictDoUpdate({ target: [settings.communityId, settings.key], set: { value, updatedAt: at, updatedBy: by ?? null } })
        .run();
    },
    async unset(community: string, key: string): Promise<void> {
      db.delete(settings).where(and(eq(settings.communityId, community), eq(settings.key, key))).run();
    },
  };
}
