/**
 * A bulk batch (import, backfill) in which one statement failed. SQLite keeps the batch's other
 * writes; PostgreSQL aborts the whole transaction, and its COMMIT of an aborted transaction
 * answers "ROLLBACK" without an error. `commit()` must not report a commit that did not happen:
 * a backfill saves its page's cursor once commit() returns, so a silent rollback would skip
 * the page's messages for good.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/core/storage';
import { stores } from '../helpers/stores';


const C = 'test:c1';

describe.each(stores)('a batch with a failed statement: $name', (store) => {
  let opened: Awaited<ReturnType<(typeof stores)[number]['open']>>;
  let repos: Repositories;
  beforeEach(async () => {
    opened = await store.open();
    repos = opened.repos;
    await repos.communities.ensure(C, 'test', C, 0);
  });
  afterEach(() => opened.close());

  it('commit() either keeps the writes made before the failure or throws', async () => {
    await repos.begin();
    await repos.channels.upsert(C, { id: 'general', name: 'general', visibility: 'public', kind: 'text' }, 1);
    // A statement the store refuses (PostgreSQL's text cannot hold a NUL byte).
    await repos.channels.upsert(C, { id: 'bad', name: 'nul\u0000name', visibility: 'public', kind: 'text' }, 2).catch(() => undefined);
    let committed = true;
    try {
      await repos.commit();
    } catch {
      committed = false;
    }
    if (committed) expect(await repos.channels.get(C, 'general')).toBeDefined();
    else expect(await repos.channels.get(C, 'general')).toBeUndefined();
    // The store is usable afterwards.
    await repos.channels.upsert(C, { id: 'after', name: 'after', visibility: 'public', kind: 'text' }, 3);
    expect(await repos.channels.get(C, 'after')).toBeDefined();
  });
});
