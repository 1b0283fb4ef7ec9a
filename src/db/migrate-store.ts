/**
 * Copies a SQLite store into a PostgreSQL one, table by table, keys and ids kept: the work of
 * `npm run hearth -- migrate-store`. Resumable: tables keyed by a row id continue after the
 * highest id already copied, the others are copied again with existing rows left alone (ON
 * CONFLICT DO NOTHING), so an interrupted run is finished by running it again. The search
 * index is built for the copied messages as the PostgreSQL store builds it. At the end the
 * id sequences move past the copied ids and every table's row count is compared.
 */
import { asc, count, gt, sql } from 'drizzle-orm';
import type { DatabaseHandle } from './connection';
import type { PostgresHandle } from './postgres/connection';
import { indexTerms } from './postgres/related';
import * as target from './postgres/schema';
import { isSearchable } from './rules';
import * as source from './schema';

/** In dependency order (messages before their index rows). */
const TABLES = [
  'communities',
  'members',
  'channels',
  'channelMembers',
  'messages',
  'signals',
  'settings',
  'escalations',
  'companionPosts',
  'outbox',
  'sameHere',
  'scheduledTasks',
  'embeddings',
  'checkpoints',
  'webhookEvents',
  'crmSync',
  // Sign-in links and sessions are short-lived: signing in again is the move's only cost.
  // Deliveries too: platforms stop redelivering within minutes. And `/link` codes (minutes).
  // The overview's stored weeks (`pulse_weeks`) are a cache: computed again on the first view.
  'identityLinks',
] as const;
type TableName = (typeof TABLES)[number];

/** Tables whose rows have an increasing integer id: copied after the last id already there. */
const BY_ID: Partial<Record<TableName, string>> = { messages: 'rowId', signals: 'id', escalations: 'id', scheduledTasks: 'id', webhookEvents: 'id' };
const SEQUENCES: [string, string][] = [['messages', 'row_id'], ['signals', 'id'], ['escalations', 'id'], ['scheduled_tasks', 'id'], ['webhook_events', 'id']];
const CHUNK = 1000;

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export async function migrateStore(
  from: DatabaseHandle,
  to: PostgresHandle,
  progress: (table: string, done: number, total: number) => void = () => {},
): Promise<TableCount[]> {
  // The schemas are proven column for column against the same rows (port-check.ts): a row
  // read from one is a row for the other.
  const src = source as unknown as Record<TableName, typeof source.messages>;
  const dst = target as unknown as Record<TableName, typeof target.messages>;
  for (const name of TABLES) {
    const table = src[name];
    const total = from.db.select({ n: count() }).from(table).get()!.n;
    const idColumn = BY_ID[name] as 'rowId' | undefined;
    // Resuming: rows up to the highest id already in the target were copied by an earlier run.
    let after = idColumn ? await highestId(to, name) : 0;
    let done = idColumn ? total - from.db.select({ n: count() }).from(table).where(gt(table[idColumn], after)).get()!.n : 0;
    progress(name, done, total);
    let offset = 0;
    for (;;) {
      const rows = idColumn
        ? from.db.select().from(table).where(gt(table[idColumn], after)).orderBy(asc(table[idColumn])).limit(CHUNK).all()
        : from.db.select().from(table).orderBy(sql`rowid`).limit(CHUNK).offset(offset).all();
      if (rows.length === 0) break;
      await to.db.transaction(async (tx) => {
        await tx.insert(dst[name]).values(rows).onConflictDoNothing();
        if (name === 'messages') {
          const indexed = rows.filter(isSearchable).map((m) => ({ rowId: m.rowId, communityId: m.communityId, channelId: m.channelId, terms: indexTerms(m.title, m.text!) }));
          if (indexed.length) await tx.insert(target.relatedIndex).values(indexed).onConflictDoNothing();
        }
      });
      if (idColumn) after = (rows.at(-1) as unknown as Record<string, number>)[idColumn];
      offset += rows.length;
      done += rows.length;
      progress(name, done, total);
    }
  }
  for (const [table, column] of SEQUENCES) {
    await to.pool.query(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), coalesce((SELECT max(${column}) FROM ${table}), 0) + 1, false)`);
  }
  const counts: TableCount[] = [];
  for (const name of TABLES) {
    const [{ n }] = await to.db.select({ n: count() }).from(dst[name]);
    counts.push({ table: name, source: from.db.select({ n: count() }).from(src[name]).get()!.n, target: n });
  }
  return counts;
}

async function highestId(to: PostgresHandle, name: TableName): Promise<number> {
  const [table, column] = SEQUENCES[Object.keys(BY_ID).indexOf(name)];
  const { rows } = await to.pool.query<{ last: string | null }>(`SELECT max(${column}) AS last FROM ${table}`);
  return Number(rows[0].last ?? 0);
}
