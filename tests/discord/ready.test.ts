import { afterEach, describe, expect, it } from 'vitest';
import { GatewayIntentBits } from 'discord.js';
import { parseConfig } from '../../src/config';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { silentLogger } from '../../src/log';
import { startDiscord } from '../../src/platforms/discord';
import { FakeDiscord } from '../fakes/discord/server';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe('discord adapter: connecting', () => {
  it('logs in with the token and the intents the features need, and sees the guild', async () => {
    d = await discordCommunity();
    expect(d.service.client.isReady()).toBe(true);
    expect(d.service.platform.selfId).toBe(d.fake.bot.id);
    expect(d.service.client.guilds.cache.get('100000000000000001')?.name).toBe('Hearth Friends');
    const identify = d.fake.identifies[0];
    expect(identify.token).toContain(d.fake.token);
    for (const intent of ['Guilds', 'GuildMembers', 'GuildMessages', 'MessageContent', 'GuildMessageReactions', 'DirectMessages'] as const) {
      expect(identify.intents & GatewayIntentBits[intent]).toBe(GatewayIntentBits[intent]);
    }
  });

  it('stores a member message with its channel, author and visibility', async () => {
    d = await discordCommunity();
    const sent = d.fake.memberPosts(d.maya, d.general, 'Has anyone got the CSV export working?');
    const stored = await waitFor(() => d!.repos.messages.get(d!.community, sent.id), 'the message to be stored');
    expect(stored).toMatchObject({ text: 'Has anyone got the CSV export working?', authorId: d.maya.id, channelId: d.general, isCompanion: false });
    expect(await d.repos.members.get(d.community, d.maya.id)).toMatchObject({ name: 'Maya' });
    expect(await d.repos.channels.get(d.community, d.general)).toMatchObject({ name: 'general', visibility: 'public', kind: 'text' });
  });
});

describe('discord adapter: failing to connect', () => {
  it('rejects a bad token with a clear error and leaves nothing running', async () => {
    const fake = await FakeDiscord.start();
    const database = openDatabase(':memory:');
    try {
      const config = parseConfig({ DISCORD_TOKEN: 'not-the-token', DISCORD_API_URL: fake.apiUrl });
      await expect(startDiscord({ config, repos: createRepositories(database), log: silentLogger }, { rest: { retries: 0, timeout: 2000 } })).rejects.toThrow(
        /token/i,
      );
      expect(fake.identifies).toEqual([]);
    } finally {
      await fake.close();
      database.close();
    }
  });

  it('runs due tasks left from before a restart as soon as it is connected', async () => {
    d = await discordCommunity({
      beforeStart: async (repos, clock) => {
        await repos.tasks.schedule('discord:100000000000000001', 'escalation.reping', 'escalation:7:reping', clock.now() - 1, { escalationId: 7 }, clock.now() - 60_000);
      },
    });
    await waitFor(async () => (await d!.repos.tasks.get(d!.community, 'escalation:7:reping'))?.status === 'done', 'the overdue task to run');
  });

  it('stops cleanly: the client is destroyed', async () => {
    d = await discordCommunity();
    const { client } = d.service;
    await d.stop();
    expect(client.isReady()).toBe(false);
  });
});
