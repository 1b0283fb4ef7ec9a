/**
 * A child process for the webhook kill test: it delivers the outbox of the database named by
 * HEARTH_DB_PATH to HEARTH_WEBHOOK_URL at the fixed time HEARTH_TEST_NOW (a manual clock),
 * then prints `done`. The test kills it with SIGKILL while a request is in flight.
 */
import { ManualClock } from '../../src/core/clock';
import { WebhookDispatcher } from '../../src/crm/webhooks/dispatcher';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { silentLogger } from '../../src/log';

const database = openDatabase(process.env.HEARTH_DB_PATH!);
const dispatcher = new WebhookDispatcher({
  repos: createRepositories(database),
  clock: new ManualClock(Number(process.env.HEARTH_TEST_NOW)),
  log: silentLogger,
  url: process.env.HEARTH_WEBHOOK_URL!,
  secret: process.env.HEARTH_WEBHOOK_SECRET!,
});
await dispatcher.runDue();
database.close();
process.stdout.write('done\n');
