/**
 * Every process with HEARTH_WEBHOOK_URL scans member health on the same cron second (and at
 * start-up). Two scans at once must queue each change once: each reads the fingerprints last
 * sent before either writes, and each event gets a fresh id, so a receiver could not drop the
 * copy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { Companion } from '../../src/core/companion';
import { CrmEvents } from '../../src/core/crm/events';
import { SettingsService } from '../../src/core/settings';
import type { Repositories } from '../../src/core/storage';
import { createPostgresRepositories } from '../../src/db/postgres';
import { openPostgres, type PostgresHandle } from '../../src/db/postgres/connection';
import { runHealthScan } from '../../src/jobs/crm';
import { silentLogger } from '../../src/log';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { RecordingPlatform } from '../helpers/recording-platform';

const C = 'test:c1';

describe.skipIf(!postgresEnabled())('member health scans in two processes at once (PostgreSQL)', () => {
  const handles: PostgresHandle[] = [];
  let processes: Repositories[];
  beforeEach(async () => {
    const first = await openTestPostgres();
    handles.push(first.handle);
    const second = await openPostgres(first.url, { max: 4 });
    handles.push(second);
    processes = [first.repos, createPostgresRepositories(second)];
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  it('queue each change once', async () => {
    const clock = new ManualClock();
    const companion = new Companion({ repos: processes[0], platform: new RecordingPlatform('test'), clock, log: silentLogger, webhooks: true });
    const base = { community: C, communityName: 'Test', at: clock.now() };
    await companion.handle({ ...base, type: 'member_joined', member: { id: 'maya', name: 'maya' } });
    await companion.handle({ ...base, type: 'message_posted', message: { id: 'm1', channel: { id: 'general', name: 'general' }, author: { id: 'maya', name: 'maya' }, text: 'hello all', at: clock.now() } });

    // The first process stops just before it writes what it read (a slow scan, a busy server).
    let reached!: () => void;
    const atWrite = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Repositories = Object.create(processes[0]);
    slow.transaction = async (fn) => {
      reached();
      await gate;
      return processes[0].transaction(fn);
    };
    const scanner = (repos: Repositories) => new CrmEvents({ repos, clock, settings: new SettingsService(repos) }, true);
    const first = runHealthScan(scanner(slow), slow, silentLogger);
    await atWrite;
    const second = runHealthScan(scanner(processes[1]), processes[1], silentLogger);
    // Either the second scan ends (nothing keeps it out), or it is seen waiting for the first.
    const waiting = async () => {
      for (let i = 0; i < 2000; i++) {
        const { rows } = await handles[1].pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        if (Number(rows[0].n) > 0) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error('the second scan neither ended nor waited');
    };
    await Promise.race([second, waiting()]);
    release();
    await Promise.all([first, second]);
    const events = (await processes[0].webhookEvents.list(C)).filter((e) => e.type === 'member.health.changed');
    expect(events.map((e) => e.memberId)).toEqual(['maya']);
  });
});
