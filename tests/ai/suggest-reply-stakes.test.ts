import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiHarness } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

describe('/suggest-reply in a high-stakes conversation', () => {
  it('drafts nothing for a follow-up in a thread opened by a high-stakes message (and asks the model nothing)', async () => {
    const t = aiHarness(server);
    const root = await t.say('maya', 'My card was charged twice for the same order and I need the money back');
    const followUp = await t.say('maya', 'hello?? still waiting for someone to answer', { threadId: root });
    const reply = await t.command('mod', 'suggest-reply', { message: followUp });
    expect(reply.label).toBeUndefined();
    expect(reply.text).toMatch(/high-stakes/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('drafts nothing for a reply to a message escalated as high-stakes', async () => {
    const t = aiHarness(server, { settings: { humanFirstClasses: [] } });
    const root = await t.say('maya', 'The export gives me an empty file since this morning');
    await t.core.features.escalation.open({ community: t.community, requester: t.member('maya'), channelId: 'general', messageId: root, source: 'stakes', stakes: 'high', stakesClass: 'data_loss' });
    const followUp = await t.say('maya', 'any news on this one?', { replyTo: root });
    const reply = await t.command('mod', 'suggest-reply', { message: followUp });
    expect(reply.text).toMatch(/high-stakes/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('still drafts for an ordinary follow-up in an ordinary thread', async () => {
    const t = aiHarness(server);
    const root = await t.say('maya', 'Is there a dark mode in the mobile app?');
    const followUp = await t.say('maya', 'hello?? anyone know?', { threadId: root });
    server.queueChat({ kind: 'chat', content: 'Not yet, but it is on the roadmap.' });
    const reply = await t.command('mod', 'suggest-reply', { message: followUp });
    expect(reply.label).toBe('AI draft — edit and send it yourself');
  });
});
