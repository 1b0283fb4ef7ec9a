import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiHarness, userPrompt } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

describe('risk flags with AI: the context lines', () => {
  it('never sends an earlier high-stakes message to the model as context', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'My card was charged twice for the same order');
    await t.advance(t.minutes(1));
    await t.say('sam', 'Has anyone tried the new dashboard yet');
    server.queueChat({ kind: 'chat', content: '{"flags":[]}' });
    await t.advance(t.minutes(1));
    const [request] = server.chatRequests();
    const prompt = userPrompt(request.body);
    expect(prompt).toContain('[1] sam: Has anyone tried');
    expect(prompt).not.toContain('charged twice');
  });

  it('never sends an earlier message escalated as high-stakes to the model as context', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'The export keeps giving me an empty file since this morning');
    await t.core.features.escalation.open({ community: t.community, requester: t.member('maya'), channelId: 'general', messageId: 'm1', source: 'stakes', stakes: 'high', stakesClass: 'data_loss' });
    server.queueChat({ kind: 'chat', content: '{"flags":[]}' });
    await t.advance(t.minutes(1));
    server.requests.length = 0;
    await t.say('sam', 'Has anyone tried the new dashboard yet');
    server.queueChat({ kind: 'chat', content: '{"flags":[]}' });
    await t.advance(t.minutes(1));
    const [request] = server.chatRequests();
    const prompt = userPrompt(request.body);
    expect(prompt).toContain('[1] sam: Has anyone tried');
    expect(prompt).not.toContain('empty file');
  });
});
