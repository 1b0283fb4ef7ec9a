/**
 * The CRM sinks a running Hearth feeds, once per process whatever the platforms: signed
 * webhooks (HEARTH_WEBHOOK_URL) and the HubSpot contact sync (HUBSPOT_ACCESS_TOKEN).
 */
import type { Config } from '../config';
import { systemClock, type Clock } from '../core/clock';
import { CrmEvents } from '../core/crm/events';
import { SettingsService } from '../core/settings';
import type { Repositories } from '../core/storage';
import { scheduleWebhooks } from '../jobs/crm';
import type { Schedule } from '../jobs/scheduler';
import type { Logger } from '../log';
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
  if (schedules.length === 0) return undefined;
  return { stop: () => schedules.forEach((s) => s.stop()) };
}
