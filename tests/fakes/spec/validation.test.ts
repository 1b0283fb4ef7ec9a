/**
 * The fakes' checks against the platforms' published API descriptions bite: a request, answer
 * or event the description rejects is refused like the platform would and recorded as a
 * failure naming the route and the schema path (hooks.ts then fails the test that caused it).
 */
import { REST } from '@discordjs/rest';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../discord/server';
import { FakeSlack } from '../slack/server';
import { checkDiscordDispatch } from './discord';
import { assertSpecClean, formatSummary, mergeLedgers, recordSpecFailure, takeSpecFailures } from './ledger';
import { checkSlackEvent } from './slack';
import { checkHubSpotRequest, checkHubSpotResponse } from './hubspot';

describe('the fake Discord checks against Discord’s OpenAPI description', () => {
  let fake: FakeDiscord;
  afterEach(async () => fake?.close());

  const rest = () => new REST({ api: fake.apiUrl, retries: 0, timeout: 5000 }).setToken(fake.token);

  it('refuses an over-long message with 400, naming the route and the schema path', async () => {
    fake = await FakeDiscord.start();
    const error = await rest().post('/channels/110000000000000001/messages', { body: { content: 'x'.repeat(4001) } }).catch((e: Error) => e);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    const [failure, ...others] = takeSpecFailures();
    expect(others).toEqual([]);
    expect(failure).toContain('discord POST /channels/{channel_id}/messages');
    expect(failure).toContain('body/content must NOT have more than 4000 characters (schema #/components/schemas/MessageCreateRequest/properties/content/maxLength)');
  });

  it('refuses an interaction response without its required type, checked against the matching branch', async () => {
    fake = await FakeDiscord.start();
    await expect(rest().post('/interactions/1/token/callback', { body: { data: { content: 'hi' } }, auth: false })).rejects.toMatchObject({ status: 400 });
    const [failure] = takeSpecFailures();
    expect(failure).toContain('discord POST /interactions/{interaction_id}/{interaction_token}/callback');
    expect(failure).toContain("must have required property 'type'");
  });

  it('refuses a route or path parameter Discord does not have', async () => {
    fake = await FakeDiscord.start();
    await expect(rest().post('/channels/110000000000000001/mesages', { body: { content: 'hi' } })).rejects.toMatchObject({ status: 404 });
    await expect(rest().get('/channels/general')).rejects.toMatchObject({ status: 400 });
    const [route, parameter] = takeSpecFailures();
    expect(route).toBe('discord POST /channels/110000000000000001/mesages: no such route in the description');
    expect(parameter).toContain('path parameter channel_id must match pattern');
  });

  it('catches the fake drifting: an answer or a dispatched message the description does not allow', async () => {
    fake = await FakeDiscord.start();
    fake.failNext('POST', /\/messages$/, 429, { message: 'You are being rate limited.', retry_after: 0.01, global: false });
    await rest().post('/channels/110000000000000001/messages', { body: { content: 'hi' } }).catch(() => undefined);
    const { author: _dropped, ...withoutAuthor } = fake.messagePayload('110000000000000001', { id: '130000000000000002', username: 'maya' }, 'hi');
    checkDiscordDispatch('MESSAGE_CREATE', withoutAuthor);
    const [answer, dispatch] = takeSpecFailures();
    expect(answer).toContain("response 429 must have required property 'code' (schema #/components/schemas/Error/required)");
    expect(dispatch).toContain('discord gateway MESSAGE_CREATE');
    expect(dispatch).toContain("MessageResponse must have required property 'author' (schema #/components/schemas/MessageResponse/required)");
  });
});

