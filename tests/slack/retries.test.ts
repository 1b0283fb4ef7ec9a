/**
 * Slack redelivers an event it thinks was not received (x-slack-retry-num 1..3, the same
 * body and event_id). A redelivery must not act twice: no second welcome, no second
 * moderator ping for the same high-stakes message.
 */
import { afterEach, expect, it } from 'vitest';
import { IDS, SIGNING_SECRET, slackHarness, type SlackHarness } from './harness';
import { slackSignature } from '../fakes/slack/signing';

let t: SlackHarness;
afterEach(async () => {
  await t?.close();
});

async function deliverWithRetries(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  for (const retry of [undefined, '1', '2']) {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(t.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, raw),
        ...(retry ? { 'x-slack-retry-num': retry, 'x-slack-retry-reason': 'http_timeout' } : {}),
      },
      body: raw,
    });
    expect(response.status).toBe(200);
  }
}

it('a redelivered team_join and message are each acted on once', async () => {
  t = await slackHarness('http');
  const envelope = (event: Record<string, unknown>, id: string) => t.fake.eventCallback(event, { eventId: id, eventTime: Math.floor(t.clock.now() / 1000) });
  t.fake.addUser({ id: 'U0NEW', name: 'newbie' });
  await deliverWithRetries(envelope({ type: 'team_join', user: { id: 'U0NEW', name: 'newbie', real_name: 'newbie', team_id: t.fake.team.id, is_bot: false, profile: { display_name: 'newbie' } } }, 'Ev1'));
  const ts = t.ts();
  await deliverWithRetries(envelope({ type: 'message', channel: IDS.help, channel_type: 'channel', user: IDS.maya, text: 'someone stole my account and I was charged twice, I need a human', ts }, 'Ev2'));
  // A later message, handled after everything above (events run in order).
  const later = await t.say(IDS.maya, 'thanks', { channel: IDS.general });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.general, later))).toBeDefined());
  expect(t.fake.callsTo('chat.postMessage').filter((m) => String(m.text).includes('Welcome'))).toHaveLength(1);
  expect(t.fake.callsTo('chat.postMessage').filter((m) => m.channel === IDS.mods)).toHaveLength(1);
  expect(await t.repos.escalations.list(t.community, {})).toHaveLength(1);
});
