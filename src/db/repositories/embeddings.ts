import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../connection';
import { checkpoints, embeddings, messages } from '../schema';
import type { EmbeddingsRepository } from '../../core/storage';
import { discussedTextBefore, watermarkKey } from '../rules';

/** Discussion vectors for hybrid related-discussion ranking, per embeddings model. */
export function embeddingsRepo(db: Db): EmbeddingsRepository {
  return {
    /** Stored vectors of these discussions (raw blobs; see core/search/hybrid.ts for the encoding). */
    async get(community: string, model: string, discussionIds: string[]): Promise<Map<string, { vector: Buffer; updatedAt: number }>> {
      const out = new Map<string, { vector: Buffer; updatedAt: number }>();
      for (let i = 0; i < discussionIds.length; i += 500) {
        const rows = db
          .select()
          .from(embeddings)
          .where(and(eq(embeddings.communityId, community), eq(embeddings.model, model), inArray(embeddings.discussionId, discussionIds.slice(i, i + 500))))
          .all();
        for (const row of rows) out.set(row.discussionId, { vector: row.vector, updatedAt: row.updatedAt });
      }
      return out;
    },
    async put(community: string, model: string, discussionId: string, vector: Buffer, at: number): Promise<void> {
      db.insert(embeddings)
        .values({ communityId: community, discussionId, model, vector, updatedAt: at })
        .onConflictDoUpdate({ target: [embeddings.communityId, embeddings.discussionId, embeddings.model], set: { vector, updatedAt: at } })
        .run();
    },
    async remove(community: string, discussionId: string): Promise<void> {
      db.delete(embeddings).where(and(eq(embeddings.communityId, community), eq(embeddings.discussionId, discussionId))).run();
    },
    /**
     * Retention: drop the vectors of discussions with message text written before `before`
     * (called before that text is purged: a vector is derived from it). A discussion that
     * still has newer text is embedded again from it when a search finds it.
     */
    async removeWithTextBefore(community: string, before: number): Promise<number> {
      const purged = db
        .selectDistinct({ id: messages.discussionId })
        .from(messages)
        .where(discussedTextBefore(messages, community, before));
      return db
        .delete(embeddings)
        .where(and(eq(embeddings.communityId, community), inArray(embeddings.discussionId, purged)))
        .run().changes;
    },
    /** The last message row id whose discussion has been (re-)embedded for this model. */
    async watermark(community: string, model: string): Promise<number> {
      const row = db.select().from(checkpoints).where(eq(checkpoints.key, watermarkKey(community, model))).get();
      return typeof row?.value === 'number' ? row.value : 0;
    },
    async setWatermark(community: string, model: string, rowId: number, at: number): Promise<void> {
      db.insert(checkpoints)
        .values({ key: watermarkKey(community, model), value: rowId, updatedAt: at })
        .onConflictDoUpdate({ target: checkpoints.key, set: { value: rowId, updatedAt: at } })
        .run();
    },
  };
}
