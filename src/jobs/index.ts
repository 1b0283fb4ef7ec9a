/**
 * Every schedule a running companion needs, in one call for adapters:
 *   const jobs = scheduleCompanionJobs(companion, config, log); ... jobs.stop();
 */
import type { Config } from '../config';
import type { Companion } from '../core/companion';
import type { Logger } from '../log';
import { scheduleRetention, scheduleWeeklyDigest } from './digest';
import { scheduleDueTasks, type Schedule } from './scheduler';

export function scheduleCompanionJobs(companion: Companion, config: Config, log: Logger): Schedule {
  const schedules = [
    scheduleDueTasks(companion, log),
    scheduleWeeklyDigest(companion, { day: config.HEARTH_DIGEST_DAY, hour: config.HEARTH_DIGEST_HOUR, timezone: config.HEARTH_TIMEZONE }, log),
    scheduleRetention(companion, config.HEARTH_TIMEZONE, log),
  ];
  return { stop: () => schedules.forEach((s) => s.stop()) };
}
