/**
 * Compile-time proof that the SQLite schema stores exactly the core's rows
 * (src/core/storage/rows.ts): a column added, dropped, renamed or retyped on either side
 * fails `tsc` here. Types only; nothing runs.
 */
import type * as Port from '../core/storage';
import type * as schema from './schema';

/** Mutual assignability: every value of one is a value of the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
/** Every field of `New` is a column of the table, and `New` plus the community id is a valid row to insert. */
type Insertable<New, Insert> = [Exclude<keyof New, keyof Insert>] extends [never] ? ([New & { communityId: string }] extends [Insert] ? true : false) : false;

export type SchemaMatchesPort = [
  Check<Same<typeof schema.communities.$inferSelect, Port.CommunityRow>>,
  Check<Same<typeof schema.members.$inferSelect, Port.MemberRow>>,
  Check<Same<typeof schema.channels.$inferSelect, Port.ChannelRow>>,
  Check<Same<typeof schema.messages.$inferSelect, Port.MessageRow>>,
  Check<Same<typeof schema.signals.$inferSelect, Port.SignalRow>>,
  Check<Same<typeof schema.escalations.$inferSelect, Port.EscalationRow>>,
  Check<Same<typeof schema.companionPosts.$inferSelect, Port.CompanionPostRow>>,
  Check<Same<typeof schema.sameHere.$inferSelect, Port.SameHereRow>>,
  Check<Same<typeof schema.outbox.$inferSelect, Port.OutboxRow>>,
  Check<Same<typeof schema.scheduledTasks.$inferSelect, Port.TaskRow>>,
  Check<Same<typeof schema.checkpoints.$inferSelect, Port.CheckpointRow>>,
  Check<Same<typeof schema.webhookEvents.$inferSelect, Port.WebhookEventRow>>,
  Check<Same<typeof schema.crmSync.$inferSelect, Port.CrmSyncRow>>,
  Check<Same<typeof schema.dashboardLinks.$inferSelect, Port.DashboardLinkRow>>,
  Check<Same<typeof schema.dashboardSessions.$inferSelect, Port.DashboardSessionRow>>,
  Check<Same<typeof schema.identityLinks.$inferSelect, Port.IdentityLinkRow>>,
  Check<Same<Pick<typeof schema.embeddings.$inferSelect, 'vector' | 'updatedAt'>, Port.StoredVector>>,
  // What the core inserts is what the table accepts (its other columns have defaults).
  Check<Same<Omit<typeof schema.escalations.$inferInsert, 'id' | 'communityId'>, Port.NewEscalation>>,
  Check<Insertable<Port.NewMessage, typeof schema.messages.$inferInsert>>,
  Check<Insertable<Port.NewSignal, typeof schema.signals.$inferInsert>>,
];
