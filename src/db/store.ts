/**
 * Opens the configured store: PostgreSQL when HEARTH_DATABASE_URL is a postgres:// URL,
 * else the SQLite file at HEARTH_DB_PATH (the zero-config default). Callers get the port's
 * repositories and nothing of the driver.
 */
import { existsSync } from 'node:fs';
import type { Repositories } from '../core/storage';
import { openDatabase } from './connection';
import { openPostgres } from './postgres/connection';
import { createPostgresRepositories } from './postgres';
import { createRepositories } from './repositories';

export interface Store {
  repos: Repositories;
  /** Which store, for messages: `sqlite:<path>` or the URL without its password. */
  label: string;
  /** Can the store answer a query now (health checks)? */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const isPostgres = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/**
 * Is there a store at `location` already? A PostgreSQL URL is taken as given; a SQLite file
 * must exist (opening creates one, so a command that only reads checks first: a typo must not
 * leave an empty database behind).
 */
export const storeExists = (location: string): boolean => isPostgres(location) || existsSync(location.replace(/^sqlite:/, ''));

/** `postgres://…` / `postgresql://…` opens PostgreSQL; anything else is a SQLite path (`sqlite:` prefix optional). */
export async function openStore(location: string): Promise<Store> {
  if (isPostgres(location)) {
    const handle = await openPostgres(location);
    return {
      repos: createPostgresRepositories(handle),
      label: withoutPassword(location),
      ping: async () => (await handle.pool.query('SELECT 1 AS ok')).rows.length === 1,
      close: () => handle.close(),
    };
  }
  const path = location.replace(/^sqlite:/, '');
  const handle = openDatabase(path);
  return {
    repos: createRepositories(handle),
    label: `sqlite:${path}`,
    ping: async () => handle.sqlite.prepare('select 1 as ok').get() !== undefined,
    close: async () => handle.close(),
  };
}

/** The store the configuration names. */
export function configuredStore(config: { HEARTH_DATABASE_URL?: string; HEARTH_DB_PATH: string }): string {
  return config.HEARTH_DATABASE_URL || config.HEARTH_DB_PATH;
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
