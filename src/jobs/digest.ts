/**
 * Weekly digest and retention purge. node-cron decides when; the work is plain functions
 * over the companion (`runWeeklyDigest`, `runRetention`) so tests and other runners can
 * call them directly. Both are idempotent: the digest posts once per community per day and
 * the purge only blanks text that is still there.
 */
import cron from 'node-cron';
import type { Companion } from '../core/companion';
import { DAY } from '../core/clock';
import type { Logger } from '../log';
import type { Schedule } from './scheduler';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface DigestScheduleOptions {
  /** 0 = Sunday ... 6 = Saturday. */
  day: number;
  /** Local hour, 0-23. */
  hour: number;
  /** IANA time zone the day and hour are in. */
  timezone: string;
}

/**
 * The cron expression for "every <day> at <hour>:00, and every hour after it that day": the
 * later ticks post a digest the first could not (the process was down at that hour, was
 * killed while rendering, or the platform refused the post); one already posted is left.
 */
export function digestCron({ day, hour }: Pick<DigestScheduleOptions, 'day' | 'hour'>): string {
  if (!Number.isInteger(day) || day < 0 || day > 6) throw new Error(`digest day must be 0-6 (Sunday-Saturday), got ${day}`);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`digest hour must be 0-23, got ${hour}`);
  return `0 ${hour === 23 ? '23' : `${hour}-23`} * * ${day}`;
}

/** The local date (YYYY-MM-DD) of `at` in `timezone`: one digest per community per local day. */
export function localDay(at: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Post the weekly digest in every community this companion serves; returns how many were posted.
 * With `timezone` (the schedule's), one per community per local day, whatever the tick.
 * A process serving only some of the platform's communities (a Discord shard) leaves the others
 * to theirs: its attempt could not post there, and while it failed it would hold the digest's
 * claim against the process that can (every process runs this at the same minute).
 */
export async function runWeeklyDigest(companion: Companion, log?: Logger, timezone?: string): Promise<number> {
  const { repos, platform } = companion.core;
  const served = platform.servedCommunities?.();
  const mine = served ? new Set(served) : undefined;
  let posted = 0;
  for (const community of await repos.communities.listByPlatform(platform.name)) {
    if (mine && !mine.has(community.id)) continue;
    try {
      const day = timezone ? localDay(companion.core.clock.now(), timezone) : undefined;
      if (await companion.core.features.signals.postWeeklyDigest(community.id, day)) posted++;
    } catch (error) {
      log?.error({ err: error, community: community.id }, 'weekly digest failed');
    }
  }
  return posted;
}

/** Blank message text past each community's retention window; returns how many messages. */
export async function runRetention(companion: Companion, log?: Logger): Promise<number> {
  const { repos, platform } = companion.core;
  let purged = 0;
  for (const community of await repos.communities.listByPlatform(platform.name)) {
    try {
      purged += await companion.core.features.signals.privacy.purgeExpired(community.id);
      // Platforms redeliver within minutes: a day of delivery ids is plenty (src/core/storage DeliveriesRepository).
      await repos.deliveries.purgeBefore(community.id, companion.core.clock.now() - DAY);
      // Command replies' lookup tokens (secrets) left by a process that never came back to them.
      await repos.outbox.dropExpiredReplyTokens(community.id, companion.core.clock.now());
    } catch (error) {
      log?.error({ err: error, community: community.id }, 'retention purge failed');
    }
  }
  return purged;
}

/** Adapters call this next to scheduleDueTasks: the weekly digest at the configured day and hour. */
export function scheduleWeeklyDigest(companion: Companion, options: DigestScheduleOptions, log: Logger): Schedule & { nextRun(): Date | null } {
  const task = cron.schedule(digestCron(options), () => runWeeklyDigest(companion, log, options.timezone).then(() => undefined), {
    timezone: options.timezone,
    name: `hearth-weekly-digest-${companion.core.platform.name}`,
  });
  return { stop: () => void task.stop(), nextRun: () => task.getNextRun() };
}

/** Adapters call this next to scheduleDueTasks: the retention purge, daily at 03:30 local time. */
export function scheduleRetention(companion: Companion, timezone: string, log: Logger): Schedule & { nextRun(): Date | null } {
  const task = cron.schedule('30 3 * * *', () => runRetention(companion, log).then(() => undefined), {
    timezone,
    name: `hearth-retention-${companion.core.platform.name}`,
  });
  return { stop: () => void task.stop(), nextRun: () => task.getNextRun() };
}
