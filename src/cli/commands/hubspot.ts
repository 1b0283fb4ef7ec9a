/**
 * `hearth hubspot sync`: one HubSpot contact sync run now (the same run the schedule makes),
 * for a first import or to check a token. Prints what it did as one JSON line.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { systemClock } from '../../core/clock';
import { hubspotClient } from '../../crm/hubspot/client';
import { HubSpotSync } from '../../crm/hubspot/sync';
import { configuredStore, openStore, storeExists } from '../../db/store';
import { createLogger, configSecrets } from '../../log';
import type { CliIo } from '../io';

export const description = 'Sync member health to HubSpot contacts now: hubspot sync [--db FILE] (needs HUBSPOT_ACCESS_TOKEN)';

const USAGE = 'Usage: npm run -s hearth -- hubspot sync [--db FILE]\n  --db  the database file (default: HEARTH_DB_PATH, ./data/hearth.db)';

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`hubspot: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.join(' ') !== 'sync') {
    io.err(`hubspot: expected "sync"\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (!config.HUBSPOT_ACCESS_TOKEN) {
    io.err('hubspot: HUBSPOT_ACCESS_TOKEN is not set (a private app access token; see README "HubSpot")');
    return 1;
  }
  const file = parsed.values.db ?? configuredStore(config);
  if (!storeExists(file)) {
    io.err(`hubspot: no database at ${file} (give --db FILE or set HEARTH_DB_PATH)`);
    return 1;
  }
  const database = await openStore(file);
  try {
    const log = createLogger(config.HEARTH_LOG_LEVEL, { secrets: configSecrets(config) });
    const sync = new HubSpotSync({ repos: database.repos, clock: io.now ? { now: io.now } : systemClock, log, client: hubspotClient(config.HUBSPOT_ACCESS_TOKEN, config.HUBSPOT_API_URL) });
    io.out(JSON.stringify(await sync.run()));
    return 0;
  } finally {
    await database.close();
  }
}
