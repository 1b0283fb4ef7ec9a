/**
 * The weekly digest is retried every hour of its day, so a post the platform took although
 * the call failed (a timeout, a kill right after it) must not come twice: it goes through the
 * outbox, which looks for the earlier post (findPosted) before sending again, and marks the
 * new one as a possible repeat where the platform cannot tell.
 */
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../src/core/clock';
import { MAYBE_REPEAT_NOTE } from '../../src/core/outbox';
import { runWeeklyDigest } from '../../src/jobs/digest';
import { silentLogger } from '../../src/log';
import { busyCommunity, moderatorPostTimesOut } from '../helpers/digest-community';
import type { Harness } from '../helpers/harness';

async function timedOutOnce(): Promise<Harness> {
  const t = await busyCommunity();
  moderatorPostTimesOut(t); // the platform takes the first post, but the call times out
  await expect(runWeeklyDigest(t.companion, silentLogger, 'UTC')).resolves.toBe(0); // logged, retried later
  return t;
}

describe('a weekly digest whose post timed out after the platform took it', () => {
  it('is found by the next hourly tick and not posted again', async () => {
    const t = await timedOutOnce();
    const first = t.platform.of('notifyModerators')[0];
    t.platform.findPosted = async (_community, where, key) =>
      where.kind === 'moderators' && first.message.idempotencyKey === key ? { channelId: 'mods', messageId: first.id } : 'absent';
    t.clock.advance(HOUR);
    expect(await runWeeklyDigest(t.companion, silentLogger, 'UTC')).toBe(0);
    t.clock.advance(HOUR);
    expect(await runWeeklyDigest(t.companion, silentLogger, 'UTC')).toBe(0);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    expect((await t.repos.companionPosts.get(t.community, first.message.idempotencyKey!))?.messageId).toBe(first.id);
  });

  it('where the platform cannot tell, is posted again once, saying it may repeat', async () => {
    const t = await timedOutOnce();
    t.clock.advance(HOUR);
    expect(await runWeeklyDigest(t.companion, silentLogger, 'UTC')).toBe(1);
    t.clock.advance(HOUR);
    expect(await runWeeklyDigest(t.companion, silentLogger, 'UTC')).toBe(0);
    const posts = t.platform.of('notifyModerators');
    expect(posts).toHaveLength(2);
    expect(posts[1].message.text.endsWith(MAYBE_REPEAT_NOTE)).toBe(true);
  });
});
