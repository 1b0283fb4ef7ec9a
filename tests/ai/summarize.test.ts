import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasMassMention } from '../../src/core/text/mentions';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { harness, type Harness } from '../helpers/harness';
import { aiHarness, userPrompt } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

/** A small help conversation: a question, an answer with a docs link, a thank-you, and noise. */
async function conversation(t: Harness) {
  t.bots.add('ci-bot');
  await t.say('maya', 'How do I export my data to CSV? I looked everywhere in the app.');
  await t.say('ci-bot', 'Build #42 passed');
  await t.say('sam', 'Go to Settings > Data > Export and pick CSV. Docs: https://docs.example.org/export', { replyTo: 'm1' });
  await t.say('hearth-bot', 'Welcome to the community, everyone!');
  await t.say('maya', 'thanks, that worked!', { replyTo: 'm3' });
  await t.say('leo', 'same here');
}

const goodPoints = JSON.stringify({
  points: [
    { text: '@everyone Maya asked how to export data as CSV <@&123>, see https://evil.test/login', messages: [1] },
    { text: 'Sam pointed to Settings > Data > Export ([docs](https://docs.example.org/export)) and it worked.', messages: [2, 3] },
    { text: 'An uncited claim that cannot be checked.', messages: [] },
    { text: 'A claim citing a message that does not exist.', messages: [99] },
  ],
});

