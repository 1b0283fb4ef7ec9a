/**
 * Voice messages through the real discord.js client: a voice message (flag IS_VOICE_MESSAGE,
 * an audio/ogg attachment served by the fake CDN) is downloaded, uploaded to the local fake
 * OpenAI-compatible server as multipart, and its transcript posted labelled, linked, naming
 * the speaker; the Transcribe context menu answers only the asker.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiPort } from '../ai/helpers';
import { EVERYONE_VIEW_DENIED } from '../fakes/discord/server';
import { waitFor } from '../helpers/wait';
import { discordCommunity, GUILD, MOD_ROLE, type DiscordCommunity } from './setup';

const PRIVATE = '110000000000000009';
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

async function community(options: { transcribe?: boolean; withAi?: boolean } = {}) {
  const c = await discordCommunity({
    ...(options.withAi === false ? {} : { ai: aiPort(ai) }),
    guild: (g) =>
      g.channels.push({
        id: PRIVATE,
        type: 0,
        name: 'staff-room',
        permission_overwrites: [
          { id: GUILD, type: 0, allow: '0', deny: EVERYONE_VIEW_DENIED },
          { id: MOD_ROLE, type: 0, allow: EVERYONE_VIEW_DENIED, deny: '0' },
        ],
      } as never),
  });
  if (options.transcribe) await c.service.companion.core.settings.set(c.community, 'transcribeVoice', 'on', 0);
  return c;
}

describe('discord adapter: voice messages', () => {
  it('with transcribeVoice on, a voice message is transcribed and the labelled transcript posted in reply, naming the speaker and linking the original', async () => {
    d = await community({ transcribe: true });
    const voice = d.fake.memberSendsVoiceMessage(d.maya, d.general, 'the export button does nothing since the update @everyone', 7);
    const posted = await waitFor(() => d!.fake.messagesIn(d!.general).find((m) => m.content.includes('AI transcript')), 'the transcript');
    expect(posted.content).toContain(`<@${d.maya.id}>`);
    expect(posted.content).toContain(`https://discord.com/channels/${GUILD}/${d.general}/${voice.id}`);
    expect(posted.content).toContain('the export button does nothing since the update');
    expect((posted as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(voice.id);
    // The upload: multipart, the model, the file as Discord served it; the download carried no credentials.
    const [upload] = ai.transcriptionRequests();
    expect(upload.body).toMatchObject({ model: 'whisper-1', file: { name: 'voice-message.ogg', type: 'audio/ogg' } });
    expect(d.fake.fileDownloads).toHaveLength(1);
    expect(d.fake.fileDownloads[0].auth).toBeUndefined();
    // Stored as the member's words, marked transcribed; the speaker is not pinged, nobody is (checked again on stop).
    const stored = await d.repos.messages.get(d.community, voice.id);
    expect(stored).toMatchObject({ transcribed: true, authorId: d.maya.id });
    expect(stored?.text).toContain('the export button does nothing');
    const request = d.fake.requestsTo('POST', new RegExp(`/channels/${d.general}/messages$`)).find((r) => String(r.body?.content).includes('AI transcript'))!;
    expect(request.body.allowed_mentions).toMatchObject({ parse: [] });
    expect(request.body.allowed_mentions.users ?? []).toEqual([]);
    expect(request.body.content).not.toMatch(/(^|[^\u200b])@everyone/);
  });

  it('a billing voice message gets the human path like text: an escalation to the moderators', async () => {
    d = await community({ transcribe: true });
    d.fake.memberSendsVoiceMessage(d.maya, d.help, 'I was charged twice for my subscription this month and I want a refund', 9);
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods).find((m) => /charged twice/i.test(m.content)), 'the moderator ping');
    expect(ping.content).toContain(`<@&${MOD_ROLE}>`);
    expect(await d.repos.escalations.list(d.community)).toHaveLength(1);
  });

  it('does not send private-channel audio, over-long clips, or anything with the setting off', async () => {
    d = await community({ transcribe: true });
    const secret = d.fake.memberSendsVoiceMessage(d.mod, PRIVATE, 'staff only words', 3);
    const long = d.fake.memberSendsVoiceMessage(d.maya, d.general, 'a very long ramble', 20 * 60);
    await waitFor(() => d!.repos.messages.get(d!.community, secret.id), 'the private voice message stored');
    await waitFor(() => d!.repos.messages.get(d!.community, long.id), 'the long voice message stored');
    await d.service.companion.core.settings.set(d.community, 'transcribeVoice', 'off', 0);
    const later = d.fake.memberSendsVoiceMessage(d.maya, d.general, 'setting is off now', 3);
    await waitFor(() => d!.repos.messages.get(d!.community, later.id), 'the later voice message stored');
    expect(ai.transcriptionRequests()).toHaveLength(0);
    expect(d.fake.fileDownloads).toHaveLength(0);
    expect((await d.repos.messages.get(d.community, secret.id))?.transcribed).toBe(false);
  });

  it('the Transcribe context menu answers only the asker, keeps the transcript, and the next asker costs no second upload', async () => {
    d = await community();
    const voice = d.fake.memberSendsVoiceMessage(d.maya, d.general, 'can someone review my pull request today', 5);
    await waitFor(() => d!.repos.messages.get(d!.community, voice.id), 'the voice message stored');
    expect(ai.transcriptionRequests()).toHaveLength(0); // setting off: nothing sent on arrival
    const token = d.fake.messageCommand(d.owner, d.general, 'Transcribe', voice);
    const answer = await waitFor(
      () => d!.fake.interactionCalls(token).find((c) => String(c.body?.content ?? c.body?.data?.content ?? '').includes('AI transcript')),
      'the transcript for the asker',
    );
    const body = answer.body.data ?? answer.body;
    expect(body.content).toContain('can someone review my pull request today');
    expect(body.content).toContain(`<@${d.maya.id}>`);
    const ephemeral = d.fake.interactionCalls(token).some((c) => (c.body?.data?.flags ?? 0) & 64);
    expect(ephemeral).toBe(true);
    expect(d.fake.messagesIn(d.general).some((m) => m.content.includes('AI transcript'))).toBe(false);
    expect((await d.repos.messages.get(d.community, voice.id))?.transcribed).toBe(true);
    const again = d.fake.messageCommand(d.mod, d.general, 'Transcribe', voice);
    await waitFor(() => d!.fake.interactionCalls(again).find((c) => String(c.body?.content ?? c.body?.data?.content ?? '').includes('pull request')), 'the kept transcript');
    expect(ai.transcriptionRequests()).toHaveLength(1);
  });

  it('a billing voice message transcribed with the Transcribe action gets the human path too, once', async () => {
    d = await community(); // transcribeVoice off
    const voice = d.fake.memberSendsVoiceMessage(d.maya, d.help, 'I was charged twice for my subscription this month and I want a refund', 9);
    await waitFor(() => d!.repos.messages.get(d!.community, voice.id), 'the voice message stored');
    expect(await d.repos.escalations.list(d.community)).toHaveLength(0);
    const token = d.fake.messageCommand(d.owner, d.help, 'Transcribe', voice);
    await waitFor(() => d!.fake.interactionCalls(token).find((c) => String(c.body?.content ?? c.body?.data?.content ?? '').includes('AI transcript')), 'the transcript for the asker');
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods).find((m) => /charged twice/i.test(m.content)), 'the moderator ping');
    expect(ping.content).toContain(`<@&${MOD_ROLE}>`);
    const again = d.fake.messageCommand(d.mod, d.help, 'Transcribe', voice);
    await waitFor(() => d!.fake.interactionCalls(again).find((c) => String(c.body?.content ?? c.body?.data?.content ?? '').includes('charged twice')), 'the kept transcript');
    expect(await d.repos.escalations.list(d.community)).toMatchObject([{ requesterId: d.maya.id, requestCount: 1 }]);
    expect(d.fake.messagesIn(d.mods).filter((m) => /charged twice/i.test(m.content))).toHaveLength(1);
    expect(d.fake.messagesIn(d.help).some((m) => m.content.includes('AI transcript'))).toBe(false);
  });

  it('without an AI endpoint the action says honestly that transcription needs one', async () => {
    d = await community({ withAi: false });
    const voice = d.fake.memberSendsVoiceMessage(d.maya, d.general, 'hello there', 2);
    await waitFor(() => d!.repos.messages.get(d!.community, voice.id), 'the voice message stored');
    const token = d.fake.messageCommand(d.owner, d.general, 'Transcribe', voice);
    const answer = await waitFor(
      () => d!.fake.interactionCalls(token).find((c) => /needs an AI endpoint/.test(String(c.body?.content ?? c.body?.data?.content ?? ''))),
      'the honest answer',
    );
    expect(answer).toBeTruthy();
    expect(d.fake.fileDownloads).toHaveLength(0);
  });
});
