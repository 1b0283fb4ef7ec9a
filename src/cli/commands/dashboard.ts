/**
 * `hearth dashboard`: serve the moderators' dashboard alone over an existing database (after
 * an import, or beside a bot that runs with HEARTH_DASHBOARD_PORT=0 elsewhere). Sign-in links
 * come from `/dashboard` in the community, written to the same database.
 */
import { ConfigError, loadConfig } from '../../config';
import { startDashboard } from '../../dashboard';
import { configuredStore, openStore } from '../../db/store';
import { configSecrets, createLogger } from '../../log';
import type { CliIo } from '../io';

export const description = 'Serve the moderators\' dashboard over an existing database (sign in with /dashboard)';

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out('Usage: npm run -s hearth -- dashboard\n\nServes the dashboard on HEARTH_DASHBOARD_HOST:HEARTH_DASHBOARD_PORT (default 127.0.0.1:8787)\nover HEARTH_DATABASE_URL, else HEARTH_DB_PATH, until interrupted. Moderators get a sign-in link with /dashboard.');
    return 0;
  }
  if (args.length) {
    io.err(`hearth dashboard: unexpected argument "${args[0]}" (settings come from the environment: HEARTH_DATABASE_URL or HEARTH_DB_PATH, HEARTH_DASHBOARD_PORT, HEARTH_DASHBOARD_HOST, HEARTH_PUBLIC_URL)`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`hearth: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (config.HEARTH_DASHBOARD_PORT === 0) {
    io.err('hearth dashboard: HEARTH_DASHBOARD_PORT is 0 (off); set a port, e.g. 8787');
    return 1;
  }
  // The configured store, as `npm start` opens it: HEARTH_DB_PATH is ignored while
  // HEARTH_DATABASE_URL is set (README "PostgreSQL"), so links from the bot open here.
  let database;
  try {
    database = await openStore(configuredStore(config));
  } catch (error) {
    const setting = config.HEARTH_DATABASE_URL ? 'HEARTH_DATABASE_URL: cannot open the PostgreSQL database' : `HEARTH_DB_PATH: cannot open the database at ${config.HEARTH_DB_PATH}`;
    io.err(`hearth: ${setting}: ${(error as Error).message}`);
    return 1;
  }
  const log = createLogger(config.HEARTH_LOG_LEVEL, { secrets: configSecrets(config) });
  let dashboard;
  try {
    dashboard = await startDashboard({ config, repos: database.repos, log });
  } catch (error) {
    await database.close();
    io.err(`hearth: ${(error as Error).message}`);
    return 1;
  }
  io.out(`Dashboard at ${dashboard.url}${config.HEARTH_PUBLIC_URL ? ` (links use ${config.HEARTH_PUBLIC_URL})` : ''}: run /dashboard in your community for a sign-in link. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await dashboard.close();
  await database.close();
  return 0;
}