describe('the fake Slack checks against Slack’s Web API and Events API descriptions', () => {
  let fake: FakeSlack;
  afterEach(async () => fake?.close());

  const client = () => new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });

  it('refuses a call without a required argument with invalid_arguments, naming method and parameter', async () => {
    fake = new FakeSlack();
    await fake.start();
    await expect(client().apiCall('chat.postMessage', { text: 'where to?' })).rejects.toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
    const [failure] = takeSpecFailures();
    expect(failure).toBe('slack chat.postMessage: argument channel must have required property \'channel\' (schema #/paths/~1chat.postMessage/post/parameters/4/required)');
  });

  it('catches the fake drifting: an answer without the fields Slack documents', async () => {
    fake = new FakeSlack();
    fake.addChannel({ id: 'C0GENERAL', name: 'general' });
    await fake.start();
    fake.failNext('chat.postMessage', { status: 200, body: { ok: true, channel: 'C0GENERAL' } });
    await client().chat.postMessage({ channel: 'C0GENERAL', text: 'hi' });
    const [failure] = takeSpecFailures();
    expect(failure).toContain("slack chat.postMessage: the fake's answer does not match the description");
    expect(failure).toContain("must have required property 'ts'");
  });

  it('checks event envelopes: one without its workspace fails', () => {
    fake = new FakeSlack();
    const body = fake.eventCallback({ type: 'reaction_added', user: 'U0MAYA', reaction: 'heart', item: { type: 'message', channel: 'C0GENERAL', ts: '1767600001.000001' } }, { eventId: 'Ev1', eventTime: 1767600001 });
    expect(takeSpecFailures()).toEqual([]);
    expect(body).toMatchObject({ authed_users: ['U0BOT'], event: { event_ts: '1767600001.000000' } });
    const { team_id: _dropped, ...withoutTeam } = body;
    checkSlackEvent(withoutTeam);
    expect(takeSpecFailures()).toEqual([expect.stringContaining("slack event reaction.added: the fake's envelope does not match the description: envelope must have required property 'team_id'")]);
  });
});

describe('what the checks report', () => {
  it('fails the test with every failure recorded since the last check', () => {
    recordSpecFailure('discord POST /channels/{channel_id}/messages: body/content too long');
    expect(() => assertSpecClean()).toThrow(/rejects what the test exchanged:\n- discord POST \/channels\/\{channel_id\}\/messages: body\/content too long/);
    expect(() => assertSpecClean()).not.toThrow();
  });

  it('sums per-file counts into one summary per route, with what went unchecked', () => {
    const summary = formatSummary(mergeLedgers([
      { checked: { 'slack chat.postMessage': { request: 2, response: 2 } }, unchecked: { 'slack files.getUploadURLExternal (method not in the 2020 description)': 1 } },
      { checked: { 'slack chat.postMessage': { request: 1, response: 1 } }, unchecked: {} },
    ]));
    expect(summary).toContain('  slack chat.postMessage: 3 requests, 3 responses');
    expect(summary).toContain('Unchecked (not covered by the description):\n  slack files.getUploadURLExternal (method not in the 2020 description) (seen 1x)');
  });
});

describe('the fake HubSpot checks against HubSpot’s CRM v3 routes and shapes', () => {
  const upsert = '/crm/v3/objects/contacts/batch/upsert';

  it('refuses a property value that is not a string, a batch without inputs, and a route Hearth does not use', () => {
    checkHubSpotRequest({ method: 'POST', pathname: upsert, body: { inputs: [{ idProperty: 'email', id: 'a@example.org', properties: { hearth_helps_given: 3 } }] } });
    checkHubSpotRequest({ method: 'POST', pathname: upsert, body: { contacts: [] } });
    checkHubSpotRequest({ method: 'DELETE', pathname: '/crm/v3/objects/contacts/1', body: undefined });
    const failures = takeSpecFailures();
    expect(failures).toHaveLength(3);
    expect(failures[0]).toContain('hubspot POST /crm/v3/objects/contacts/batch/upsert: body');
    expect(failures[0]).toMatch(/must be string/);
    expect(failures[1]).toMatch(/must have required property 'inputs'/);
    expect(failures[2]).toContain('not a route');
  });

  it('refuses an answer without the documented fields', () => {
    const op = checkHubSpotRequest({ method: 'POST', pathname: upsert, body: { inputs: [] } })!;
    checkHubSpotResponse(op, 200, { results: [] });
    expect(takeSpecFailures()[0]).toMatch(/the fake's answer 200.*must have required property 'status'/);
  });
});
