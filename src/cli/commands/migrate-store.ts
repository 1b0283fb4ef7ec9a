/**
 * `npm run hearth -- migrate-store --from sqlite:PATH --to postgres://…`: copy everything from
 * a SQLite file into a PostgreSQL database (migrated first), resumable (run it again after an
 * interruption), with progress on stderr and every table's row count checked at the end.
 * Stop Hearth on the file first: rows written during the copy may be missed.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/connection';
import { migrateStore } from '../../db/migrate-store';
import { isPostgresUrl, openPostgres } from '../../db/postgres/connection';
import type { CliIo } from '../io';

export const description = 'Copy a SQLite store into PostgreSQL: migrate-store --from sqlite:PATH --to postgres://… (resumable, counts checked)';

const USAGE = 'usage: npm run hearth -- migrate-store --from sqlite:PATH --to postgres://user:password@host:5432/db';

export async function run(args: string[], io: CliIo): Promise<number> {
  let values: { from?: string; to?: string };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true }));
  } catch (error) {
    io.err(`migrate-store: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const from = values.from?.replace(/^sqlite:/, '');
  if (!from || !values.to || !isPostgresUrl(values.to)) {
    io.err(`migrate-store: --from sqlite:PATH and --to postgres://… are both required\n${USAGE}`);
    return 2;
  }
  if (!existsSync(from)) {
    io.err(`migrate-store: no SQLite file at ${from}`);
    return 1;
  }
  const source = openDatabase(from);
  try {
    const target = await openPostgres(values.to);
    try {
      let shown = '';
      const counts = await migrateStore(source, target, (table, done, total) => {
        const line = `${table.padEnd(15)} ${bar(done, total)} ${done}/${total}`;
        if (line !== shown) io.err((shown = line));
      });
      const wrong = counts.filter((c) => c.source !== c.target);
      for (const c of counts) io.out(`${c.table.padEnd(15)} ${String(c.source).padStart(10)} -> ${String(c.target).padStart(10)}${c.source === c.target ? '' : '  MISMATCH'}`);
      if (wrong.length) {
        io.err(`migrate-store: counts differ for ${wrong.map((c) => c.table).join(', ')} (was the target not empty, or the source still written to?)`);
        return 1;
      }
      io.out('migrate-store: every table copied, counts match');
      return 0;
    } finally {
      await target.close();
    }
  } catch (error) {
    io.err(`migrate-store: ${(error as Error).message}`);
    return 1;
  } finally {
    source.close();
  }
}

function bar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
