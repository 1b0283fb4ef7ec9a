/**
 * The CRM sinks' schedules. node-cron only decides when to look: the webhook outbox and the
 * health fingerprints live in the database, so a restart resumes where it stopped.
 */
import cron from 'node-cron';
import type { CrmEvents } from '../core/crm/events';
import type { Repositories } from '../core/storage';
import type { HubSpotSync } from '../crm/hubspot/sync';
import type { WebhookDispatcher } from '../crm/webhooks/dispatcher';
import type { Logger } from '../log';
import type { Schedule } from './scheduler';

/** How often the outbox is looked at: a retry falls due to within this much. */
export const WEBHOOK_TICK = '*/15 * * * * *';
/** How often member health records are compared with what was last sent. */
export const HEALTH_SCAN = '*/15 * * * *';

/**
 * The lock a health scan holds (`Repositories.inOrder`, keyed by a name no community has): every
 * process scans on the same cron second, and two scans at once would each read the fingerprints
 * last sent before either wrote, queueing every change twice under two event ids.
 */
const HEALTH_SCAN_LOCK = 'hearth:crm-health-scan';

/** Queue `member.health.changed` for every person in the store (one scan: people span communities); returns how many events. */
export async function runHealthScan(events: CrmEvents, repos: Pick<Repositories, 'inOrder'>, log?: Logger): Promise<number> {
  try {
    return await repos.inOrder(HEALTH_SCAN_LOCK, () => events.scanHealth());
  } catch (error) {
    log?.error({ err: error }, 'member health scan failed');
    return 0;
  }
}

/** Deliver due webhook events every 15 seconds (and now), and scan member health every 15 minutes (and now). */
export function scheduleWebhooks(repos: Repositories, events: CrmEvents, dispatcher: WebhookDispatcher, log: Logger): Schedule {
  const deliver = () =>
    dispatcher.runDue().then(
      () => undefined,
      (error) => log.error({ err: error }, 'webhook delivery tick failed'),
    );
  let scanning = false;
  const scan = async () => {
    if (scanning) return;
    scanning = true;
    try {
      if ((await runHealthScan(events, repos, log)) > 0) await deliver();
    } finally {
      scanning = false;
    }
  };
  const tick = cron.schedule(WEBHOOK_TICK, deliver, { name: 'hearth-webhooks' });
  const health = cron.schedule(HEALTH_SCAN, scan, { name: 'hearth-health-scan' });
  void deliver().then(scan);
  return {
    stop: () => {
      void tick.stop();
      void health.stop();
    },
  };
}

/** The HubSpot sync on its cron schedule (HUBSPOT_SYNC_SCHEDULE, in the companion's time zone), and once now. */
export function scheduleHubSpotSync(sync: HubSpotSync, expression: string, timezone: string, log: Logger): Schedule {
  const run = () =>
    sync.run().then(
      () => undefined,
      (error) => log.error({ err: error }, 'HubSpot sync failed'),
    );
  const task = cron.schedule(expression, run, { timezone, name: 'hearth-hubspot-sync' });
  void run();
  return { stop: () => void task.stop() };
}
