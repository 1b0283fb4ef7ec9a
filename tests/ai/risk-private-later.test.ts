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

describe('risk flags with AI: a channel made private before its minute is classified', () => {
  it('sends nothing to the model and falls back to the word list', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'This is ridiculous, nobody here is answering my question about the export');
    // Moderators lock the channel (it becomes private) before the minute's batch runs.
    await t.say('mod', 'Locking this channel for a bit', { channel: t.channel('general', { visibility: 'private', memberIds: ['mod', 'maya'] }) });
    expect(await t.repos.channels.isPublic(t.community, 'general')).toBe(false);
    await t.advance(t.minutes(1));
    expect(server.chatRequests()).toHaveLength(0);
    const [flag] = t.platform.of('notifyModerators');
    expect(flag.message.text).toMatch(/Possible frustration/);
    expect(flag.message.text).toMatch(/private channel \(not quoted here\)/);
  });
});
