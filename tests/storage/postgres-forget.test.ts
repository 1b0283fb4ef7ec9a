/**
 * Forgetting on PostgreSQL: what the store can promise about deleted words. A deleted
 * message's row and its search-index row are gone, and `checkpoint()` (called after forget-me
 * and retention) vacuums them, index entries included, so no SQL can read them back. What
 * PostgreSQL does not promise (checked by reading the data file after a CHECKPOINT): VACUUM
 * marks the dead tuple's space free but does not zero it, so the bytes stay in the file until
 * reused; the WAL, replicas and backups keep their own copies (README: PostgreSQL).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';

describe.skipIf(!postgresEnabled())('postgres: forgetting', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  beforeEach(async () => {
    store = await openTestPostgres();
  });
  afterEach(() => store.close());

  const marker = 'zyxwvutsrq secretword';
  it('a deleted message leaves no row, no index entry, and after checkpoint() no dead row version left for SQL to find', async () => {
    const { repos, handle } = store;
    await repos.messages.insert('c', { id: 'keep', channelId: 'g', authorId: 'a', text: 'an ordinary message', createdAt: 1 });
    await repos.messages.insert('c', { id: 'gone', channelId: 'g', authorId: 'a', text: marker, createdAt: 2 });
    await repos.messages.delete('c', 'gone');
    await repos.checkpoint();
    const left = await handle.pool.query(`SELECT count(*)::int AS n FROM messages WHERE text LIKE '%secretword%'`);
    expect(left.rows[0].n).toBe(0);
    const indexed = await handle.pool.query(`SELECT count(*)::int AS n FROM related_index WHERE terms @@ 'secretword'::tsquery`);
    expect(indexed.rows[0].n).toBe(0);
    // The row versions on the table's page (pageinspect: the test server's user is a superuser).
    await handle.pool.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
    const versions = await handle.pool.query(
      `SELECT count(*)::int AS n FROM heap_page_items(get_raw_page('messages', 0)) WHERE position(convert_to('zyxwvutsrq', 'UTF8') IN t_data) > 0`,
    );
    expect(versions.rows[0].n).toBe(0);
  });
});
