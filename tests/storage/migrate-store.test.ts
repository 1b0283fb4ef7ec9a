/** `migrate-store`: a SQLite store copied into PostgreSQL, whole, resumable, counts checked. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/migrate-store';
import { queryTerms } from '../../src/core/search/text';
import { messages } from '../../src/db/postgres/schema';
import { openStore } from '../../src/db/store';
import { postgresEnabled } from '../helpers/postgres';
import { createDatabase } from '../setup/postgres';

const C = 'test:c1';
const dir = mkdtempSync(join(tmpdir(), 'hearth-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sqliteStore(path: string) {
  const store = await openStore(`sqlite:${path}`);
  const { repos } = store;
  await repos.communities.ensure(C, 'test', 'C', 1);
  await repos.members.upsert(C, { id: 'ana', name: 'Ana', email: 'ana@example.org' }, 1);
  await repos.channels.upsert(C, { id: 'general', name: 'general' }, 1);
  await repos.channels.upsert(C, { id: 'staff', name: 'staff', visibility: 'private', memberIds: ['mod'] }, 1);
  for (let i = 0; i < 2500; i++) {
    await repos.messages.insert(C, { id: `m${i}`, channelId: i % 2 ? 'general' : 'staff', authorId: 'ana', text: `message ${i} about the ingress gateway ${i % 7 ? '' : 'timeout'}`, discussionId: `m${i}`, createdAt: 10 + i });
  }
  await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'bo', messageId: 'm1', at: 20, data: { n: 1 } });
  await repos.escalations.createWithSteps(C, { requesterId: 'ana', channelId: 'general', source: 'command', createdAt: 30, lastRequestAt: 30, reason: 'help' }, [{ kind: 'escalation.reping', key: 'reping:{id}', dueAt: 90 }]);
  await repos.settings.set(C, 'welcome', { channel: 'general' }, 1);
  await repos.embeddings.put(C, 'model', 'm1', Buffer.from([1, 2, 3]), 5);
  await repos.checkpoints.put('backfill:x', { cursor: 'y' }, 5);
  await store.close();
}

describe.skipIf(!postgresEnabled())('migrate-store', () => {
  it('copies every table, ids and search included; a second run (resuming) adds nothing; counts are checked', async () => {
    const file = join(dir, 'hearth.db');
    await sqliteStore(file);
    const url = await createDatabase(inject('postgresUrl'), `hearth_migrate_${Date.now()}`);
    const out: string[] = [];
    const io = { out: (l: string) => void out.push(l), err: () => {}, stdin: process.stdin };
    expect(await run(['--from', `sqlite:${file}`, '--to', url], io)).toBe(0);
    expect(out.at(-1)).toBe('migrate-store: every table copied, counts match');
    expect(out.find((l) => l.startsWith('messages'))).toMatch(/2500 ->\s+2500/);

    const store = await openStore(url);
    try {
      const { repos } = store;
      expect(await repos.messages.get(C, 'm7')).toMatchObject({ text: 'message 7 about the ingress gateway timeout', channelId: 'general' });
      expect(await repos.members.get(C, 'ana')).toMatchObject({ email: 'ana@example.org' });
      expect(await repos.channels.canRead(C, 'staff', 'ana')).toBe(false);
      expect(await repos.settings.all(C)).toEqual({ welcome: { channel: 'general' } });
      expect([...(await repos.embeddings.get(C, 'model', ['m1'])).get('m1')!.vector]).toEqual([1, 2, 3]);
      const [task] = await repos.tasks.due(1000, 'test:');
      expect(task).toMatchObject({ kind: 'escalation.reping', payload: { escalationId: 1 } });
      // Search works on the copy (the index was built), within the asker's channels.
      const found = await repos.related.candidates({ community: C, terms: queryTerms('ingress timeout'), readableChannelIds: await repos.channels.readableBy(C, 'ana'), limit: 5 });
      expect(found.discussions.length).toBeGreaterThan(0);
      expect(found.discussions.every((d) => d.channelId === 'general')).toBe(true);
      // New rows get ids after the copied ones.
      expect(await repos.signals.record(C, { kind: 'helped', actorId: 'bo', subjectId: 'ana', at: 50 })).toBe(true);
      expect((await repos.signals.list(C)).map((s) => s.id)).toEqual([1, 2]);
      const inserted = await repos.messages.insert(C, { id: 'new', channelId: 'general', authorId: 'ana', text: 'new', createdAt: 9999 });
      expect(inserted!.rowId).toBe(2501);
      await repos.messages.delete(C, 'new');
      await repos.signals.deleteForMember(C, 'bo');
    } finally {
      await store.close();
    }
    out.length = 0;
    expect(await run(['--from', `sqlite:${file}`, '--to', url], io)).toBe(0);
    expect(out.at(-1)).toBe('migrate-store: every table copied, counts match');
  });

  it('resumes after an interruption: rows the first run did not reach are copied, none twice', async () => {
    const file = join(dir, 'resume.db');
    await sqliteStore(file);
    const url = await createDatabase(inject('postgresUrl'), `hearth_resume_${Date.now()}`);
    const io = { out: () => {}, err: () => {}, stdin: process.stdin };
    expect(await run(['--from', `sqlite:${file}`, '--to', url], io)).toBe(0);
    // As if the run had stopped after 1,000 messages and before the later tables.
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('DELETE FROM messages WHERE row_id > 1000; DELETE FROM escalations; DELETE FROM scheduled_tasks; DELETE FROM checkpoints');
    await client.end();
    const out: string[] = [];
    expect(await run(['--from', `sqlite:${file}`, '--to', url], { ...io, out: (l: string) => void out.push(l) })).toBe(0);
    expect(out.find((l) => l.startsWith('messages'))).toMatch(/2500 ->\s+2500/);
    expect(out.at(-1)).toBe('migrate-store: every table copied, counts match');
  });

  it('copies a chunk of rows in one statement of one parameter a column (an array each), not one a value', async () => {
    const file = join(dir, 'shape.db');
    await sqliteStore(file);
    const url = await createDatabase(inject('postgresUrl'), `hearth_shape_${Date.now()}`);
    const pg = (await import('pg')).default;
    const statements = vi.spyOn(pg.Client.prototype, 'query');
    try {
      expect(await run(['--from', `sqlite:${file}`, '--to', url], { out: () => {}, err: () => {}, stdin: process.stdin })).toBe(0);
      const inserts = statements.mock.calls
        .map(([query, values]) => (typeof query === 'string' ? { text: query, values } : { text: (query as { text: string }).text, values: (values ?? (query as { values?: unknown[] }).values) as unknown[] | undefined }))
        .filter((q) => /^insert into "?messages"?/i.test(q.text.trim()));
      // 2,500 messages: three chunks, one array a column each.
      expect(inserts).toHaveLength(3);
      for (const insert of inserts) expect(insert.values?.length).toBe(Object.keys(getTableColumns(messages)).length);
    } finally {
      statements.mockRestore();
    }
  });

  it('refuses a target that is not PostgreSQL and a missing source file', async () => {
    const errors: string[] = [];
    const io = { out: () => {}, err: (l: string) => void errors.push(l), stdin: process.stdin };
    expect(await run(['--from', 'sqlite:/nowhere.db', '--to', 'mysql://x'], io)).toBe(2);
    expect(await run(['--from', 'sqlite:/nowhere/hearth.db', '--to', 'postgres://x@127.0.0.1:1/x'], io)).toBe(1);
    expect(errors.at(-1)).toContain('no SQLite file');
  });
});
