import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lexicalRiskFlags, riskFlags } from '../../src/core/risk/lexicon';
import { hasMassMention } from '../../src/core/text/mentions';
import { FakeOpenAiServer } from '../fakes/openai-server';
import { harness } from '../helpers/harness';
import { aiHarness, userPrompt } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

const categories = (text: string) => lexicalRiskFlags(text).map((f) => f.category);

describe('the lexical risk lexicon', () => {
  it('recognises clear distress, conflict and frustration', () => {
    expect(categories('I just want to die, nothing matters')).toEqual(['distress']);
    expect(categories('Honestly I feel hopeless and I can’t cope with any of this')).toEqual(['distress']);
    expect(categories("Shut up, you're an idiot")).toEqual(['conflict']);
    expect(categories('This is ridiculous, third time I asked and nobody is answering')).toEqual(['frustration']);
    expect(categories('WHY IS THIS STILL BROKEN AFTER THREE WEEKS!!!')).toEqual(['frustration']);
  });

  it('ignores ordinary messages, jokes and single weak words', () => {
    expect(categories('How do I export my data to CSV?')).toEqual([]);
    expect(categories('lol I nearly killed myself laughing at that meme 😂')).toEqual([]);
    expect(categories('that was a stupid typo on my part')).toEqual([]);
    expect(categories('The export is broken since the update, any ideas?')).toEqual([]);
    expect(categories('')).toEqual([]);
  });

  it('returns the evidence sentence and the matched terms', () => {
    const [flag] = lexicalRiskFlags('Thanks for the update. I am so frustrated, this is unacceptable. Bye');
    expect(flag).toMatchObject({ category: 'frustration', strength: 'strong', evidence: 'I am so frustrated, this is unacceptable.' });
    expect(flag.terms).toEqual(expect.arrayContaining(['so frustrated', 'this is unacceptable']));
  });

  it('is the lexicon of the classify CLI too, read at a lower threshold', () => {
    // Strong phrases flag in both views; the CLI's `anger` is its own, the feature reads insults as conflict.
    expect(riskFlags("Shut up, you're an idiot")).toEqual(['frustration', 'anger', 'conflict']);
    // A hint ("sad", "hate") is enough for the CLI, never for a moderator ping.
    expect(riskFlags('so sad to hear that')).toEqual(['distress']);
    expect(categories('so sad to hear that')).toEqual([]);
    // A tone cue counts towards the two weak hits moderators need, but the CLI ignores it alone.
    expect(riskFlags('ugh')).toEqual([]);
    expect(categories('Ugh, frustrating')).toEqual(['frustration']);
    expect(riskFlags('lol I nearly killed myself laughing at that meme 😂')).toEqual([]);
  });

  it('never throws on hostile text', () => {
    for (const text of ['\u0000'.repeat(10), '💥'.repeat(10_000), 'a'.repeat(100_000), '(((((', '\u202eevil']) {
      expect(() => lexicalRiskFlags(text)).not.toThrow();
    }
  });
});

