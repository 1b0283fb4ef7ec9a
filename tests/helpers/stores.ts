/**
 * Both stores, each opened fresh, empty and migrated: a storage test runs once per entry
 * (`describe.each(stores)`). PostgreSQL is left out only when the run says so
 * (HEARTH_TEST_POSTGRES=off, announced by the setup).
 */
import type { Repositories } from '../../src/core/storage';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { openTestPostgres, postgresEnabled } from './postgres';

export interface OpenStore {
  repos: Repositories;
  close(): Promise<void>;
}

export const stores: { name: string; open(): Promise<OpenStore> }[] = [
  {
    name: 'sqlite',
    async open() {
      const handle = openDatabase(':memory:');
      return { repos: createRepositories(handle), close: async () => handle.close() };
    },
  },
  ...(postgresEnabled() ? [{ name: 'postgres', open: openTestPostgres }] : []),
];
