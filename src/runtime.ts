/**
 * Starts the long-running platforms (Discord, Slack) and their schedules. Each adapter
 * module exports `start(deps)`; the shell runs in the foreground instead (see main.ts).
 */
import type { Config, PlatformName } from './config';
import type { Repositories } from './db/repositories';
import type { AiPort } from './core/ai/port';
import type { Logger } from './log';

export interface RunningService {
  name: string;
  stop(): Promise<void>;
}

export interface StartDeps {
  config: Config;
  repos: Repositories;
  log: Logger;
  /** The optional AI port; adapters pass it to `new Companion({ ..., ai })`. */
  ai?: AiPort;
}

export async function startServices(deps: StartDeps & { platforms: PlatformName[] }): Promise<RunningService[]> {
  const running: RunningService[] = [];
  for (const platform of deps.platforms) {
    if (platform === 'shell') throw new Error('the shell community runs on its own; unset HEARTH_PLATFORMS=shell to combine platforms');
    const adapter = await loadAdapter(platform);
    running.push(await adapter.start({ config: deps.config, repos: deps.repos, ai: deps.ai, log: deps.log.child({ platform }) }));
  }
  return running;
}

async function loadAdapter(platform: 'discord' | 'slack'): Promise<{ start(deps: StartDeps): Promise<RunningService> }> {
  // Imported lazily so a shell-only run never loads discord.js or Bolt.
  return platform === 'discord' ? import('./platforms/discord') : import('./platforms/slack');
}
