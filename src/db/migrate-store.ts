/**
 * Copies a SQLite store into a PostgreSQL one, table by table, keys and ids kept: the work of
 * `npm run hearth -- migrate-store`. Resumable: tables keyed by a row id continue after the
 * highest id already copied, the others are copied again with existing rows left alone (ON
 * CONFLICT DO NOTHING), so an interrupted run is finished by running it again. The search
 * index is built for the copied messages as the PostgreSQL store builds it. At the end the
 * id sequences move past the copied ids and every table's row count is compared.
 */
import { asc, count, getTableColumns, getTableName, gt, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
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
      const client = await to.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(insertRows(dst[name], rows as Record<string, unknown>[]));
        if (name === 'messages') {
          const indexed = rows.filter(isSearchable).map((m) => ({ rowId: m.rowId, communityId: m.communityId, channelId: m.channelId, terms: indexTerms(m.title, m.text!) }));
          if (indexed.length) await client.query(insertRows(target.relatedIndex, indexed));
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
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

/** Column types as arrays take them (a serial column's values are integers). */
const ARRAY_TYPES: Record<string, string> = { serial: 'integer', bigserial: 'bigint' };

/**
 * One INSERT for a chunk: `SELECT * FROM unnest($1::type[], $2::type[], …)`, one array a
 * column, so the statement has a parameter a column whatever the chunk's size. A VALUES list
 * (one parameter a value, 17,000 for 1,000 messages) is slow to build, parse, plan and bind:
 * measured on 20,000 messages, ~2x the time. Values go through each column's own mapping
 * (jsonb, bigint times); rows already in the target are left alone (resuming).
 */
function insertRows(table: PgTable, rows: Record<string, unknown>[]): { text: string; values: unknown[] } {
  const columns = Object.entries(getTableColumns(table));
  const values = columns.map(([key, column]) => rows.map((row) => (row[key] == null ? null : column.mapToDriverValue(row[key]))));
  const names = columns.map(([, column]) => `"${column.name}"`).join(', ');
  const arrays = columns.map(([, column], i) => `$${i + 1}::${ARRAY_TYPES[column.getSQLType()] ?? column.getSQLType()}[]`).join(', ');
  return { text: `INSERT INTO "${getTableName(table)}" (${names}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`, values };
}

async function highestId(to: PostgresHandle, name: TableName): Promise<number> {
  const [table, column] = SEQUENCES[Object.keys(BY_ID).indexOf(name)];
  const { rows } = await to.pool.query<{ last: string | null }>(`SELECT max(${column}) AS last FROM ${table}`);
  return Number(rows[0].last ?? 0);
}
