/**
 * Starts the long-running platforms (Discord, Slack) and their schedules. Each adapter
 * module exports `start(deps)`; the shell runs in the foreground instead (see main.ts).
 */
import type { Config, PlatformName } from './config';
import type { Repositories } from './core/storage';
import type { AiPort } from './core/ai/port';
import type { Logger } from './log';
import type { CompanionObserver } from './core/observer';
import type { Store } from './db/store';
import { OpsMetrics, startOpsServer } from './ops/server';
import { startCrmSinks } from './crm';

export interface RunningService {
  name: string;
  stop(): Promise<void>;
}

export interface StartDeps {
  config: Config;
  repos: Repositories;
  log: Logger;
  /** Counts the companion's work for /metrics (pass to `new Companion({ observer })`). */
  observer?: CompanionObserver;
  /** The optional AI port; adapters pass it to `new Companion({ ..., ai })`. */
  ai?: AiPort;
}

export async function startServices(deps: StartDeps & { platforms: PlatformName[]; database: Pick<Store, 'ping'> }): Promise<RunningService[]> {
  const running: RunningService[] = [];
  const metrics = deps.config.HEARTH_METRICS_PORT !== undefined ? new OpsMetrics() : undefined;
  try {
    // The operations port first: a port that is taken fails the start before any platform connects.
    if (metrics && deps.config.HEARTH_METRICS_PORT !== undefined) {
      const port = deps.config.HEARTH_METRICS_PORT;
      const server = await startOpsServer({
        port,
        metrics,
        checks: [{ name: 'database', check: () => deps.database.ping() }],
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new Error(`HEARTH_METRICS_PORT: port ${port} is already in use (choose another port, or unset it to turn /healthz and /metrics off)`);
        if (error.code === 'EACCES') throw new Error(`HEARTH_METRICS_PORT: not allowed to listen on port ${port} (choose a port above 1023)`);
        throw error;
      });
      deps.log.info({ port }, 'serving /healthz and /metrics');
      running.push({ name: 'ops', stop: () => new Promise<void>((done) => server.close(() => done())) });
    }
    // The dashboard next, for the same reason; it reads the store the platforms write.
    if (deps.config.HEARTH_DASHBOARD_PORT !== 0) {
      const { startDashboard } = await import('./dashboard');
      const dashboard = await startDashboard({ config: deps.config, repos: deps.repos, log: deps.log.child({ service: 'dashboard' }) });
      deps.log.info({ url: dashboard.url }, 'serving the dashboard (moderators sign in with /dashboard)');
      running.push({ name: 'dashboard', stop: () => dashboard.close() });
    }
    for (const platform of deps.platforms) {
      if (platform === 'shell') throw new Error('the shell community runs on its own; unset HEARTH_PLATFORMS=shell to combine platforms');
      const adapter = await loadAdapter(platform);
      running.push(await adapter.start({ config: deps.config, repos: deps.repos, ai: deps.ai, log: deps.log.child({ platform }), observer: metrics }));
    }
    // Once per process, after the platforms: the outbox they fill is drained here.
    const sinks = startCrmSinks({ config: deps.config, repos: deps.repos, log: deps.log.child({ service: 'crm' }) });
    if (sinks) running.push({ name: 'crm', stop: async () => sinks.stop() });
  } catch (error) {
    // Stop what did start (a connected Discord client would keep the process alive, unsupervised).
    await stopServices(running, deps.log);
    throw error;
  }
  return running;
}

/** Stop services in reverse start order; a failing stop is logged and the others still stop. */
export async function stopServices(running: RunningService[], log: Logger): Promise<void> {
  for (const service of [...running].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      log.error({ err: error, service: service.name }, 'error while stopping');
    }
  }
}

async function loadAdapter(platform: 'discord' | 'slack'): Promise<{ start(deps: StartDeps): Promise<RunningService> }> {
  // Imported lazily so a shell-only run never loads discord.js or Bolt.
  return platform === 'discord' ? import('./platforms/discord') : import('./platforms/slack');
}
