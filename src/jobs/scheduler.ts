/**
 * node-cron only decides *when* to look; what is due lives in the database
 * (scheduled_tasks), so a restart resumes exactly where it stopped.
 */
import cron from 'node-cron';
import type { Companion } from '../core/companion';
import type { Logger } from '../log';

export interface Schedule {
  stop(): void;
}

/** Run due tasks every minute (and once right away, to catch up after a restart). */
export function scheduleDueTasks(companion: Companion, log: Logger): Schedule {
  let running = false;
  const tick = async () => {
    if (running) return; // a slow tick never overlaps the next one
    running = true;
    try {
      await companion.runDueTasks();
    } catch (error) {
      log.error({ err: error }, 'due-task tick failed');
    } finally {
      running = false;
    }
  };
  const task = cron.schedule('* * * * *', tick, { name: `hearth-due-tasks-${companion.core.platform.name}` });
  void tick();
  return { stop: () => void task.stop() };
}
