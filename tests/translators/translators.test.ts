/**
 * Volunteer translators in the core (the shell and the adapters share it): `/translator on
 * <languages>`, the invitation at the end of a translation, **Ask a member** in fair rotation
 * (skipping the busy, the asker, the author, those who cannot read the channel, opted-out and
 * forgotten members), and `translated_for` when the volunteer answers in the thread.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/core/clock';
import { parseLanguages } from '../../src/core/features/translators';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { aiHarness } from '../ai/helpers';
import { harness, type Harness } from '../helpers/harness';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

async function volunteers(t: Harness, ...ids: string[]) {
  for (const id of ids) {
    await t.join(id);
    const reply = await t.command(id, 'translator', { state: 'on', languages: 'Portuguese, es' });
    expect(reply.text).toMatch(/volunteer translator for portuguese, spanish/);
  }
}

const translateAsk = (t: Harness, asker: string, messageId: string) => t.command(asker, 'translate', { message: messageId, language: 'English' });

describe('translators', () => {
  it('parses languages: codes become names, one spelling each, bad input refused', () => {
    expect(parseLanguages('Portuguese, pt-BR, ES')).toEqual({ languages: ['portuguese', 'spanish'] });
    expect(parseLanguages('de fr')).toEqual({ languages: ['german', 'french'] });
    expect(parseLanguages('')).toMatchObject({ error: expect.any(String) });
    expect(parseLanguages('<@&123>')).toMatchObject({ error: expect.any(String) });
  });

  it('a translation names the volunteers who speak the message’s language and offers Ask a member', async () => {
    const t = aiHarness(server);
    await volunteers(t, 'ana', 'luis');
    const id = await t.say('maria', 'Alguém sabe como mudar o idioma?');
    server.queueChat({ kind: 'chat', content: '[from: Portuguese]\nDoes anyone know how to change the language?' });
    const reply = await translateAsk(t, 'sam', id);
    expect(reply.label).toBe('AI translation');
    expect(reply.text).toContain('> Does anyone know how to change the language?');
    expect(reply.text).not.toContain('[from:');
    expect(reply.text).toContain('Machine translation. <@ana> and <@luis> speak Portuguese: ask them about nuance.');
    expect(reply.buttons).toEqual([{ action: 'translator:ask', value: `portuguese|${id}`, label: 'Ask a member', style: 'primary' }]);
    expect(reply.mentionUsers ?? []).toEqual([]); // named, not pinged
  });

  it('Ask a member pings one volunteer in the thread, rotating fairly, and skips the asker, opted-out and busy volunteers', async () => {
    const t = aiHarness(server);
    await volunteers(t, 'ana', 'luis', 'rui');
    await t.command('rui', 'privacy', { analytics: 'off' }); // opted out: never listed nor asked
    const id = await t.say('maria', 'Alguém sabe como mudar o idioma?');
    const press = async (asker: string) => {
      t.clock.advance(60_000);
      const before = t.platform.of('reply').length;
      const reply = await t.press(asker, 'translator:ask', `portuguese|${id}`, 'general');
      expect(reply?.visibility).toBe('ephemeral');
      const pings = t.platform.of('reply');
      if (pings.length === before) return reply?.text;
      const ping = pings.at(-1)!;
      expect(ping.to).toEqual({ channelId: 'general', messageId: id });
      expect(ping.message.mentionUsers).toHaveLength(1); // only the volunteer is pinged
      return ping.message.mentionUsers![0];
    };
    // Least recently asked first; never the asker (ana asking gets luis); rui opted out is never asked.
    expect([await press('sam'), await press('ana'), await press('kim'), await press('sam'), await press('kim'), await press('sam')]).toEqual([
      'ana', 'luis', 'ana', 'luis', 'ana', 'luis',
    ]);
    // Three asks in a day each: both are carrying a lot, so nobody is pinged until a day has passed.
    expect(await press('zoe')).toMatch(/busy or away/);
    t.clock.advance(25 * HOUR);
    expect(await press('zoe')).toBe('ana');
  });

  it('a volunteer’s answer in the thread records translated_for (volunteer -> asker), once; opted-out askers are not recorded', async () => {
    const t = harness();
    await volunteers(t, 'ana');
    const id = await t.say('maria', 'Isso é de boa?');
    await t.press('sam', 'translator:ask', `portuguese|${id}`, 'general');
    await t.say('ana', '"de boa" means relaxed, no problem', { threadId: id });
    await t.say('ana', 'and it is informal', { threadId: id });
    const signals = await t.repos.signals.list(t.community, { kind: 'translated_for' });
    expect(signals.map((s) => [s.actorId, s.subjectId])).toEqual([['ana', 'sam']]);
    // A different member's reply in that thread is not a translation.
    await t.say('bob', 'cool', { threadId: id });
    expect(await t.repos.signals.list(t.community, { kind: 'translated_for' })).toHaveLength(1);
    // Opted out: no signal about them.
    await t.command('kim', 'privacy', { analytics: 'off' });
    await t.press('kim', 'translator:ask', `portuguese|${id}`, 'general');
    await t.say('ana', 'see above', { replyTo: t.platform.of('reply').at(-1)!.id });
    expect((await t.repos.signals.list(t.community, { kind: 'translated_for' })).map((s) => s.subjectId)).toEqual(['sam']);
    // Shown in the pulse.
    expect((await t.command('mod', 'pulse')).text).toContain('help across languages 1 by 1 translator');
  });

  it('in a private channel only volunteers who can read it are named and asked', async () => {
    const t = harness();
    await volunteers(t, 'ana', 'luis');
    const staff = t.channel('staff', { visibility: 'private', memberIds: ['maria', 'sam', 'luis'] });
    const id = await t.say('maria', 'Reunião amanhã', { channel: staff });
    await t.repos.members.setLocale(t.community, 'maria', 'pt');
    const reply = await t.command('sam', 'translate', { message: id }, { channel: staff });
    expect(reply.text).toContain('<@luis> speaks Portuguese');
    expect(reply.text).not.toContain('<@ana>');
    await t.companion.button({ community: t.community, at: t.clock.now(), type: 'button_pressed', action: 'translator:ask', value: `portuguese|${id}`, member: t.member('sam'), channel: staff });
    expect(t.platform.of('reply').at(-1)!.message.mentionUsers).toEqual(['luis']);
    // Someone who cannot read the message cannot use its button.
    expect((await t.press('bob', 'translator:ask', `portuguese|${id}`, 'general'))?.text).toMatch(/could not find/);
  });

  it('without AI the invitation still names volunteers (from the author’s locale); off takes a volunteer out', async () => {
    const t = harness();
    await volunteers(t, 'ana');
    const id = await t.say('maria', 'Oi');
    await t.repos.members.setLocale(t.community, 'maria', 'pt-BR');
    const reply = await translateAsk(t, 'sam', id);
    expect(reply.text).toMatch(/Translation is unavailable: AI is off.*<@ana> speaks Portuguese/);
    await t.command('ana', 'translator', { state: 'off' });
    expect((await translateAsk(t, 'sam', id)).text).toMatch(/ask <@maria> or others/);
  });
});
