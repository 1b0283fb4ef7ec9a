/**
 * Several processes on one PostgreSQL database: each process has its own pool, so these
 * tests open one pool per "process" on the same database and race them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/core/storage';
import { createPostgresRepositories } from '../../src/db/postgres';
import { openPostgres, type PostgresHandle } from '../../src/db/postgres/connection';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { ManualClock } from '../../src/core/clock';
import { Companion } from '../../src/core/companion';
import { silentLogger } from '../../src/log';
import { RecordingPlatform } from '../helpers/recording-platform';

const C = 'test:c1';

describe.skipIf(!postgresEnabled())('several processes on one PostgreSQL', () => {
  const handles: PostgresHandle[] = [];
  let processes: Repositories[];
  beforeEach(async () => {
    const first = await openTestPostgres();
    handles.push(first.handle);
    processes = [first.repos];
    for (let i = 0; i < 2; i++) {
      const handle = await openPostgres(first.url, { max: 4 });
      handles.push(handle);
      processes.push(createPostgresRepositories(handle));
    }
    await processes[0].communities.ensure(C, 'test', C, 0);
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  it('processes claiming steps at once never take the same one, and together take them all', async () => {
    for (let i = 0; i < 200; i++) await processes[0].tasks.schedule(C, 'nudge', `k${i}`, i, {}, 0);
    const taken = await Promise.all(
      processes.map(async (repos) => {
        const mine: string[] = [];
        for (;;) {
          const batch = await repos.tasks.claimDue(1000, 'test:', 2000, 5);
          if (batch.length === 0) return mine;
          mine.push(...batch.map((t) => t.key));
        }
      }),
    );
    expect(taken.flat()).toHaveLength(200);
    expect(new Set(taken.flat()).size).toBe(200);
  });

  it('a step claimed by a process that died is taken over by another once the lease runs out', async () => {
    await processes[0].tasks.schedule(C, 'reping', 'reping:1', 10, {}, 0);
    expect((await processes[0].tasks.claimDue(10, 'test:', 310, 5)).map((t) => t.key)).toEqual(['reping:1']);
    await handles[0].close(); // the first process dies mid-step
    expect(await processes[1].tasks.claimDue(309, 'test:', 609, 5)).toEqual([]);
    expect((await processes[2].tasks.claimDue(310, 'test:', 610, 5)).map((t) => [t.key, t.leaseUntil])).toEqual([['reping:1', 610]]);
  });

  it('an event delivered to every process at once (a redelivery) is acted on once', async () => {
    const clock = new ManualClock();
    const platforms = processes.map(() => new RecordingPlatform('test'));
    const companions = processes.map((repos, i) => new Companion({ repos, platform: platforms[i], clock, log: silentLogger, settingsDefaults: { moderatorChannel: 'mods' } }));
    const member = (id: string) => ({ id, name: id });
    const channel = { id: 'general', name: 'general', visibility: 'public' as const, kind: 'text' as const };
    const events = [
      { type: 'member_joined', member: member('maya'), welcomeChannelId: 'general', deliveryId: 'join:maya' },
      { type: 'message_posted', deliveryId: 'message:m1', message: { id: 'm1', channel, author: member('maya'), text: 'hi all, first time here: how do I reset my password?', at: clock.now() } },
    ];
    for (const event of events) {
      const raw = { community: C, communityName: 'Test', at: clock.now(), ...event };
      const results = await Promise.all(companions.map((c) => c.handle(raw)));
      expect(results.filter((r) => r.ok && !r.notes.duplicate)).toHaveLength(1);
      clock.advance(1000);
    }
    clock.advance(60 * 60_000);
    await Promise.all(companions.map((c) => c.runDueTasks()));
    const sent = platforms.flatMap((p) => p.calls).filter((call) => call.kind !== 'react');
    const welcomes = sent.filter((call) => 'message' in call && call.message.text.includes('Welcome'));
    expect(welcomes).toHaveLength(1);
  });

  it("one community's handling waits for another process's; other communities do not", async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = processes[0].inOrder(C, async () => {
      entered();
      await held;
      order.push('first');
    });
    await inside;
    const second = processes[1].inOrder(C, async () => order.push('second'));
    await processes[2].inOrder('test:c2', async () => order.push('other community'));
    expect(order).toEqual(['other community']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['other community', 'first', 'second']);
  });

  it('a process that dies holding a community lock releases it', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let finish!: () => void;
    const stuck = processes[1].inOrder(C, async () => {
      entered();
      await new Promise<void>((resolve) => (finish = resolve)); // still running when the process dies
    });
    await inside;
    // The process is killed: its connections drop, as the server sees when their sockets close.
    await handles[0].pool.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
    expect(await processes[2].inOrder(C, async () => 'ran')).toBe('ran');
    finish();
    await stuck.catch(() => undefined);
  });
});
