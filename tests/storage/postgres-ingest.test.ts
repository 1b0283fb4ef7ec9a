/**
 * PostgreSQL's import path costs (bench/pg-statement-costs.ts measures them): what a batch
 * writes only once, and how Hearth's connections commit. Behaviour is the contract suite's
 * (tests/storage/contract.test.ts); these pin the PostgreSQL-only choices.
 */
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Repositories } from '../../src/core/storage';
import type { PostgresHandle } from '../../src/db/postgres/connection';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';

const C = 'test:c1';

describe('withHearthSession', () => {
  const options = (url: string) => new URLSearchParams(url.split('?')[1]).getAll('options').at(-1);
  it('adds synchronous_commit=off, keeping the options and parameters the URL has', async () => {
    const { withHearthSession } = await import('../../src/db/postgres/connection');
    expect(options(withHearthSession('postgres://u:p@h:5432/db'))).toBe('-c synchronous_commit=off');
    expect(withHearthSession('postgres://u@h/db?sslmode=require')).toMatch(/^postgres:\/\/u@h\/db\?sslmode=require&options=/);
    expect(options(withHearthSession('postgres://u@h/db?options=-c%20search_path%3Dx'))).toBe('-c search_path=x -c synchronous_commit=off');
    const mine = 'postgres://u@h/db?options=-c%20synchronous_commit%3Dremote_apply';
    expect(withHearthSession(mine)).toBe(mine);
  });
});

describe.runIf(postgresEnabled())('PostgreSQL ingest', () => {
  let opened: { repos: Repositories; handle: PostgresHandle; url: string; close(): Promise<void> } | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await opened?.repos.rollback();
    await opened?.close();
    opened = undefined;
  });

  it('commits without waiting for the WAL flush (synchronous_commit off, as SQLite runs synchronous=NORMAL)', async () => {
    opened = await openTestPostgres();
    // Set by the connection itself ('client'), not the server's default (the test cluster's is off too).
    const { rows } = await opened.handle.pool.query("SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'");
    expect(rows).toEqual([{ setting: 'off', source: 'client' }]);
  });

  it('keeps a synchronous_commit the URL asks for (an operator who wants every commit flushed)', async () => {
    const { url } = await openTestPostgres().then(async (o) => {
      await o.close();
      return o;
    });
    const { openPostgres } = await import('../../src/db/postgres/connection');
    const handle = await openPostgres(`${url}?options=${encodeURIComponent('-c synchronous_commit=on')}`);
    try {
      const { rows } = await handle.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      expect(rows[0].synchronous_commit).toBe('on');
    } finally {
      await handle.close();
    }
  });

  it('in a batch, a post of a member already read is written at commit, once per member', async () => {
    opened = await openTestPostgres();
    const { repos, handle } = opened;
    await repos.communities.ensure(C, 'test', C, 0);
    await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
    await repos.begin();
    expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: null });
    const statements = vi.spyOn(pg.Client.prototype, 'query');
    expect(await repos.members.markPosted(C, 'ana', 100)).toBe(true);
    expect(await repos.members.markPosted(C, 'ana', 200)).toBe(false);
    expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 100, lastPostAt: 200 });
    expect(statements).not.toHaveBeenCalled();
    await repos.commit();
    const updates = statements.mock.calls.filter(([query]) => /update\s+members/i.test(typeof query === 'string' ? query : (query as { text: string }).text));
    expect(updates).toHaveLength(1);
    const { rows } = await handle.pool.query('SELECT first_post_at::int AS first, last_post_at::int AS last FROM members WHERE id = $1', ['ana']);
    expect(rows).toEqual([{ first: 100, last: 200 }]);
  });

  it('a signal recorded without data has SQL NULL data', async () => {
    opened = await openTestPostgres();
    const { repos, handle } = opened;
    await repos.communities.ensure(C, 'test', C, 0);
    await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'bo', at: 15.4 });
    await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'cy', at: 16, data: { messageId: 'x' } });
    const { rows } = await handle.pool.query('SELECT subject_id, data IS NULL AS none, at::int AS at FROM signals ORDER BY id');
    expect(rows).toEqual([
      { subject_id: 'bo', none: true, at: 15 },
      { subject_id: 'cy', none: false, at: 16 },
    ]);
  });
});

describe('RecentSignals (a batch window of one kind of signal)', () => {
  const row = (id: number, at: number) => ({ id, communityId: C, kind: 'conflict', actorId: 'ana', subjectId: 'bo', messageId: null, channelId: null, at, data: null, dedupeKey: null });
  it('keeps up to its limit; past it, says so once (null) instead of being loaded again; nothing outside or after a batch', async () => {
    const { BatchScope } = await import('../../src/db/repositories/batch-cache');
    const { RecentSignals } = await import('../../src/db/postgres/messages');
    const scope = new BatchScope();
    const recent = new RecentSignals(scope, 2);
    scope.start();
    expect(recent.from(C, 'conflict', 10)).toBeUndefined();
    recent.keep(C, 'conflict', 10, [row(1, 12)]);
    expect(recent.from(C, 'conflict', 11)).toEqual([row(1, 12)]);
    expect(recent.from(C, 'conflict', 9)).toBeUndefined(); // earlier than what was read
    recent.add(row(2, 5)); // before the window: a read from 5 loads it
    recent.add(row(3, 13));
    expect(recent.from(C, 'conflict', 10)).toEqual([row(1, 12), row(3, 13)]);
    recent.add(row(4, 14));
    expect(recent.from(C, 'conflict', 10)).toBeNull();
    recent.keep(C, 'conflict', 0, [row(1, 12), row(2, 5), row(3, 13)]);
    expect(recent.from(C, 'conflict', 0)).toBeNull();
    expect(recent.from(C, 'conflict', 20)).toBeNull();
    scope.end();
    expect(recent.from(C, 'conflict', 20)).toBeUndefined();
  });
});
