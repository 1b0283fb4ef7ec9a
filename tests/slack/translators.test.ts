/**
 * Volunteer translators through the real Bolt adapter and the fake Slack: `/translator on
 * <languages>` as text, the Translate shortcut's invitation with **Ask a member**, the ping in
 * the message's thread mentioning only the volunteer, and `translated_for` when they answer there.
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

describe('slack adapter: volunteer translators', () => {
  it('translator on, the invitation, Ask a member in the thread, and translated_for', async () => {
    t = await slackHarness('socket', { ai: aiPort(ai) });
    await t.command(IDS.mod, 'translator', 'on Portuguese, Spanish');
    await t.eventually(() => expect(t!.fake.responses.some((r) => /volunteer translator for portuguese, spanish/.test(String(r.body.text)))).toBe(true));

    const text = 'Alguém sabe como mudar o idioma do painel?';
    const ts = await t.say(IDS.maya, text);
    await t.eventually(async () => expect(await t!.repos.messages.get(t!.community, t!.id(IDS.general, ts))).toBeDefined());
    ai.queueChat({ kind: 'chat', content: '[from: Portuguese]\nDoes anyone know how to change the dashboard language?' });
    await t.shortcut(IDS.owner, 'translate', { channel: IDS.general, ts, user: IDS.maya, text });
    const answer = await t.eventually(() => {
      const found = t!.fake.responses.find((r) => String(r.body.text).includes('ask them about nuance'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(JSON.stringify(answer.body.blocks)).toContain('Machine translation. @mod speaks Portuguese');
    const [button] = t.buttonsOf(answer.body as { blocks?: unknown[] });
    expect(button.text.text).toBe('Ask a member');

    await t.press(IDS.owner, button, { channel: IDS.general, ts: t.ts() });
    const ping = await t.eventually(() => {
      const found = t!.fake.callsTo('chat.postMessage').find((m) => String(m.text).includes('machine translation'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(ping.thread_ts).toBe(ts);
    expect(JSON.stringify(ping)).toContain(`<@${IDS.mod}>`); // the volunteer, pinged
    expect(JSON.stringify(ping)).not.toContain(`<@${IDS.owner}>`); // the asker is named, not pinged
    expect(JSON.stringify(ping)).not.toMatch(/<!(channel|here|everyone)|subteam/);

    await t.say(IDS.mod, '"painel" is the dashboard here; it is a polite question', { thread_ts: ts });
    await t.eventually(async () => {
      const signals = await t!.repos.signals.list(t!.community, { kind: 'translated_for' });
      expect(signals.map((s) => [s.actorId, s.subjectId])).toEqual([[IDS.mod, IDS.owner]]);
    });
  });
});
