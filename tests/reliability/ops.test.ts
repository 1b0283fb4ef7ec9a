import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { OpsMetrics, startOpsServer } from '../../src/ops/server';
import { harness } from '../helpers/harness';
import { Companion } from '../../src/core/companion';
import { silentLogger } from '../../src/log';

describe('operations endpoint', () => {
  it('serves /healthz and Prometheus /metrics counting the companion’s work', async () => {
    const t = harness();
    const metrics = new OpsMetrics(false);
    const companion = new Companion({ repos: t.repos, platform: t.platform, clock: t.clock, log: silentLogger, observer: metrics });
    await companion.handle({ type: 'member_joined', community: t.community, at: t.clock.now(), member: t.member('maya') });
    await companion.handle({ type: 'message_posted', community: t.community, at: 1, message: { id: 'x' } });
    await companion.command({ type: 'command_invoked', community: t.community, at: t.clock.now(), command: 'hearth-config', options: {}, member: t.member('maya'), channel: t.channel() });

    let healthy = true;
    const server = await startOpsServer({ port: 0, metrics, checks: [{ name: 'database', check: () => healthy }] });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', checks: { database: true } });
      healthy = false;
      expect((await fetch(`${base}/healthz`)).status).toBe(503);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('hearth_events_total{type="member_joined",outcome="ok"} 1');
      expect(text).toContain('hearth_events_total{type="message_posted",outcome="rejected"} 1');
      expect(text).toContain('hearth_commands_total{command="hearth-config",outcome="denied"} 1');
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
