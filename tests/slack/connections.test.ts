/**
 * Two Hearth processes, each with its own Socket Mode connection to one workspace, on one
 * PostgreSQL database. Slack sends each envelope to one connection and may retry it on
 * another (same event_id): every event is acted on once, whichever connections got it.
 */
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock';
import { parseConfig } from '../../src/config';
import { createPostgresRepositories } from '../../src/db/postgres';
import { openPostgres } from '../../src/db/postgres/connection';
import { silentLogger } from '../../src/log';
import { startSlack } from '../../src/platforms/slack';
import { slackMessageId } from '../../src/platforms/slack/ids';
import { FakeSlack } from '../fakes/slack/server';
import { slashCommandPayload } from './workspace';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it.skipIf(!postgresEnabled())('an event delivered to both Socket Mode connections (a retry on the other one) is acted on once', async () => {
  const fake = new FakeSlack();
  fake.addUser({ id: 'U0MOD', name: 'mod' }).addChannel({ id: 'C0GENERAL', name: 'general', is_general: true }).addChannel({ id: 'C0MODSCHAN', name: 'mods' });
  await fake.start();
  cleanup.push(() => fake.close());
  const store = await openTestPostgres();
  cleanup.push(() => store.close());
  const clock = new ManualClock();
  const config = parseConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_APP_TOKEN: fake.appToken,
    SLACK_MODE: 'socket',
    SLACK_API_URL: fake.apiUrl,
    SLACK_MOD_CHANNEL_ID: 'C0MODSCHAN',
  });
  for (let i = 0; i < 2; i++) {
    const handle = await openPostgres(store.url, { max: 4 });
    const service = await startSlack({ config, repos: createPostgresRepositories(handle), log: silentLogger, clock });
    cleanup.push(() => handle.close());
    cleanup.push(() => service.stop());
  }
  await waitFor(() => fake.socketCount === 2, 'two Socket Mode connections');

  fake.addUser({ id: 'U0NEW', name: 'newbie' });
  const at = Math.floor(clock.now() / 1000);
  const join = fake.eventCallback({ type: 'team_join', user: { id: 'U0NEW', name: 'newbie', real_name: 'newbie', team_id: fake.team.id, is_bot: false, profile: { display_name: 'newbie' } } }, { eventId: 'Ev1', eventTime: at });
  const ts = `${at}.000100`;
  const urgent = fake.eventCallback({ type: 'message', channel: 'C0GENERAL', channel_type: 'channel', user: 'U0NEW', text: 'someone stole my account and I was charged twice, I need a human', ts }, { eventId: 'Ev2', eventTime: at });
  for (const body of [join, urgent]) await Promise.all([fake.sendEnvelope('events_api', body, 30_000, 0), fake.sendEnvelope('events_api', body, 30_000, 1)]);

  const posts = () => fake.callsTo('chat.postMessage');
  await waitFor(() => posts().some((m) => String(m.text).includes('Welcome')), 'the welcome');
  await waitFor(() => posts().some((m) => m.channel === 'C0MODSCHAN'), 'the moderator ping');
  // Let anything still in flight land before counting.
  await waitFor(async () => (await store.handle.pool.query('SELECT 1 FROM deliveries WHERE done_at IS NULL')).rowCount === 0, 'both deliveries handled');
  expect(posts().filter((m) => String(m.text).includes('Welcome') && String(m.text).includes('<@U0NEW>'))).toHaveLength(1);
  expect(posts().filter((m) => m.channel === 'C0MODSCHAN')).toHaveLength(1);
  expect((await store.repos.messages.get('slack:T0TEAM', slackMessageId('C0GENERAL', ts)))?.text).toContain('charged twice');
}, 30_000);

it.skipIf(!postgresEnabled())('a slash command delivered to both connections, and re-sent on one, is acted on and answered once', async () => {
  const fake = new FakeSlack();
  fake.addUser({ id: 'U0MOD', name: 'mod' }).addUser({ id: 'U0ANA', name: 'ana' }).addChannel({ id: 'C0GENERAL', name: 'general', is_general: true }).addChannel({ id: 'C0MODSCHAN', name: 'mods' });
  await fake.start();
  cleanup.push(() => fake.close());
  const store = await openTestPostgres();
  cleanup.push(() => store.close());
  const clock = new ManualClock();
  const config = parseConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_APP_TOKEN: fake.appToken, SLACK_MODE: 'socket', SLACK_API_URL: fake.apiUrl, SLACK_MOD_CHANNEL_ID: 'C0MODSCHAN' });
  for (let i = 0; i < 2; i++) {
    const handle = await openPostgres(store.url, { max: 4 });
    const service = await startSlack({ config, repos: createPostgresRepositories(handle), log: silentLogger, clock });
    cleanup.push(() => handle.close());
    cleanup.push(() => service.stop());
  }
  await waitFor(() => fake.socketCount === 2, 'two Socket Mode connections');

  // One invocation (one trigger_id, one response_url): Slack's retry of it, on either connection.
  const command = slashCommandPayload(fake, 'U0ANA', 'human', 'I was charged twice', 'C0GENERAL', 'trigger-once');
  await Promise.all([fake.sendEnvelope('slash_commands', command, 3000, 0), fake.sendEnvelope('slash_commands', command, 3000, 1), fake.sendEnvelope('slash_commands', command, 3000, 0)]);
  const responseId = command.response_url.split('/').pop()!;
  await waitFor(() => fake.responses.some((r) => r.id === responseId), 'the acknowledgement');
  await waitFor(() => fake.callsTo('chat.postMessage').some((m) => m.channel === 'C0MODSCHAN'), 'the moderator ping');
  // Every claim finished before counting.
  const handled = async (n: number) => (await store.handle.pool.query('SELECT 1 FROM deliveries WHERE done_at IS NULL')).rowCount === 0 && (await store.handle.pool.query('SELECT 1 FROM deliveries')).rowCount === n;
  await waitFor(() => handled(1), 'the command claimed once and handled');
  // A second, different invocation by the same member is a new request (asked again), not a repeat.
  const again = slashCommandPayload(fake, 'U0ANA', 'human', 'still charged twice', 'C0GENERAL', 'trigger-twice');
  await fake.sendEnvelope('slash_commands', again, 3000, 1);
  await waitFor(() => fake.responses.some((r) => r.id === again.response_url.split('/').pop()), 'the second acknowledgement');
  await waitFor(() => handled(2), 'the second command handled');

  expect(fake.responses.filter((r) => r.id === responseId)).toHaveLength(1);
  const escalations = await store.repos.escalations.list('slack:T0TEAM');
  expect(escalations.map((e) => [e.requesterId, e.requestCount])).toEqual([['U0ANA', 2]]);
}, 30_000);