describe('risk flags without AI (lexical)', () => {
  it('flags moderators with the evidence and a link, without pinging any role', async () => {
    const t = harness();
    await t.say('maya', 'This is ridiculous @everyone, third time I asked and nobody is answering');
    const [flag] = t.platform.of('notifyModerators');
    expect(flag.audience).toEqual({ channelId: 'mods' });
    expect(flag.message.mentionUsers ?? []).toEqual([]);
    expect(flag.message.text).toMatch(/Possible frustration.*for your judgement; Hearth has taken no action/);
    expect(flag.message.text).toContain('<@maya> in #general: “This is ridiculous @\u200beveryone');
    expect(flag.message.text).toContain('[Open the message](https://chat.test/general/m1)');
    expect(flag.message.text).toMatch(/matched “this is ridiculous”/);
    expect(hasMassMention(flag.message.text)).toBe(false);
    // Never an automatic action: nothing else happened.
    expect(t.platform.calls.filter((c) => c.kind !== 'notifyModerators')).toEqual([]);
  });

  it('flags a member at most once per category per hour, durably (also after a restart)', async () => {
    const t = harness();
    await t.say('maya', 'This is ridiculous, nobody is answering');
    await t.advance(t.minutes(11));
    await t.say('maya', 'Seriously fed up with this');
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    const restarted = harness({ database: t.database, clock: t.clock });
    await restarted.say('maya', 'What a joke, still no answer', { id: 'm99' });
    expect(restarted.platform.of('notifyModerators')).toHaveLength(0);
    // Another category still gets through; so does the same one an hour later.
    await restarted.say('maya', 'Shut up, you are an idiot', { id: 'm100' });
    expect(restarted.platform.of('notifyModerators')).toHaveLength(1);
    await restarted.advance(t.minutes(61));
    await restarted.say('maya', 'This is ridiculous', { id: 'm101' });
    expect(restarted.platform.of('notifyModerators')).toHaveLength(2);
  });

  it('holds frustration and conflict flags to one per channel per 10 minutes; distress always goes through', async () => {
    const t = harness();
    await t.say('maya', 'This is ridiculous, nobody is answering');
    await t.say('sam', 'Shut up, you are an idiot');
    await t.say('leo', 'I want to die');
    const texts = t.platform.of('notifyModerators').map((c) => c.message.text);
    expect(texts).toHaveLength(2);
    // Distress is high stakes: the stakes map sends it to a person (an escalation with care), not a flag.
    expect(texts[1]).toMatch(/<@leo> needs a human/);
    expect(texts[1]).toMatch(/Possible personal distress: please reach out with care/);
  });

  it('ignores imported history, bots and the companion; can be turned off', async () => {
    const t = harness();
    t.bots.add('ci');
    await t.companion.handle(
      { type: 'message_posted', community: t.community, at: t.clock.now(), message: { id: 'h1', channel: t.channel(), author: t.member('maya'), text: 'This is ridiculous', at: t.clock.now() } },
      { historical: true },
    );
    await t.say('ci', 'This is ridiculous, build failed again');
    await t.say('hearth-bot', 'This is ridiculous');
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.command('mod', 'hearth-config', { setting: 'riskFlags', value: 'off' });
    await t.say('maya', 'This is ridiculous');
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
  });

  it('links to messages in private channels without quoting them', async () => {
    const t = harness();
    await t.say('maya', 'This is ridiculous, nobody is answering', { channel: t.channel('team', { visibility: 'private', memberIds: ['maya'] }) });
    const [flag] = t.platform.of('notifyModerators');
    expect(flag.message.text).toContain('in a private channel (not quoted here)');
    expect(flag.message.text).not.toContain('nobody is answering');
  });
});

