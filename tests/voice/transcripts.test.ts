/**
 * Transcripts in the core: a voice message's words are the member's words, marked as
 * transcribed. They feed "same here", related search ("from a voice message") and signals
 * (analytics opt-outs apply); a forgotten member's audio is never sent; forget-me and
 * retention delete transcripts like text; the care policy says what is sent where.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import type { AudioClip } from '../../src/core/events';
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
