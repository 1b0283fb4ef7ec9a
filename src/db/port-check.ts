/**
 * Compile-time proof that both schemas (SQLite: ./schema.ts, PostgreSQL: ./postgres/schema.ts)
 * store exactly the core's rows (src/core/storage/rows.ts): a column added, dropped, renamed
 * or retyped on either side fails `tsc` here. Types only; nothing runs.
 */
import type * as Port from '../core/storage';
import type * as sqlite from './schema';
import type * as postgres from './postgres/schema';

/** Mutual assignability: every value of one is a value of the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Every field of `New` is a column of the table, and `New` plus the community id is a valid row to insert. */
type Insertable<New, Insert> = [Exclude<keyof New, keyof Insert>] extends [never] ? ([New & { communityId: string }] extends [Insert] ? true : false) : false;
type AllTrue<T extends true[]> = T;

type Checks<S extends typeof sqlite | typeof postgres> = [
  Same<S['communities']['$inferSelect'], Port.CommunityRow>,
  Same<S['members']['$inferSelect'], Port.MemberRow>,
  Same<S['channels']['$inferSelect'], Port.ChannelRow>,
  Same<S['messages']['$inferSelect'], Port.MessageRow>,
  Same<S['signals']['$inferSelect'], Port.SignalRow>,
  Same<S['escalations']['$inferSelect'], Port.EscalationRow>,
  Same<S['companionPosts']['$inferSelect'], Port.CompanionPostRow>,
  Same<S['sameHere']['$inferSelect'], Port.SameHereRow>,
  Same<S['outbox']['$inferSelect'], Port.OutboxRow>,
  Same<S['scheduledTasks']['$inferSelect'], Port.TaskRow>,
  Same<S['checkpoints']['$inferSelect'], Port.CheckpointRow>,
  Same<S['webhookEvents']['$inferSelect'], Port.WebhookEventRow>,
  Same<S['crmSync']['$inferSelect'], Port.CrmSyncRow>,
  Same<S['pulseWeeks']['$inferSelect'], Port.PulseWeekRow>,
  Same<S['dashboardLinks']['$inferSelect'], Port.DashboardLinkRow>,
  Same<S['dashboardSessions']['$inferSelect'], Port.DashboardSessionRow>,
  Same<S['identityLinks']['$inferSelect'], Port.IdentityLinkRow>,
  Same<S['identityLinkCodes']['$inferSelect'], Port.IdentityLinkCodeRow>,
  Same<Pick<S['embeddings']['$inferSelect'], 'vector' | 'updatedAt'>, Port.StoredVector>,
  // What the core inserts is what the table accepts (its other columns have defaults).
  Same<Omit<S['escalations']['$inferInsert'], 'id' | 'communityId'>, Port.NewEscalation>,
  Insertable<Port.NewMessage, S['messages']['$inferInsert']>,
  Insertable<Port.NewSignal, S['signals']['$inferInsert']>,
];

export type SqliteSchemaMatchesPort = AllTrue<Checks<typeof sqlite>>;
export type PostgresSchemaMatchesPort = AllTrue<Checks<typeof postgres>>;