describe('risk flags with AI', () => {
  it('classifies a channel-minute in one durable task with a JSON request, and flags with verified evidence', async () => {
    const t = aiHarness(server);
    await t.say('leo', 'Morning all, coffee is ready');
    await t.advance(t.minutes(1));
    await t.say('sam', 'We should ship the beta on Friday');
    await t.say('maya', 'Honestly everyone here keeps ignoring my points and I am done talking to you people');
    await t.say('zoe', 'lol'); // too short to be worth a model call
    server.requests.length = 0; // leo's minute was classified already
    expect(server.chatRequests()).toHaveLength(0); // nothing waits on the model in the event path
    server.queueChat({
      kind: 'chat',
      content: JSON.stringify({
        flags: [
          { message: 2, category: 'conflict', evidence: 'I am done talking to you people', confidence: 0.8 },
          { message: 1, category: 'distress', evidence: 'invented words', confidence: 0.3 },
          { message: 7, category: 'conflict', evidence: 'no such message', confidence: 0.9 },
        ],
      }),
    });
    await t.advance(t.minutes(1));
    const requests = server.chatRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toMatchObject({ model: 'test-chat', response_format: { type: 'json_object' }, temperature: 0 });
    const prompt = userPrompt(requests[0].body);
    expect(prompt).toContain('[context] leo: Morning all, coffee is ready');
    expect(prompt).toContain('[1] sam: We should ship the beta on Friday');
    expect(prompt).toContain('[2] maya: Honestly everyone');
    expect(prompt).not.toContain('lol');
    const flags = t.platform.of('notifyModerators');
    expect(flags).toHaveLength(1);
    expect(flags[0].audience).toEqual({ channelId: 'mods' });
    expect(flags[0].message.text).toMatch(/^\*\*Possible conflict\*\*/);
    expect(flags[0].message.text).toContain('<@maya> in #general: “I am done talking to you people”');
    expect(flags[0].message.text).toMatch(/AI classification \(test-chat\)/);
    // Runs once: the task is done.
    await t.advance(t.minutes(5));
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('falls back to the lexical flags when the model fails', async () => {
    const t = aiHarness(server, { timeoutMs: 200 });
    await t.say('maya', 'This is ridiculous, nobody is answering');
    server.queueChat({ kind: 'hang' });
    await t.advance(t.minutes(1));
    const [flag] = t.platform.of('notifyModerators');
    expect(flag.message.text).toMatch(/Possible frustration/);
    expect(flag.message.text).toMatch(/matched “this is ridiculous”/);
  });

  it('never sends a high-stakes message to the model (lexical flag only)', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'I want to end it all');
    await t.advance(t.minutes(1));
    expect(server.chatRequests()).toHaveLength(0);
    // The stakes map took it: a human path with care, never the model.
    expect(t.platform.of('notifyModerators')[0].message.text).toMatch(/Possible personal distress/);
    // A message the stakes classifier marked high-stakes (notes.stakes): no model either.
    const at = t.clock.now();
    const row = (await t.repos.messages.insert(t.community, { id: 'm10', channelId: 'general', authorId: 'sam', text: 'I was charged twice, this is ridiculous', discussionId: 'm10', createdAt: at }))!;
    const event = { type: 'message_posted' as const, community: t.community, at, message: { id: 'm10', channel: t.channel(), author: t.member('sam'), text: row.text!, at } };
    await t.core.features.risk.onEvent(event, { message: row, stakes: { level: 'high', categories: ['billing'] } });
    await t.advance(t.minutes(1));
    expect(server.chatRequests()).toHaveLength(0);
    // ...and no second notice either: its escalation already brings a person.
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('leaves a message escalated as high-stakes out of its channel-minute batch', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'My card was charged twice for the same order');
    await t.core.features.escalation.open({ community: t.community, requester: t.member('maya'), channelId: 'general', messageId: 'm1', source: 'stakes', stakes: 'high', stakesClass: 'billing' });
    await t.say('sam', 'Has anyone tried the new dashboard yet');
    server.queueChat({ kind: 'chat', content: '{"flags":[]}' });
    await t.advance(t.minutes(1));
    const prompt = userPrompt(server.chatRequests()[0].body);
    expect(prompt).toContain('[1] sam: Has anyone tried');
    expect(prompt).not.toContain('charged twice');
  });

  it('a message delivered after its minute was classified gets the word list instead', async () => {
    const t = aiHarness(server);
    const minuteStart = t.clock.now();
    await t.say('sam', 'Has anyone tried the new dashboard yet');
    server.queueChat({ kind: 'chat', content: '{"flags":[]}' });
    await t.advance(t.minutes(1));
    await t.say('maya', 'This is ridiculous, nobody is answering', { at: minuteStart + 30_000 });
    await t.advance(t.minutes(1));
    expect(server.chatRequests()).toHaveLength(1);
    expect(t.platform.of('notifyModerators')[0].message.text).toMatch(/matched “this is ridiculous”/);
  });

  it('skips the model for private channels', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'This is ridiculous, nobody is answering', { channel: t.channel('team', { visibility: 'private', memberIds: ['maya'] }) });
    await t.advance(t.minutes(1));
    expect(server.chatRequests()).toHaveLength(0);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });
});
