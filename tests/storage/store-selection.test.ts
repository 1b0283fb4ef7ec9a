/** Which store opens: HEARTH_DATABASE_URL=postgres://… selects PostgreSQL, else the SQLite file. */
import { describe, expect, inject, it } from 'vitest';
import { configSchema } from '../../src/config';
import { configuredStore, openStore } from '../../src/db/store';
import { postgresEnabled } from '../helpers/postgres';
import { createDatabase } from '../setup/postgres';

describe('store selection', () => {
  it('the SQLite file by default, PostgreSQL when HEARTH_DATABASE_URL is set', () => {
    const defaults = configSchema.parse({});
    expect(configuredStore(defaults)).toBe('./data/hearth.db');
    const pg = configSchema.parse({ HEARTH_DATABASE_URL: 'postgres://hearth@db:5432/hearth' });
    expect(configuredStore(pg)).toBe('postgres://hearth@db:5432/hearth');
  });

  it('refuses a URL that is not PostgreSQL, naming the setting', () => {
    const result = configSchema.safeParse({ HEARTH_DATABASE_URL: 'mysql://db/hearth' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('postgres://');
  });

  it.skipIf(!postgresEnabled())('a postgres:// URL opens a migrated PostgreSQL store, twice without migrating again, and hides the password', async () => {
    const url = new URL(await createDatabase(inject('postgresUrl'), `hearth_select_${Date.now()}`));
    url.password = 'secret'; // the throwaway cluster trusts local logins: any password opens it
    const first = await openStore(url.toString());
    const second = await openStore(url.toString());
    try {
      await first.repos.communities.ensure('test:c', 'test', 'C', 1);
      expect(await second.repos.communities.get('test:c')).toMatchObject({ name: 'C' });
      expect(await second.ping()).toBe(true);
      expect(first.label).not.toContain('secret');
    } finally {
      await first.close();
      await second.close();
    }
  });
});
