/**
 * `npm start`: load config, open the database, start the selected platforms (the shell
 * community when no tokens are set) and shut down cleanly on SIGINT / SIGTERM.
 */
import { createAiPort } from './ai';
import { ConfigError, loadConfig, selectPlatforms } from './config';
import { configuredStore, openStore, type Store } from './db/store';
import { configSecrets, createLogger } from './log';
import { loadRecognisers } from './models/load';
import { ManualClock } from './core/clock';
import { startDashboard, type RunningDashboard } from './dashboard';
import { runShell } from './platforms/shell';
import { startServices, stopServices, type RunningService } from './runtime';

async function main(): Promise<number> {
  let config;
  let platforms;
  try {
    config = loadConfig();
    platforms = selectPlatforms(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hearth: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    // The learned recognisers: a missing or damaged weights file stops start-up here, by name.
    loadRecognisers();
  } catch (error) {
    process.stderr.write(`hearth: ${(error as Error).message}\n`);
    return 1;
  }
  const shellOnly = platforms.length === 1 && platforms[0] === 'shell';
  // The shell's stdout is the transcript: keep logs to warnings unless asked otherwise.
  const log = createLogger(shellOnly && !process.env.HEARTH_LOG_LEVEL ? 'warn' : config.HEARTH_LOG_LEVEL, { secrets: configSecrets(config) });
  let database: Store;
  try {
    database = await openStore(configuredStore(config));
  } catch (error) {
    // A folder, a read-only place, another program's file, a lock held through the migrations;
    // on PostgreSQL an unreachable server or a refused login.
    const setting = config.HEARTH_DATABASE_URL ? 'HEARTH_DATABASE_URL: cannot open the PostgreSQL database' : `HEARTH_DB_PATH: cannot open the database at ${config.HEARTH_DB_PATH}`;
    process.stderr.write(`hearth: ${setting}: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
  const repos = database.repos;
  // Off unless HEARTH_AI and OPENAI_API_KEY / OPENAI_BASE_URL are set; every feature has an offline fallback.
  const ai = createAiPort(config, log);

  if (shellOnly) {
    // Where the community is kept: the SQLite path, or the PostgreSQL URL without its password.
    const storedIn = database.label.replace(/^sqlite:/, '');
    if (!process.stdin.isTTY && config.HEARTH_PLATFORMS.length === 0) {
      // Under systemd or `docker run` without -i stdin is empty: without this line a deployment
      // whose tokens did not reach the process would just exit 0, looking like success.
      process.stderr.write(`hearth: no DISCORD_TOKEN or SLACK_BOT_TOKEN is set: running the local shell community, stored in ${storedIn}, on stdin until end of input (set a token to run the bot; HEARTH_PLATFORMS=shell silences this)\n`);
    } else if (process.stdin.isTTY) {
      process.stderr.write(`hearth: shell community stored in ${storedIn}\n`);
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // The dashboard shares the shell's clock, which `:advance` moves, so its links and
    // figures follow the shell's time. A taken port leaves the shell running without it.
    const clock = new ManualClock(Date.now());
    let dashboard: RunningDashboard | undefined;
    if (config.HEARTH_DASHBOARD_PORT !== 0) {
      try {
        dashboard = await startDashboard({ config, repos, log, clock });
        process.stderr.write(`hearth: dashboard at ${dashboard.url} (run /dashboard as a moderator for a sign-in link; HEARTH_DASHBOARD_PORT=0 turns it off)\n`);
      } catch (error) {
        process.stderr.write(`hearth: no dashboard: ${(error as Error).message}\n`);
      }
    }
    try {
      await runShell({ config, repos, log, ai, clock, input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY), stop: stop.signal, databasePath: config.HEARTH_DB_PATH });
    } finally {
      await dashboard?.close();
      await database.close();
    }
    // stdin may still be open after a signal: leave explicitly once everything is flushed.
    if (stop.signal.aborted) process.stdout.write('', () => process.exit(0));
    return 0;
  }

  let running: RunningService[];
  try {
    running = await startServices({ config, repos, log, ai, platforms, database });
  } catch (error) {
    // startServices has stopped whatever did start: close the database and say why, in one line.
    await database.close();
    process.stderr.write(`hearth: could not start: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
  log.info({ platforms }, 'hearth is running');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stopServices(running, log);
  await database.close();
  return 0;
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`hearth: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`hearth: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
