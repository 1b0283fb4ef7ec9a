/**
 * Volunteer translators through the real discord.js client: `/translator on <languages>`, a
 * translation from the Translate context menu naming the volunteer with an **Ask a member**
 * button, the button pinging exactly that volunteer in reply to the message (no other
 * mention allowed), and the volunteer's reply recording `translated_for`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiPort } from '../ai/helpers';
import { waitFor } from '../helpers/wait';
import { discordCommunity, GUILD, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
let ai: FakeOpenAiServer;
beforeEach(async () => {
  ai = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await d?.stop();
  d = undefined;
  await ai.close();
});

const contentOf = (c: { body?: any }) => String(c.body?.content ?? c.body?.data?.content ?? '');

describe('discord adapter: volunteer translators', () => {
  it('translator on, a translation that invites the volunteer, Ask a member pings only them, and their reply records translated_for', async () => {
    d = await discordCommunity({ ai: aiPort(ai) });
    const join = d.fake.slashCommand(d.mod, d.general, 'translator', [
      { name: 'state', type: 3, value: 'on' },
      { name: 'languages', type: 3, value: 'Portuguese, Spanish' },
    ]);
    await waitFor(() => d!.fake.interactionCalls(join).find((c) => /volunteer translator for portuguese, spanish/.test(contentOf(c))), 'the volunteer confirmation');

    const original = d.fake.memberPosts(d.maya, d.general, 'Alguém sabe como mudar o idioma do painel?');
    await waitFor(() => d!.repos.messages.get(d!.community, original.id), 'the message stored');
    ai.queueChat({ kind: 'chat', content: '[from: Portuguese]\nDoes anyone know how to change the dashboard language?' });
    const translate = d.fake.messageCommand(d.owner, d.general, 'Translate', original);
    const answer = await waitFor(() => d!.fake.interactionCalls(translate).find((c) => contentOf(c).includes('ask them about nuance')), 'the translation');
    const body = answer.body.data ?? answer.body;
    expect(body.content).toContain(`Machine translation. <@${d.mod.id}> speaks Portuguese: ask them about nuance.`);
    expect(body.allowed_mentions).toMatchObject({ parse: [] });
    const button = body.components[0].components[0];
    expect(button.label).toBe('Ask a member');

    // The button is on the asker's ephemeral message.
    const ephemeral = d.fake.messagePayload(d.general, { id: d.fake.applicationId, username: 'hearth', bot: true } as never, body.content, { flags: 64 });
    const press = d.fake.pressButton(d.owner, ephemeral, button.custom_id);
    const ping = await waitFor(() => d!.fake.messagesIn(d!.general).find((m) => m.content.includes('machine translation') && m.content.includes(`<@${d!.mod.id}>`)), 'the ping');
    expect((ping as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(original.id);
    const request = d.fake.requestsTo('POST', new RegExp(`/channels/${d.general}/messages$`)).find((r) => String(r.body?.content).includes('machine translation'))!;
    expect(request.body.allowed_mentions).toMatchObject({ parse: [], users: [d.mod.id] });
    expect(request.body.allowed_mentions.roles ?? []).toEqual([]);
    await waitFor(() => d!.fake.interactionCalls(press).find((c) => contentOf(c).includes(`I asked <@${d!.mod.id}>`)), 'the confirmation to the asker');

    d.fake.memberPosts(d.mod, d.general, '"painel" here means the dashboard; it is a polite question', {
      type: 19,
      message_reference: { message_id: ping.id, channel_id: d.general, guild_id: GUILD },
    });
    const signal = await waitFor(async () => (await d!.repos.signals.list(d!.community, { kind: 'translated_for' }))[0], 'translated_for');
    expect([signal.actorId, signal.subjectId]).toEqual([d.mod.id, d.owner.id]);
  });
});
