/**
 * Optional operations endpoint (HEARTH_METRICS_PORT, on 127.0.0.1): `/healthz` runs the
 * given checks (runtime.ts passes only "database reachable") and `/metrics` in Prometheus format.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { CompanionObserver } from '../core/observer';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

export class OpsMetrics implements CompanionObserver {
  readonly registry = new Registry();
  private readonly events = new Counter({ name: 'hearth_events_total', help: 'Events handled, by type and outcome', labelNames: ['type', 'outcome'], registers: [this.registry] });
  private readonly featureErrors = new Counter({ name: 'hearth_feature_errors_total', help: 'Contained feature failures', labelNames: ['feature'], registers: [this.registry] });
  private readonly commands = new Counter({ name: 'hearth_commands_total', help: 'Commands, by name and outcome', labelNames: ['command', 'outcome'], registers: [this.registry] });
  private readonly tasks = new Counter({ name: 'hearth_tasks_total', help: 'Scheduled tasks run, by kind and outcome', labelNames: ['kind', 'outcome'], registers: [this.registry] });

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'hearth_' });
  }

  event(type: string, outcome: string): void {
    this.events.inc({ type, outcome });
  }
  featureError(feature: string): void {
    this.featureErrors.inc({ feature });
  }
  command(name: string, outcome: string): void {
    this.commands.inc({ command: name, outcome });
  }
  task(kind: string, outcome: string): void {
    this.tasks.inc({ kind, outcome });
  }
}

export function startOpsServer(options: { port: number; host?: string; metrics: OpsMetrics; checks: HealthCheck[] }): Promise<Server> {
  const server = createServer(async (req, res) => {
    try {
      if (req.url === '/healthz') {
        const results = await Promise.all(options.checks.map(async (c) => [c.name, await Promise.resolve(c.check()).catch(() => false)] as const));
        const ok = results.every(([, healthy]) => healthy);
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unhealthy', checks: Object.fromEntries(results) }));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
        res.end(await options.metrics.registry.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      }
    } catch {
      res.writeHead(500);
      res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}
