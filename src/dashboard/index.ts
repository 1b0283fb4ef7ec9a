/**
 * Start the dashboard (./server.ts) over a store: beside the companion (`npm start`) or alone
 * (`hearth dashboard`). It has a core of its own, over a platform that sends nothing: it only
 * reads, and the live platforms stay with their adapters.
 */
import type { Config } from '../config';
import { systemClock, type Clock } from '../core/clock';
import { Companion } from '../core/companion';
import type { Repositories } from '../core/storage';
import { historyPlatform } from '../import/null-platform';
import type { Logger } from '../log';
import { createDashboardServer, type DashboardOptions } from './server';

export interface RunningDashboard {
  /** Where it listens, e.g. http://127.0.0.1:8787. */
  url: string;
  close(): Promise<void>;
}

export interface DashboardStart {
  config: Pick<Config, 'HEARTH_DASHBOARD_PORT' | 'HEARTH_DASHBOARD_HOST' | 'HEARTH_PUBLIC_URL' | 'HEARTH_TIMEZONE'>;
  repos: Repositories;
  log: Logger;
  clock?: Clock;
  /** Listen here instead of HEARTH_DASHBOARD_PORT (tests: 0 for any free port). */
  port?: number;
  stillModerator?: DashboardOptions['stillModerator'];
  livePollMs?: number;
}

export async function startDashboard(options: DashboardStart): Promise<RunningDashboard> {
  const clock = options.clock ?? systemClock;
  const companion = new Companion({
    repos: options.repos,
    platform: historyPlatform('dashboard'),
    clock,
    log: options.log,
    settingsDefaults: { timezone: options.config.HEARTH_TIMEZONE },
  });
  const app = createDashboardServer({
    core: companion.core,
    clock,
    log: options.log,
    publicUrl: options.config.HEARTH_PUBLIC_URL,
    stillModerator: options.stillModerator,
    livePollMs: options.livePollMs,
  });
  const port = options.port ?? options.config.HEARTH_DASHBOARD_PORT;
  const host = options.config.HEARTH_DASHBOARD_HOST;
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`HEARTH_DASHBOARD_PORT: port ${port} is already in use (choose another port, or 0 to turn the dashboard off)`);
    if (code === 'EACCES') throw new Error(`HEARTH_DASHBOARD_PORT: not allowed to listen on port ${port} (choose a port above 1023)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`HEARTH_DASHBOARD_HOST: cannot listen on ${host}`);
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${actualPort}`, close: () => app.close() };
}
