/**
 * A step that kills its process (out of memory, a native crash) is never marked failed by the
 * runner that ran it: it dies with it. Each claim of a step still marked running counts an
 * attempt, so after MAX_TASK_ATTEMPTS such claims the step is given up instead of taking
 * every restart down with it.
 */
import { describe, expect, it, vi } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { harness } from '../helpers/harness';

describe('a step whose runner dies every time', () => {
  it('is given up after five claims that never finished, without running it again', async () => {
    const t = harness();
    const posted = await t.say('nina', 'a message she will delete', { channelId: 'help' });
    await t.remove(posted, 'help'); // schedules the quarter hour's flush of deleted words
    const [task] = await t.repos.tasks.due(Number.MAX_SAFE_INTEGER, `${t.core.platform.name}:`);
    expect(task.kind).toBe('privacy.flush_deleted');
    // Five runners claimed it and died before finishing (their leases ran out).
    let at = task.dueAt;
    for (let i = 0; i < 5; i++) {
      expect(await t.repos.tasks.claimDue(at, `${t.core.platform.name}:`, at + 5 * MINUTE, 1)).toHaveLength(1);
      at += 5 * MINUTE;
    }
    const checkpoint = vi.spyOn(t.repos, 'flushDeleted');
    t.clock.set(at);
    await t.companion.runDueTasks();
    expect(checkpoint).not.toHaveBeenCalled();
    expect(await t.repos.tasks.get(t.community, task.key)).toMatchObject({ status: 'failed', lastError: 'given up after 5 attempts that failed or never finished' });
  });

  it('a step claimed again once is still run', async () => {
    const t = harness();
    const posted = await t.say('nina', 'a message she will delete', { channelId: 'help' });
    await t.remove(posted, 'help');
    const [task] = await t.repos.tasks.due(Number.MAX_SAFE_INTEGER, `${t.core.platform.name}:`);
    await t.repos.tasks.claimDue(task.dueAt, `${t.core.platform.name}:`, task.dueAt + 5 * MINUTE, 1);
    t.clock.set(task.dueAt + 5 * MINUTE);
    await t.companion.runDueTasks();
    expect(await t.repos.tasks.get(t.community, task.key)).toMatchObject({ status: 'done', attempts: 1 });
  });
});
