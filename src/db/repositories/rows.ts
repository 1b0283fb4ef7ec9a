/**
 * Many rows at once, mapped by hand: drizzle maps each value of each row through its generic
 * `mapResultRow` (type checks per value), most of the cost of reading tens of thousands of
 * rows. A prepared statement's `.values()` gives the driver's arrays; each column's own
 * `mapFromDriverValue` (booleans, JSON) makes them the rows `.all()` would have given.
 */
import { getTableColumns, type Column, type Table } from 'drizzle-orm';

/** Maps `select()`'s value arrays (every column of `table`, in its order) to rows. */
export function rowMapper<T extends Table>(table: T): (values: unknown[][]) => T['$inferSelect'][] {
  const columns = Object.entries(getTableColumns(table)) as Array<[string, Column]>;
  const plain = columns.map(([, column]) => column.columnType === 'SQLiteText' || column.columnType === 'SQLiteInteger');
  return (rows) =>
    rows.map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const value = values[i];
        row[columns[i][0]] = value === null || plain[i] ? value : columns[i][1].mapFromDriverValue(value);
      }
      return row as T['$inferSelect'];
    });
}
