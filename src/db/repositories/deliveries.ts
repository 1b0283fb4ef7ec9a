import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../connection';
import { deliveries } from '../schema';
import type { DeliveriesRepository } from '../../core/storage';
import { takeOverWhen, unfinishedDelivery } from '../rules';

/** Platform deliveries handled once (see the `deliveries` table). */
export function deliveriesRepo(db: Db): DeliveriesRepository {
  const d = deliveries;
  return {
    async claim(community, key, at, leaseUntil) {
      // Insert, or take over a lease that ran out on a delivery nobody finished: one statement.
      return (
        db
          .insert(d)
          .values({ communityId: community, key, receivedAt: at, leaseUntil })
          .onConflictDoUpdate({ target: [d.communityId, d.key], set: { leaseUntil }, setWhere: takeOverWhen(d, at) })
          .run().changes > 0
      );
    },
    async take(community, key, at, leaseUntil) {
      if (db.insert(d).values({ communityId: community, key, receivedAt: at, leaseUntil }).onConflictDoNothing().run().changes > 0) return 'new';
      return db.update(d).set({ leaseUntil }).where(unfinishedDelivery(d, community, key)).run().changes > 0 ? 'resumed' : false;
    },
    async done(community, key, at) {
      db.update(d).set({ doneAt: at, leaseUntil: null }).where(and(eq(d.communityId, community), eq(d.key, key))).run();
    },
    async purgeBefore(community, before) {
      return db.delete(d).where(and(eq(d.communityId, community), lt(d.receivedAt, before))).run().changes;
    },
  };
}
