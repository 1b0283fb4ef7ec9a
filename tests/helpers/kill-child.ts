/**
 * The companion process of a platform kill round (tests/helpers/platform-kill-round.ts) and of
 * the several-processes test (tests/durability/processes.test.ts): the real Discord or Slack
 * adapter (HEARTH_PLATFORMS, tokens, base URL and shard from the environment, like `npm
 * start`) on the configured store (HEARTH_DATABASE_URL, else HEARTH_DB_PATH), against a fake
 * kept alive by the parent. Its clock is a
 * manual one starting at HEARTH_KILL_CLOCK and no cron runs: each stdin line `advance <ms>`
 * moves the clock and runs the due tasks, then prints `advanced`. Prints `ready` once
 * connected; stops cleanly at the end of stdin (the parent usually kills it first).
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config';
import { ManualClock } from '../../src/core/clock';
import { configuredStore, openStore } from '../../src/db/store';
import { createLogger } from '../../src/log';
import { startDiscord } from '../../src/platforms/discord';
import { startSlack } from '../../src/platforms/slack';

const config = loadConfig();
const log = createLogger(config.HEARTH_LOG_LEVEL);
const database = await openStore(configuredStore(config));
const repos = database.repos;
const clock = new ManualClock(Number(process.env.HEARTH_KILL_CLOCK));
const service = config.HEARTH_PLATFORMS.includes('discord')
  ? await startDiscord({ config, repos, log }, { clock, schedule: false })
  : await startSlack({ config, repos, log, clock, schedule: false });
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  const advance = line.match(/^advance (\d+)$/);
  if (!advance) throw new Error(`unknown instruction: ${line}`);
  clock.advance(Number(advance[1]));
  await service.companion.runDueTasks();
  process.stdout.write('advanced\n');
}
await service.stop();
await database.close();
