/**
 * Transcripts in the core: a voice message's words are the member's words, marked as
 * transcribed. They feed "same here", related search ("from a voice message") and signals
 * (analytics opt-outs apply); a forgotten member's audio is never sent; forget-me and
 * retention delete transcripts like text; the care policy says what is sent where.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import type { AudioClip, IncomingMessage } from '../../src/core/events';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiHarness } from '../ai/helpers';
import type { Harness } from '../helpers/harness';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

let clips = 0;
const voice = (spoken: string, extra: Partial<AudioClip> = {}): AudioClip[] => [
  { id: `a${++clips}`, name: 'voice-message.ogg', contentType: 'audio/ogg', size: spoken.length, durationSeconds: 5, url: `audio://${encodeURIComponent(spoken)}`, voiceMessage: true, ...extra },
];

async function transcribing(): Promise<Harness> {
  const t = aiHarness(server);
  await t.core.settings.set(t.community, 'transcribeVoice', 'on', 0);
  return t;
}

describe('voice transcripts in the core', () => {
  it('a spoken "same here" counts like a typed one, and the transcript is marked as transcribed', async () => {
    const t = await transcribing();
    const question = await t.say('maya', 'Is the dashboard blank for anyone else since this morning?', { channelId: 'help' });
    const id = await t.say('bob', '', { channelId: 'help', replyTo: question, audio: voice('same here, my dashboard is blank too') });
    expect(await t.repos.messages.get(t.community, id)).toMatchObject({ transcribed: true, text: 'same here, my dashboard is blank too' });
    expect(await t.repos.sameHere.count(t.community, question)).toBe(1);
    const transcript = t.platform.of('reply').find((r) => r.message.label === 'AI transcript')!;
    expect(transcript.to.messageId).toBe(id);
    expect(transcript.message.text).toContain('<@bob>');
    expect(transcript.message.mentionUsers ?? []).toEqual([]);
  });

  it('related search finds a transcribed message and says it is from a voice message', async () => {
    const t = await transcribing();
    await t.say('maya', '', { channelId: 'help', audio: voice('how do I export my calendar to a CSV file?') });
    t.clock.advance(3 * DAY);
    const reply = await t.command('sam', 'related', { question: 'export calendar csv' });
    expect(reply.text).toMatch(/from a voice message/);
  });

  it('a forgotten member’s audio is never sent, on arrival or on request; forget-me deletes transcripts', async () => {
    const t = await transcribing();
    const id = await t.say('maya', '', { audio: voice('my words') });
    expect((await t.repos.messages.get(t.community, id))?.text).toBe('my words');
    await t.core.features.signals.privacy.forget(t.community, 'maya');
    expect(await t.repos.messages.get(t.community, id)).toBeUndefined();
    const uploads = server.transcriptionRequests().length;
    t.clock.advance(60_000);
    const later = await t.say('maya', '', { audio: voice('said after forgetting') });
    expect((await t.repos.messages.get(t.community, later))?.transcribed).toBe(false);
    const target = { id: later, channel: t.channel(), author: t.member('maya'), text: '', at: t.clock.now(), audio: voice('said after forgetting') };
    expect((await t.command('sam', 'Transcribe', {}, { target })).text).toMatch(/asked to be forgotten/);
    expect(server.transcriptionRequests()).toHaveLength(uploads);
  });

  it('analytics opt-outs apply to transcripts as to text: no signals about the member', async () => {
    const t = await transcribing();
    await t.command('bob', 'privacy', { analytics: 'off' });
    const question = await t.say('maya', 'How do I rotate my API key?', { channelId: 'help' });
    await t.say('bob', '', { channelId: 'help', replyTo: question, audio: voice('go to settings, then security, then rotate the key and save it') });
    await t.say('sam', 'Settings then security, rotate the key there', { channelId: 'help', replyTo: question });
    const helped = await t.repos.signals.list(t.community, { kind: 'helped' });
    expect(helped.map((s) => s.actorId)).toEqual(['sam']);
  });

  describe('a transcript asked for with the Transcribe action is the member’s words too, once', () => {
    const billing = 'I was charged twice for my subscription this month and I want a refund';
    const targetOf = (t: Harness, id: string, author: string, audio: AudioClip[], extra: Partial<IncomingMessage> = {}) => ({
      id,
      channel: t.channel(),
      author: t.member(author),
      text: '',
      at: t.clock.now(),
      audio,
      ...extra,
    });

    it('a billing voice message transcribed on request gets the human path, and a second Transcribe escalates nothing again', async () => {
      const t = aiHarness(server); // transcribeVoice off: nothing is transcribed on arrival
      const audio = voice(billing);
      const id = await t.say('maya', '', { audio });
      expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
      const reply = await t.command('sam', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio) });
      expect(reply.text).toContain('charged twice');
      expect(reply.visibility).toBe('ephemeral');
      const [escalation] = await t.repos.escalations.list(t.community);
      expect(escalation).toMatchObject({ requesterId: 'maya', messageId: id, source: 'stakes', stakesClass: 'billing', requestCount: 1 });
      expect(t.platform.of('notifyModerators')).toHaveLength(1);
      // The member who spoke is told a person will follow up, under their message (not the asker).
      expect(t.platform.of('ephemeral').filter((e) => e.memberId === 'maya' && /request #/.test(e.message.text))).toHaveLength(1);
      // The transcript stays private to the asker: nothing posted in the channel.
      expect(t.platform.of('reply').filter((r) => r.message.label === 'AI transcript')).toHaveLength(0);
      await t.command('bob', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio) });
      expect(server.transcriptionRequests()).toHaveLength(1);
      expect(await t.repos.escalations.list(t.community)).toMatchObject([{ id: escalation.id, requestCount: 1 }]);
      expect(t.platform.of('notifyModerators')).toHaveLength(1);
    });

    it('two people asking at once: the words are counted and escalated once', async () => {
      const t = aiHarness(server);
      const audio = voice(billing);
      const id = await t.say('maya', '', { audio });
      await Promise.all([
        t.command('sam', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio) }),
        t.command('bob', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio) }),
      ]);
      expect(await t.repos.escalations.list(t.community)).toMatchObject([{ requestCount: 1 }]);
      expect(t.platform.of('notifyModerators')).toHaveLength(1);
      expect(await t.repos.messages.get(t.community, id)).toMatchObject({ transcribed: true, text: billing });
    });

    it('a spoken "same here" and a spoken answer count (same here, helped) once; analytics opt-outs apply', async () => {
      const t = aiHarness(server);
      const question = await t.say('maya', 'Is the dashboard blank for anyone else since this morning?', { channelId: 'help' });
      const same = voice('same here, my dashboard is blank too');
      const sameId = await t.say('bob', '', { channelId: 'help', replyTo: question, audio: same });
      expect(await t.repos.sameHere.count(t.community, question)).toBe(0);
      const sameTarget = targetOf(t, sameId, 'bob', same, { channel: t.channel('help'), replyTo: question });
      await t.command('sam', 'Transcribe', {}, { target: sameTarget, channel: t.channel('help') });
      expect(await t.repos.sameHere.count(t.community, question)).toBe(1);
      await t.command('lee', 'Transcribe', {}, { target: sameTarget, channel: t.channel('help') });
      expect(await t.repos.sameHere.count(t.community, question)).toBe(1);

      await t.command('kim', 'privacy', { analytics: 'off' });
      const ask = await t.say('maya', 'How do I rotate my API key?', { channelId: 'help' });
      const answers = {
        kim: voice('go to settings, then security, then rotate the key and save it'),
        joe: voice('open settings, security tab, press rotate and confirm the new key'),
      };
      for (const [who, audio] of Object.entries(answers)) {
        const answer = await t.say(who, '', { channelId: 'help', replyTo: ask, audio });
        await t.command('sam', 'Transcribe', {}, { target: targetOf(t, answer, who, audio, { channel: t.channel('help'), replyTo: ask }), channel: t.channel('help') });
      }
      const helped = (await t.repos.signals.list(t.community, { kind: 'helped' })).filter((s) => s.data?.questionId === ask);
      expect(helped.map((s) => s.actorId)).toEqual(['joe']);
    });

    it('private channels follow the rule for text: the escalation links the message and does not quote it', async () => {
      const t = aiHarness(server);
      const room = t.channel('billing-room', { visibility: 'private', memberIds: ['maya', 'sam'] });
      const audio = voice(`${billing}, card ending 4471`);
      const id = await t.say('maya', '', { channel: room, audio });
      // Someone who cannot read the room cannot have it transcribed, and nothing happens.
      expect((await t.command('bob', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio, { channel: room }), channel: room })).text).toMatch(/only transcribe messages you can read/);
      expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
      await t.command('sam', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio, { channel: room }), channel: room });
      expect(await t.repos.escalations.list(t.community)).toMatchObject([{ requesterId: 'maya', channelId: 'billing-room' }]);
      const [ping] = t.platform.of('notifyModerators');
      expect(ping.message.text).not.toContain('4471');
      expect(ping.message.text).toContain('Message: a message in a private channel');
    });

    it('a member forgotten after asking is not brought back by a late transcript', async () => {
      const t = aiHarness(server);
      const audio = voice(billing);
      const id = await t.say('maya', '', { audio });
      await t.core.features.signals.privacy.forget(t.community, 'maya');
      t.clock.advance(60_000);
      expect((await t.command('sam', 'Transcribe', {}, { target: targetOf(t, id, 'maya', audio) })).text).toMatch(/could not find|asked to be forgotten/);
      expect(await t.repos.messages.get(t.community, id)).toBeUndefined();
      expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
      expect(server.transcriptionRequests()).toHaveLength(0);
    });
  });

  it('limits: an over-long or over-large clip is not sent; the action explains why', async () => {
    const t = await transcribing();
    const long = await t.say('maya', '', { audio: voice('long', { durationSeconds: 600 }) });
    const big = await t.say('maya', '', { audio: voice('big', { size: 30 * 1024 * 1024 }) });
    expect(server.transcriptionRequests()).toHaveLength(0);
    const target = (id: string, audio: AudioClip[]) => ({ id, channel: t.channel(), author: t.member('maya'), text: '', at: t.clock.now(), audio });
    expect((await t.command('sam', 'Transcribe', {}, { target: target(long, voice('long', { durationSeconds: 600 })) })).text).toMatch(/longer than this community transcribes \(5 minutes\)/);
    expect((await t.command('sam', 'Transcribe', {}, { target: target(big, voice('big', { size: 30 * 1024 * 1024 })) })).text).toMatch(/larger than this community transcribes \(25 MB\)/);
  });

  it('the care policy says where transcription and translation happen, with the current settings', async () => {
    const t = await transcribing();
    const policy = (await t.command('maya', 'care-policy')).text;
    expect(policy).toMatch(/Transcription: \*\*on\*\*.*whisper-1.*never stored/);
    expect(policy).toMatch(/Translation: .*0 volunteers now/);
    await t.core.settings.set(t.community, 'transcribeVoice', 'off', 0);
    expect((await t.command('maya', 'care-policy')).text).toMatch(/Transcription: on request only/);
  });
});
