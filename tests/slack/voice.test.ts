/**
 * Audio and video clips through the real Bolt adapter (Socket Mode) and the fake Slack: the
 * file share's private download URL is fetched with the bot token, uploaded to the local fake
 * OpenAI-compatible server, and the transcript posted in the thread; the Transcribe shortcut
 * answers only the asker; private-channel audio is never sent automatically.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiPort } from '../ai/helpers';
import { IDS, slackHarness, type SlackHarness } from './harness';

let t: SlackHarness | undefined;
let ai: FakeOpenAiServer;
beforeEach(async () => {
  ai = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
  await ai.close();
});

const clip = (h: SlackHarness, spoken: string, extra: Record<string, unknown> = {}) =>
  h.fake.addFile('audio_message.m4a', 'audio/mp4', Buffer.from(spoken), { subtype: 'slack_audio', duration_ms: 6000, ...extra });

describe('slack adapter: audio and video clips', () => {
  it('with transcribeVoice on, a clip is downloaded with the bot token, transcribed and posted in its thread, labelled and linked', async () => {
    t = await slackHarness('socket', { ai: aiPort(ai) });
    await t.service.companion.core.settings.set(t.community, 'transcribeVoice', 'on', 0);
    const file = clip(t, 'is anyone else seeing the login loop <!channel>');
    const ts = await t.say(IDS.maya, '', { subtype: 'file_share', files: [file] });
    const posted = await t.eventually(() => {
      const found = t!.fake.callsTo('chat.postMessage').find((m) => String(m.text).includes('AI transcript'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(posted.thread_ts).toBe(ts);
    // The speaker is named (inert: nobody is pinged by a transcript), nor is the channel.
    expect(JSON.stringify(posted.blocks)).toContain("Voice message from @maya");
    expect(String(posted.text)).toContain('is anyone else seeing the login loop');
    expect(JSON.stringify(posted)).not.toContain('<!channel>');
    expect(t.fake.callsTo('chat.getPermalink').some((c) => c.message_ts === ts)).toBe(true);
    expect(t.fake.fileDownloads).toEqual([{ path: expect.stringContaining('/download/audio_message.m4a'), auth: `Bearer ${t.fake.botToken}` }]);
    expect(ai.transcriptionRequests()[0].body).toMatchObject({ model: 'whisper-1', file: { name: 'audio_message.m4a', type: 'audio/mp4' } });
    const stored = await t.repos.messages.get(t.community, t.id(IDS.general, ts));
    expect(stored?.transcribed).toBe(true);
    expect(stored?.text).toContain('is anyone else seeing the login loop');
  });

  it('a clip in a private channel is not sent automatically; a member of it may ask with the Transcribe shortcut, and sees it alone', async () => {
    t = await slackHarness('socket', { ai: aiPort(ai) });
    await t.service.companion.core.settings.set(t.community, 'transcribeVoice', 'on', 0);
    const file = clip(t, 'the staff rota changes next week', { subtype: 'slack_video', mimetype: 'video/mp4', name: 'clip.mp4' });
    const ts = await t.say(IDS.mod, '', { channel: IDS.staff, subtype: 'file_share', files: [file] });
    await t.eventually(async () => expect(await t!.repos.messages.get(t!.community, t!.id(IDS.staff, ts))).toBeDefined());
    expect(ai.transcriptionRequests()).toHaveLength(0);
    await t.shortcut(IDS.maya, 'transcribe', { channel: IDS.staff, ts, user: IDS.mod, text: '', files: [file] });
    const answer = await t.eventually(() => {
      const found = t!.fake.responses.find((r) => String(r.body.text).includes('AI transcript'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(String(answer.body.text)).toContain('the staff rota changes next week');
    expect(answer.body.response_type ?? 'ephemeral').toBe('ephemeral');
    expect(t.fake.callsTo('chat.postMessage').some((m) => String(m.text).includes('AI transcript'))).toBe(false);
  });

  it('without an AI endpoint the Transcribe shortcut says honestly that it needs one', async () => {
    t = await slackHarness('socket');
    const file = clip(t, 'hello');
    const ts = await t.say(IDS.maya, '', { subtype: 'file_share', files: [file] });
    await t.shortcut(IDS.owner, 'transcribe', { channel: IDS.general, ts, user: IDS.maya, text: '', files: [file] });
    await t.eventually(() => expect(t!.fake.responses.some((r) => /needs an AI endpoint/.test(String(r.body.text)))).toBe(true));
    expect(t.fake.fileDownloads).toHaveLength(0);
  });
});