describe('/summarize with AI', () => {
  it('asks the model for JSON points over readable human messages only, and links every point', async () => {
    const t = aiHarness(server);
    await conversation(t);
    server.queueChat({ kind: 'chat', content: goodPoints });
    const before = t.platform.calls.length;
    const reply = await t.command('maya', 'summarize', {});

    const [request] = server.chatRequests();
    expect(request.body.model).toBe('test-chat');
    expect(request.body.response_format).toEqual({ type: 'json_object' });
    expect(request.body.messages[0].role).toBe('system');
    const prompt = userPrompt(request.body);
    expect(prompt).toContain('[1] maya: How do I export my data to CSV?');
    expect(prompt).toContain('[2] sam: Go to Settings');
    expect(prompt).not.toContain('Build #42'); // bots
    expect(prompt).not.toContain('Welcome to the community'); // the companion

    expect(reply.visibility).toBe('ephemeral');
    expect(reply.label).toBe('AI summary');
    const lines = reply.text.split('\n');
    expect(lines[0]).toMatch(/Summary of the last 4 messages in #general/);
    const points = lines.filter((l) => l.startsWith('• '));
    expect(points).toHaveLength(2);
    expect(points[0]).toMatch(/\[1\]\(https:\/\/chat\.test\/general\/m1\)$/);
    expect(points[1]).toMatch(/\[2\]\(https:\/\/chat\.test\/general\/m3\) \[3\]\(https:\/\/chat\.test\/general\/m5\)$/);
    expect(points[1]).toContain('[docs](https://docs.example.org/export)'); // a link from the conversation survives
    expect(reply.text).toContain('[Read from the start](https://chat.test/general/m1)');
    // Untrusted output: no pings, no invented links.
    expect(hasMassMention(reply.text)).toBe(false);
    expect(reply.text).not.toContain('<@&123>');
    expect(reply.text).not.toContain('evil.test');
    expect(reply.mentionUsers ?? []).toEqual([]);
    // Nothing was posted anywhere: the summary is only the invoker's (ephemeral) reply.
    expect(t.platform.calls.slice(before)).toEqual([]);
  });

  it('adds the resolution the model left out, in members\' own words', async () => {
    const t = aiHarness(server);
    await conversation(t);
    server.queueChat({ kind: 'chat', content: JSON.stringify({ points: [{ text: 'Maya asked about CSV export.', messages: [1] }] }) });
    const reply = await t.command('leo', 'summarize', {});
    expect(reply.label).toBe('AI summary');
    expect(reply.text).toMatch(/✅ Resolved by \*\*sam\*\*: “Go to Settings > Data > Export/);
  });

  it('as a message action summarises the whole discussion, with a link to the full thread', async () => {
    const t = aiHarness(server);
    await conversation(t);
    await t.say('zoe', 'unrelated chatter about lunch plans today');
    server.queueChat({ kind: 'chat', content: JSON.stringify({ points: [{ text: 'Export is under Settings.', messages: [2] }] }) });
    const target = { id: 'm3', channel: t.channel(), author: t.member('sam'), text: 'Go to Settings', at: t.clock.now() };
    const reply = await t.command('leo', 'Summarize discussion', {}, { target });
    const prompt = userPrompt(server.chatRequests()[0].body);
    expect(prompt).toContain('How do I export');
    expect(prompt).not.toContain('lunch plans');
    expect(reply.text).toMatch(/Summary of this discussion\*\* \(3 messages\)/);
    expect(reply.text).toContain('[Read the full thread](https://chat.test/general/m1)');
  });

  it('honours count (default 30, at most 200)', async () => {
    const t = aiHarness(server);
    for (let i = 1; i <= 5; i++) await t.say('maya', `message number ${i} about the release plan`);
    server.queueChat({ kind: 'chat', content: JSON.stringify({ points: [{ text: 'x', messages: [1] }] }) });
    const reply = await t.command('maya', 'summarize', { count: 2 });
    const prompt = userPrompt(server.chatRequests()[0].body);
    expect(prompt).toContain('number 4');
    expect(prompt).toContain('number 5');
    expect(prompt).not.toContain('number 3');
    expect(reply.text).toMatch(/last 2 messages/);
  });

  it('never puts messages from channels the requester cannot read in the prompt', async () => {
    const t = aiHarness(server);
    const staff = t.channel('staff', { visibility: 'private', memberIds: ['mod'] });
    await t.say('mod', 'the secret moderation plan', { channel: staff });
    const target = { id: 'm1', channel: staff, author: t.member('mod'), text: 'the secret moderation plan', at: t.clock.now() };
    const refused = await t.command('maya', 'Summarize discussion', {}, { target });
    expect(refused.text).toMatch(/only summarise conversations you can read/);
    const inChannel = await t.command('maya', 'summarize', {}, { channel: staff });
    expect(inChannel.text).toMatch(/only summarise conversations you can read/);
    expect(server.chatRequests()).toHaveLength(0);
  });
});

describe('/summarize without AI or when AI fails: extractive summary', () => {
  const expectExtractive = (text: string, label: string | undefined) => {
    expect(label).toBe('Extractive summary (no AI)');
    expect(text).toContain('“How do I export my data to CSV? I looked everywhere in the app.” [1](https://chat.test/general/m1)');
    expect(text).toContain('[2](https://chat.test/general/m3)');
    expect(text).not.toContain('same here');
    expect(text).not.toContain('Build #42');
    expect(text).toContain('[Read from the start](https://chat.test/general/m1)');
  };

  it('picks the question and the thanked answer, with links, when AI is off', async () => {
    const t = harness();
    await conversation(t);
    const reply = await t.command('maya', 'summarize', {});
    expectExtractive(reply.text, reply.label);
    expect(reply.text).toMatch(/AI is off/);
  });

  for (const [name, reply] of [
    ['a 500', { kind: 'status', status: 500 }],
    ['a malformed body', { kind: 'malformed' }],
    ['empty choices', { kind: 'empty' }],
    ['content that is not JSON', { kind: 'chat', content: 'Sure! Here is a summary: everything is fine.' }],
    ['JSON of the wrong shape', { kind: 'chat', content: '{"summary": "fine"}' }],
    ['points citing nothing', { kind: 'chat', content: '{"points":[{"text":"made up","messages":[42]}]}' }],
  ] as const) {
    it(`falls back on ${name}`, async () => {
      const t = aiHarness(server);
      await conversation(t);
      server.queueChat(reply);
      const answer = await t.command('maya', 'summarize', {});
      expect(server.chatRequests()).toHaveLength(1);
      expectExtractive(answer.text, answer.label);
      expect(answer.text).toMatch(/did not answer/);
    });
  }

  it('falls back on a timeout (the endpoint hangs)', async () => {
    const t = aiHarness(server, { timeoutMs: 200 });
    await conversation(t);
    server.queueChat({ kind: 'hang' });
    const answer = await t.command('maya', 'summarize', {});
    expectExtractive(answer.text, answer.label);
  });

  it('always shows the message that resolved the discussion, and who gave it', async () => {
    const t = harness();
    await t.say('maya', 'Our API times out under load since Monday, requests take 30 seconds and then fail with 504. Any idea why?');
    await t.say('sam', 'Are you doing the PDF rendering inside the request handler? That is slow with big reports.', { replyTo: 'm1' });
    await t.say('leo', 'same here, our dashboards time out too');
    await t.say('ann', 'We saw 504s when the load balancer idle timeout was 30 seconds, check https://docs.example.org/lb and raise it.', { replyTo: 'm1' });
    await t.say('maya', 'Raising the load balancer timeout did not help, it still fails after 60 seconds now', { replyTo: 'm4' });
    await t.say('bob', 'Is the database pool big enough? With 10 connections and slow queries everything queues up behind them.', { replyTo: 'm1' });
    await t.say('maya', 'The pool is 50 connections and the database is mostly idle, so probably not that', { replyTo: 'm6' });
    await t.say('zoe', 'Could be the renderer: it is single threaded and blocks the event loop for seconds at a time.', { replyTo: 'm1' });
    await t.say('maya', 'moving the work to a queue fixed it!');
    await t.say('sam', 'nice');
    const reply = await t.command('leo', 'summarize', {});
    expect(reply.text).toContain('✅ Resolved by **maya**: “moving the work to a queue fixed it!” [9](https://chat.test/general/m9)');

    // A thank-you credits the answer it thanks, and says who confirmed it.
    const u = harness();
    await conversation(u);
    const thanked = await u.command('leo', 'summarize', {});
    expect(thanked.text).toMatch(/✅ Resolved by \*\*sam\*\*: “Go to Settings > Data > Export and pick CSV\..*” \[2\]\(https:\/\/chat\.test\/general\/m3\) · confirmed by \*\*maya\*\* \[3\]\(https:\/\/chat\.test\/general\/m5\)/);
  });

  it('says so when there is nothing to summarise', async () => {
    const t = harness();
    expect((await t.command('maya', 'summarize', {})).text).toMatch(/nothing from members to summarise/);
  });
});
