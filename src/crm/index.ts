/**
 * The CRM sinks a running Hearth feeds, once per process whatever the platforms: signed
 * webhooks (HEARTH_WEBHOOK_URL) and the HubSpot contact sync (HUBSPOT_ACCESS_TOKEN).
 */
import type { Config } from '../config';
import { systemClock, type Clock } from '../core/clock';
import { CrmEvents } from '../core/crm/events';
import { SettingsService } from '../core/settings';
import type { Repositories } from '../core/storage';
import { scheduleHubSpotSync, scheduleWebhooks } from '../jobs/crm';
import type { Schedule } from '../jobs/scheduler';
import type { Logger } from '../log';
import { hubspotClient } from './hubspot/client';
import { HubSpotSync } from './hubspot/sync';
import { WebhookDispatcher } from './webhooks/dispatcher';

export interface CrmSinkDeps {
  config: Config;
  repos: Repositories;
  log: Logger;
  clock?: Clock;
}

/** Start the configured sinks' schedules; undefined when none is configured. */
export function startCrmSinks({ config, repos, log, clock = systemClock }: CrmSinkDeps): Schedule | undefined {
  const schedules: Schedule[] = [];
  if (config.HEARTH_WEBHOOK_URL && config.HEARTH_WEBHOOK_SECRET) {
    const events = new CrmEvents({ repos, clock, settings: new SettingsService(repos) }, true);
    const dispatcher = new WebhookDispatcher({ repos, clock, log: log.child({ sink: 'webhook' }), url: config.HEARTH_WEBHOOK_URL, secret: config.HEARTH_WEBHOOK_SECRET });
    schedules.push(scheduleWebhooks(repos, events, dispatcher, log));
    log.info({ url: new URL(config.HEARTH_WEBHOOK_URL).origin }, 'CRM webhooks on');
  }
  if (config.HUBSPOT_ACCESS_TOKEN) {
    const sync = new HubSpotSync({ repos, clock, log: log.child({ sink: 'hubspot' }), client: hubspotClient(config.HUBSPOT_ACCESS_TOKEN, config.HUBSPOT_API_URL) });
    schedules.push(scheduleHubSpotSync(sync, config.HUBSPOT_SYNC_SCHEDULE, config.HEARTH_TIMEZONE, log));
    log.info({ schedule: config.HUBSPOT_SYNC_SCHEDULE }, 'HubSpot sync on');
  }
  if (schedules.length === 0) return undefined;
  return { stop: () => schedules.forEach((s) => s.stop()) };
}
