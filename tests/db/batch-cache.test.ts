/**
 * Rows remembered during an import batch (src/db/repositories/batch-cache.ts) never go stale:
 * every write through a repository is seen by the next read, inside and across batches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection';
import { createRepositories, type Repositories } from '../../src/db/repositories';

const C = 'test:c1';
let handle: DatabaseHandle;
let repos: Repositories;

function open() {
  handle = openDatabase(':memory:');
  repos = createRepositories(handle);
  return repos;
}
afterEach(() => handle.close());

async function seed() {
  await repos.communities.ensure(C, 'test', 'Community', 0);
  await repos.channels.upsert(C, { id: 'ch', name: 'general' }, 0);
  await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
}

const message = (id: string, text: string) => ({ id, channelId: 'ch', authorId: 'ana', text, createdAt: 1 });

describe('batch row cache', () => {
  it('reads inside a batch see every write made through the repositories', async () => {
    open();
    await seed();
    await repos.begin();
    await repos.messages.insert(C, message('m1', 'first'));
    expect((await repos.messages.get(C, 'm1'))?.text).toBe('first');
    await repos.messages.updateText(C, 'm1', 'edited', undefined, 2);
    expect((await repos.messages.get(C, 'm1'))?.text).toBe('edited');
    await repos.messages.setReply(C, 'm1', 'm0', true, 'm0');
    expect(await repos.messages.get(C, 'm1')).toMatchObject({ replyTo: 'm0', replyInferred: true, discussionId: 'm0' });
    expect(await repos.messages.get(C, 'missing')).toBeUndefined();
    await repos.messages.insert(C, message('missing', 'now here'));
    expect((await repos.messages.get(C, 'missing'))?.text).toBe('now here');
    await repos.messages.delete(C, 'm1');
    expect(await repos.messages.get(C, 'm1')).toBeUndefined();
    await repos.commit();
    expect(await repos.messages.get(C, 'm1')).toBeUndefined();
    expect((await repos.messages.get(C, 'missing'))?.text).toBe('now here');
  });

  it('a member read in a batch reflects posts, renames and opt-outs', async () => {
    open();
    await seed();
    await repos.begin();
    expect((await repos.members.get(C, 'ana'))?.firstPostAt).toBeNull();
    expect(await repos.members.markPosted(C, 'ana', 10)).toBe(true);
    expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 10, lastPostAt: 10 });
    expect(await repos.members.markPosted(C, 'ana', 20)).toBe(false);
    expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 10, lastPostAt: 20 });
    await repos.members.upsert(C, { id: 'ana', name: 'Ana B.' }, 30);
    // The rename reloads the row; the posts (written at commit) are still there.
    expect(await repos.members.get(C, 'ana')).toMatchObject({ name: 'Ana B.', firstPostAt: 10, lastPostAt: 20 });
    expect(await repos.members.findByName(C, 'ana b.')).toMatchObject({ firstPostAt: 10, lastPostAt: 20 });
    await repos.members.setAnalyticsOptOut(C, 'ana', true);
    expect((await repos.members.get(C, 'ana'))?.analyticsOptOut).toBe(true);
    await repos.commit();
    expect(await repos.members.get(C, 'ana')).toMatchObject({ name: 'Ana B.', analyticsOptOut: true, firstPostAt: 10, lastPostAt: 20 });
  });

  it('a rolled-back batch leaves nothing remembered', async () => {
    open();
    await seed();
    await repos.begin();
    await repos.messages.insert(C, message('m1', 'lost'));
    expect(await repos.messages.get(C, 'm1')).toBeDefined();
    expect(await repos.members.markPosted(C, 'ana', 10)).toBe(true);
    await repos.rollback();
    expect(await repos.messages.get(C, 'm1')).toBeUndefined();
    expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: null, lastPostAt: null });
    // ...and the next batch starts from what is stored.
    await repos.begin();
    expect(await repos.members.markPosted(C, 'ana', 20)).toBe(true);
    await repos.commit();
    expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 20, lastPostAt: 20 });
  });

  it('outside a batch every read goes to the database', async () => {
    open();
    await seed();
    await repos.messages.insert(C, message('m1', 'first'));
    expect((await repos.messages.get(C, 'm1'))?.text).toBe('first');
    handle.sqlite.prepare(`UPDATE messages SET text = 'changed elsewhere' WHERE id = 'm1'`).run();
    expect((await repos.messages.get(C, 'm1'))?.text).toBe('changed elsewhere');
  });

  it('new messages are searchable whether or not a batch is open', async () => {
    open();
    await seed();
    await repos.messages.insert(C, message('live', 'kubernetes ingress timeout'));
    await repos.begin();
    await repos.messages.insert(C, message('imported', 'kubernetes ingress timeout again'));
    await repos.commit();
    const count = handle.sqlite.prepare(`SELECT count(*) AS n FROM related_fts WHERE related_fts MATCH 'kubernetes'`).get() as { n: number };
    expect(count.n).toBe(2);
  });
});
