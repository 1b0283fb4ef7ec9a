/**
 * Control characters from a platform or an imported file: PostgreSQL refuses a NUL (U+0000)
 * in any text value ("invalid byte sequence for encoding UTF8: 0x00"), SQLite keeps it. The
 * core's front door (src/core/normalize.ts) drops NULs from every free text it accepts, so a
 * member whose name, channel or thread title holds one is recorded alike on both stores
 * instead of the whole event being lost on PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type TestDatabase } from '../helpers/harness';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';

const stores: { name: string; open(): Promise<{ database?: TestDatabase; close(): Promise<void> }> }[] = [
  { name: 'sqlite', open: async () => ({ close: async () => {} }) },
  ...(postgresEnabled()
    ? [{ name: 'postgres', open: async () => { const pg = await openTestPostgres(); return { database: pg.handle, close: () => pg.close() }; } }]
    : []),
];

describe.each(stores)('NUL in names and titles ($name)', (store) => {
  let close: () => Promise<void> = async () => {};
  afterEach(() => close());

  it('a message whose author name, channel name and title hold NULs is recorded, without them', async () => {
    const opened = await store.open();
    close = opened.close;
    const t = harness(opened.database ? { database: opened.database } : {});
    const result = await t.companion.handle({
      community: t.community,
      communityName: 'Test\u0000 Community',
      at: t.clock.now(),
      type: 'message_posted',
      message: {
        id: 'm1',
        channel: { id: 'general', name: 'gen\u0000eral', visibility: 'public', kind: 'text' },
        author: { id: 'ana', name: 'A\u0000na' },
        title: 'a thread\u0000 title',
        text: 'my invoice is wrong',
        at: t.clock.now(),
      },
    });
    expect(result).toMatchObject({ ok: true });
    const stored = await t.repos.messages.get(t.community, 'm1');
    expect(stored?.title).toBe('a thread title');
    expect((await t.repos.members.get(t.community, 'ana'))?.name).toBe('Ana');
    expect((await t.repos.channels.get(t.community, 'general'))?.name).toBe('general');
  });

  it('a member update and a join with a NUL in the name are recorded', async () => {
    const opened = await store.open();
    close = opened.close;
    const t = harness(opened.database ? { database: opened.database } : {});
    const joined = await t.companion.handle({ community: t.community, at: t.clock.now(), type: 'member_joined', member: { id: 'bo', name: 'B\u0000o' } });
    expect(joined).toMatchObject({ ok: true });
    expect((await t.repos.members.get(t.community, 'bo'))?.name).toBe('Bo');
  });

  it('an address with a control character is dropped like any malformed one, the member kept', async () => {
    const opened = await store.open();
    close = opened.close;
    const t = harness(opened.database ? { database: opened.database } : {});
    const joined = await t.companion.handle({ community: t.community, at: t.clock.now(), type: 'member_joined', member: { id: 'cy', name: 'Cy', email: 'c\u0000y@example.com' } });
    expect(joined).toMatchObject({ ok: true });
    expect(await t.repos.members.get(t.community, 'cy')).toMatchObject({ name: 'Cy', email: null });
  });
});
