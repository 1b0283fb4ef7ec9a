import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiHarness } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

const inputs = () => server.embeddingRequests().flatMap((r) => r.body.input as string[]);

describe('embeddings never see a question asked in a private channel', () => {
  it('an automatic related-discussion suggestion for a private help question keeps the lexical order, and sends nothing to embed', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test', settings: { helpChannels: ['help', 'vip-help'] } });
    const a = await t.say('sam', 'How do I reset my password when the reset email never arrives?', { channelId: 'help' });
    await t.say('lee', 'Check the spam folder, the reset email lands there', { channelId: 'help', replyTo: a });
    const b = await t.say('ana', 'Password reset email arrives late, how do I speed it up?', { channelId: 'help' });
    await t.say('lee', 'It can take ten minutes, the reset email queue is slow', { channelId: 'help', replyTo: b });
    t.clock.advance(2 * DAY);
    server.requests.length = 0;
    const secret = 'How do I reset my password? My reset email never arrives and my account number is 4417';
    await t.say('maya', secret, { channel: t.channel('vip-help', { visibility: 'private', memberIds: ['maya', 'lee'] }) });
    expect(inputs().some((text) => text.includes('4417'))).toBe(false);
  });

  it('the same question in a public help channel is still re-ranked with embeddings', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test', settings: { helpChannels: ['help'] } });
    const a = await t.say('sam', 'How do I reset my password when the reset email never arrives?', { channelId: 'help' });
    await t.say('lee', 'Check the spam folder, the reset email lands there', { channelId: 'help', replyTo: a });
    const b = await t.say('ana', 'Password reset email arrives late, how do I speed it up?', { channelId: 'help' });
    await t.say('lee', 'It can take ten minutes, the reset email queue is slow', { channelId: 'help', replyTo: b });
    t.clock.advance(2 * DAY);
    server.requests.length = 0;
    await t.say('maya', 'How do I reset my password? My reset email never arrives (order 4417)', { channelId: 'help' });
    expect(inputs().some((text) => text.includes('4417'))).toBe(true);
  });

  it('/suggest-reply on a private message, when the AI draft fails, looks up related discussions without embedding its text', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test', timeoutMs: 500 });
    const a = await t.say('sam', 'How do I reset my password when the reset email never arrives?', { channelId: 'help' });
    await t.say('lee', 'Check the spam folder, the reset email lands there', { channelId: 'help', replyTo: a });
    const b = await t.say('ana', 'Password reset email arrives late, how do I speed it up?', { channelId: 'help' });
    await t.say('lee', 'It can take ten minutes, the reset email queue is slow', { channelId: 'help', replyTo: b });
    t.clock.advance(2 * DAY);
    const asked = await t.say('maya', 'My reset email never arrives, how do I reset my password? account 4417', {
      channel: t.channel('staff-only', { visibility: 'private', memberIds: ['maya', 'mod'] }),
    });
    server.requests.length = 0;
    server.queueChat({ kind: 'status', status: 500 });
    const reply = await t.command('mod', 'suggest-reply', { message: asked });
    expect(reply.text).toMatch(/AI drafts are unavailable/);
    expect(inputs().some((text) => text.includes('4417'))).toBe(false);
  });
});
