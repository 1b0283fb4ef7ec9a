/**
 * The storage port: what the core needs from a store, declared here and implemented
 * elsewhere (src/db: SQLite through better-sqlite3, the embedded default; PostgreSQL next).
 * The core, the jobs and the features import storage types from this module only, never a
 * driver or drizzle (tests/storage/imports.test.ts keeps it so), and one contract suite
 * (tests/storage/contract.test.ts) runs against every store.
 *
 * Rules every implementation keeps:
 * - Every method is async and scoped: the community id comes first, and no query crosses
 *   communities.
 * - Rows are the plain types of ./rows, whatever the store's column types.
 * - Conditional writes (a claim, a transition, a welcomer's turn, a rate-limit slot) are
 *   single atomic statements that report whether they won, so two callers, in one process
 *   or several, never both win.
 *
 * Transactions: `transaction(fn)` runs `fn` atomically. `fn` must use the `tx` it is given
 * (calls on the outer store wait for the transaction to end, and so would wait forever);
 * through `tx` it sees its own writes. When `fn` resolves, its writes are committed; when it
 * throws (or rejects), none of them happened and the error is rethrown. Nobody else sees its
 * writes before the commit, and nobody else's writes land inside it: on SQLite, whose one
 * connection is shared by the process, the other calls of the process wait while a
 * transaction is open (and a transaction waits for calls in flight). Keep transactions
 * short: no platform calls inside. `tx.transaction` nests (a savepoint; one at a time).
 *
 * Bulk batches (history import): `begin()` .. `commit()` (or `rollback()`) groups every call
 * made through this store meanwhile, by anyone, into one transaction: thousands of writes per
 * commit instead of one each. Only for a process that has the store to itself for bulk work;
 * a networked store pins one connection for the batch. While a batch is open the store may
 * remember rows it read (nothing else can change them) and defer writes to the commit; every
 * read through it still sees every write made through it. A `transaction` inside a batch is a
 * savepoint in it.
 */
import type { RelatedSearch } from '../search/types';
import type {
  ChannelsRepository,
  CheckpointsRepository,
  CommunitiesRepository,
  CompanionPostsRepository,
  CrmSyncRepository,
  DashboardAccessRepository,
  DeliveriesRepository,
  OutboxRepository,
  PulseWeeksRepository,
  EmbeddingsRepository,
  EscalationsRepository,
  IdentityLinksRepository,
  MembersRepository,
  MessagesRepository,
  SameHereRepository,
  SettingsRepository,
  SignalsRepository,
  TasksRepository,
  WebhookEventsRepository,
} from './repositories';

export * from './rows';
export type * from './repositories';

/** The repositories themselves. */
export interface RepositorySet {
  communities: CommunitiesRepository;
  members: MembersRepository;
  channels: ChannelsRepository;
  messages: MessagesRepository;
  signals: SignalsRepository;
  settings: SettingsRepository;
  escalations: EscalationsRepository;
  companionPosts: CompanionPostsRepository;
  outbox: OutboxRepository;
  /** Platform deliveries handled once across processes. */
  deliveries: DeliveriesRepository;
  sameHere: SameHereRepository;
  tasks: TasksRepository;
  checkpoints: CheckpointsRepository;
  /** Related-discussion search: candidates found by the store, ranked by the core. */
  related: RelatedSearch;
  embeddings: EmbeddingsRepository;
  /** The webhook sink's durable outbox (src/crm/webhooks). */
  webhookEvents: WebhookEventsRepository;
  /** What each CRM sink last sent about each member. */
  crmSync: CrmSyncRepository;
  /** Dashboard sign-in links and sessions. */
  dashboardAccess: DashboardAccessRepository;
  /** Closed weeks' pulse figures for the dashboard's overview (core/metrics/weeks.ts). */
  pulseWeeks: PulseWeeksRepository;
  /** Which accounts are one person across the group's communities (src/core/identity). */
  identityLinks: IdentityLinksRepository;
}

/** What a transaction's callback works with: the repositories, and nested transactions. */
export interface Transaction extends RepositorySet {
  /** Atomic unit of work (see the top of this module); nested inside another, a savepoint. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
}

/** The store as the core, jobs, CLI and import hold it. */
export interface Repositories extends Transaction {
  /** Open a bulk batch (no-op when one is open). */
  begin(): Promise<void>;
  /** Write what the batch deferred and commit it (no-op without a batch). */
  commit(): Promise<void>;
  /** Drop the batch: nothing written or remembered since `begin()` stays (no-op without a batch). */
  rollback(): Promise<void>;
  /**
   * After deleting members' words (forget-me, retention): make sure no copy of the deleted
   * rows stays readable in the store's files (SQLite: checkpoint and empty the WAL).
   */
  checkpoint(): Promise<void>;
  /**
   * After single messages were deleted or edited on the platform (at most once a quarter hour
   * a community): the same for the store's short-lived copies, where that is cheap (SQLite: the
   * WAL emptied). PostgreSQL does nothing here: its VACUUM is heavy and zeroes nothing anyway;
   * autovacuum reclaims the rows (README: PostgreSQL and forgetting).
   */
  flushDeleted(): Promise<void>;
  /**
   * Run `fn` while no other process sharing the store runs `inOrder` for the same community:
   * one community's events are handled one at a time across processes (within a process the
   * companion already queues them). Not a transaction: `fn` uses the store as usual, and may
   * call the platform. SQLite serves one process, so it just runs `fn`. A job that must not run
   * in two processes at once passes a name no community has (`hearth:…`, src/jobs/crm.ts).
   */
  inOrder<T>(community: string, fn: () => Promise<T>): Promise<T>;
}
