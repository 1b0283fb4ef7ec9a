import { describe, expect, it } from 'vitest';
import { EscalationFeature } from '../../src/core/features/escalation';
import { featureList } from '../../src/core/features';
import { classifyStakes, riskFlags } from '../../src/core/stakes';
import { harness } from '../helpers/harness';

const HIGH: Array<[string, string]> = [
  ['the site is down for everyone, 502 bad gateway', 'outage'],
  ['Is the server down? nothing is loading', 'outage'],
  ['I was charged twice for the same order', 'billing'],
  ["there's a payment on my card I don't recognise", 'billing'],
  ['they refused to refund me even though it never arrived', 'billing'],
  ['I still haven’t received my refund after 3 weeks', 'billing'],
  ['my card was stolen last night', 'fraud_security'],
  ['I think my account got hacked, someone changed my email', 'fraud_security'],
  ['got a phishing DM pretending to be the admins', 'fraud_security'],
  ['the update deleted all my save files', 'data_loss'],
  ['I lost all my data after the migration', 'data_loss'],
  ['someone keeps DMing me after I asked them to stop, this is harassment', 'harassment_safety'],
  ['he posted my address and threatened me', 'harassment_safety'],
  ["I don't want to live anymore", 'distress'],
  ['honestly thinking about ending it all', 'distress'],
  ['my lawyer will be in touch, this is a GDPR violation', 'legal'],
  ["if you don't fix this I'm going to sue you", 'legal'],
  ['the ATM only gave me £20 of the £100', 'billing'],
  ['Me cobraron dos veces', 'billing'],
  ['mi cuenta fue hackeada', 'fraud_security'],
];

const LOW = [
  'how do I change my avatar?',
  'what is the refund policy for annual plans?',
  'my card arrived today, how do I activate it?',
  'the new dark theme looks great',
  'anyone up for a game tonight?',
  'I love this community',
  'How do I top up by bank transfer?',
  // everyday community words that look like high stakes out of context
  'Sue said hi to everyone at the meetup',
  'which voltage regulator should I use?',
  'here is a quick hack for my setup',
  'I cloned my repo and ran the tests',
  'the app keeps crashing on startup, any idea?',
  'I only got 2 hours of sleep lol',
  'this game is dead after the update',
  'a documentary about art theft in the 70s',
];

/**
 * Chat with no money in it (modelled on a help channel's short replies and boot logs). However
 * low the money model's threshold, it cannot make these money lost, disputed or fraud.
 */
const NO_MONEY = [
  'i didnt find it',
  'i asked already',
  "i didn't save it anywhere",
  'only warning is that some codec is missing',
  'the boot log says the disk was not recognised',
];

/**
 * Lines written for this test, modelled on what a replay of a busy technical help channel
 * escalated (bench/replay.ts): the words of a stakes class, but nobody reporting being hit by
 * it now. The class wording alone is not a report.
 */
const IN_PASSING: Array<[string, string]> = [
  // outage: the author is not reporting a service down for them
  ['just shut your system down before you unplug the drive', 'a verb taking a machine down'],
  ['ok got the servers down, starting the migration now', 'the author took them down'],
  ['want me to ask your isp if there is an outage in your area?', 'a conditional, about someone else'],
  ["they don't know about any outage", 'no outage'],
  ['postfix bounced it: the relay said 504 5.5.2 need a hostname', 'a mail status code, not a website'],
  // data loss: someone else's data, or a how-to question
  ['how hard is it to recover files deleted from an ntfs partition?', 'a how-to question'],
  ['sam, your data is gone, restore from the backup', "another member's data"],
  // fraud and security: people using software; a hardware message
  ['lots of people have been using it for months without trouble', 'people using software'],
  ['maybe somebody else in the house using the wifi for downloads', 'bandwidth, not an account'],
  ['lsusb no longer says unknown device, the driver loaded', 'hardware'],
  // distress: crisis words about a thing, a band, a joke
  ['lol this release has suicidal tendencies', 'a joke about software'],
  ['listening to Suicidal Tendencies while the build runs', 'a band'],
  ['the new kernel is suicidal, it keeps killing itself haha', 'a joke about software'],
  // legal: a discussion of the law, not a dispute of the member's
  ['the DMCA is why dvd decryption is a legal grey area', 'a discussion of the law'],
  ["there's a long dmca thread on the mailing list about the codecs", 'a discussion'],
  ["I don't think gdpr applies to an irc channel", 'an opinion'],
  // quoted and laughed at: someone else's words
  ["sam: hahaha 'my website is down' with no url, classic", 'mocking a quoted request'],
];

/** The same classes when the member is hit by them: still high. */
const AFFECTED: Array<[string, string]> = [
  ['the site is down for me, 503 errors since noon', 'outage'],
  ['servers down? nothing loads', 'outage'],
  ['is there an outage? the dashboard is blank for our whole team', 'outage'],
  ['getting 502 bad gateway on every page', 'outage'],
  ['all my files are gone after the sync', 'data_loss'],
  ['someone has been using my account to post spam', 'fraud_security'],
  ['an unknown device logged into my account last night', 'fraud_security'],
  ["I've been feeling suicidal lately", 'distress'],
  ['my friend says she is suicidal and I do not know what to do', 'distress'],
  ['I have suicidal tendencies and tonight is bad', 'distress'],
  ['I got a DMCA takedown notice for my fork', 'legal'],
  ['I received a cease and desist from your company', 'legal'],
  ['I get "503 service unavailable" on the login page', 'outage'],
];

describe('the stakes map', () => {
  it.each(IN_PASSING)('said in passing, low stakes: %s (%s)', (text) => {
    expect(classifyStakes(text, undefined, { money: 0.99 })).toEqual({ level: 'low', categories: [] });
  });

  it.each(AFFECTED)('the member is hit by it, high stakes: %s -> %s', (text, expected) => {
    expect(classifyStakes(text).categories).toContain(expected);
  });

  it.each(NO_MONEY)('no money, no money stakes: %s', (text) => {
    expect(classifyStakes(text, undefined, { money: 0.01 }).level).toBe('low');
  });


  it.each(HIGH)('high stakes: %s -> %s', (text, expected) => {
    const result = classifyStakes(text);
    expect(result.level).toBe('high');
    expect(result.categories).toContain(expected);
  });

  it.each(LOW)('low stakes: %s', (text) => {
    expect(classifyStakes(text)).toEqual({ level: 'low', categories: [] });
  });

  it('is deterministic, puts distress first, and survives hostile input', () => {
    const text = 'my account was hacked and honestly I want to die';
    expect(classifyStakes(text)).toEqual(classifyStakes(text));
    expect(classifyStakes(text).categories[0]).toBe('distress');
    expect(classifyStakes('\u202e'.repeat(100_000) + '(((((*+?')).toEqual({ level: 'low', categories: [] });
    expect(classifyStakes('')).toEqual({ level: 'low', categories: [] });
  });

  it('only counts the enabled classes', () => {
    expect(classifyStakes('the site is down', ['billing']).level).toBe('low');
  });

  it('raises risk flags for human judgement', () => {
    expect(riskFlags('this is so frustrating, still broken for the third time')).toContain('frustration');
    expect(riskFlags('I am furious, this is bullshit')).toContain('anger');
    expect(riskFlags("I'm scared and can't cope anymore")).toContain('distress');
    expect(riskFlags("shut up, you're an idiot")).toContain('conflict');
    expect(riskFlags('thanks, that worked!')).toEqual([]);
  });
});

describe('high stakes: human first', () => {
  it('runs before every feature that answers, so auto-answers can read notes.stakes (only reply inference precedes it)', () => {
    const t = harness();
    const list = featureList(t.core.features);
    expect(list[0]).toBe(t.core.features.links);
    expect(list[1]).toBeInstanceOf(EscalationFeature);
  });

  it('never answers automatically: the only outputs are the private note and the moderator flag', async () => {
    const t = harness();
    const result = await t.companion.handle({
      community: t.community,
      at: t.clock.now(),
      type: 'message_posted',
      message: { id: 'q1', channel: t.channel('help'), author: t.member('maya'), text: 'I was charged twice and the refund was refused', at: t.clock.now() },
    });
    expect(result.ok && result.notes.stakes).toEqual({ level: 'high', categories: ['billing'] });
    expect(result.ok && result.notes.answered).toBe(true);
    expect(t.platform.calls.map((c) => c.kind).sort()).toEqual(['ephemeral', 'notifyModerators']);
    const [note] = t.platform.of('ephemeral');
    expect(note).toMatchObject({ channelId: 'help', memberId: 'maya' });
    expect(note.message.text).toMatch(/a person from the team should handle, so I won't answer it automatically/);
    expect(note.message.text).toMatch(/request #1/);
    const [flag] = t.platform.of('notifyModerators');
    expect(flag.message.text).toMatch(/a message by <@maya> needs a human \(request #1, high stakes/);
    expect(flag.message.text).toContain('Stakes: **high** (billing)');
    expect(flag.message.buttons?.map((b) => b.label)).toEqual(['Claim', 'Resolve']);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'stakes', stakes: 'high', stakesClass: 'billing', messageId: 'q1' });
  });

  it('low-stakes messages are left alone and marked low', async () => {
    const t = harness();
    const result = await t.companion.handle({
      community: t.community,
      at: t.clock.now(),
      type: 'message_posted',
      message: { id: 'q1', channel: t.channel('help'), author: t.member('maya'), text: 'how do I change my avatar?', at: t.clock.now() },
    });
    expect(result.ok && result.notes.stakes).toEqual({ level: 'low', categories: [] });
    expect(result.ok && result.notes.answered).toBeUndefined();
    expect(t.platform.calls).toHaveLength(0);
  });

  it('moderators and the moderator channel are not escalated, but still get no automated answer', async () => {
    const t = harness();
    const announce = await t.companion.handle({
      community: t.community,
      at: t.clock.now(),
      type: 'message_posted',
      message: { id: 'a1', channel: t.channel('general'), author: t.member('mod'), text: "the site is down, we're on it", at: t.clock.now() },
    });
    expect(announce.ok && announce.notes).toMatchObject({ stakes: { level: 'high', categories: ['outage'] }, answered: true });
    await t.say('sam', 'can someone from the team look at the refund I still have not received?', { channelId: 'mods' });
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
    expect(t.platform.calls).toHaveLength(0);
  });

  it('answers distress with care and tells moderators to reach out gently', async () => {
    const t = harness();
    await t.say('maya', "i can't do this anymore, i want to die");
    const [note] = t.platform.of('ephemeral');
    expect(note.message.text).toMatch(/Thank you for telling us/);
    expect(note.message.text).toMatch(/local emergency number or a crisis line/);
    const [flag] = t.platform.of('notifyModerators');
    expect(flag.message.text).toMatch(/Possible personal distress: please reach out with care/);
  });

  it('/human about distress also points to a crisis line', async () => {
    const t = harness();
    const reply = await t.command('maya', 'human', { reason: 'I want to end my life' });
    expect(reply.text).toMatch(/I've asked the moderators to help you \(request #1\)/);
    expect(reply.text).toMatch(/local emergency number or a crisis line/);
    expect((await t.command('sam', 'human', { reason: 'my invoice is wrong' })).text).not.toMatch(/crisis line/);
  });

  it('a typed request in distress gets the careful note, not the standard ack', async () => {
    const t = harness();
    await t.say('maya', 'can I talk to someone, I want to die');
    const [note] = t.platform.of('ephemeral');
    expect(note.message.text).toMatch(/Thank you for telling us.*request #1/);
    expect(note.message.text).toMatch(/crisis line/);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'typed', stakesClass: 'distress' });
  });

  it('classes are configurable: off, flag only, or escalate', async () => {
    const t = harness({ settings: { humanFirstClasses: ['billing', 'fraud_security'], autoEscalateClasses: ['fraud_security'] } });
    await t.say('ana', 'the site is down again');
    expect(t.platform.calls).toHaveLength(0);

    await t.say('maya', 'I was charged twice');
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    expect(t.platform.of('ephemeral')).toHaveLength(1);
    await t.advance(t.minutes(45));
    // Flag only: no re-ping, no second tier.
    expect(t.platform.of('notifyModerators')).toHaveLength(1);

    await t.say('sam', 'my card was stolen');
    await t.advance(t.minutes(11));
    expect(t.platform.of('notifyModerators').map((p) => p.message.text.split('\n')[0])).toEqual([
      expect.stringMatching(/<@maya>/),
      expect.stringMatching(/<@sam>/),
      expect.stringMatching(/^\*\*Still unclaimed:\*\* .*<@sam>/),
    ]);
  });

  it('moderators configure classes with /hearth-config, and bad class names are refused clearly', async () => {
    const t = harness();
    const bad = await t.command('mod', 'hearth-config', { setting: 'humanFirstClasses', value: 'billing, weather' });
    expect(bad.text).toMatch(/unknown stakes class "weather"/);
    const ok = await t.command('mod', 'hearth-config', { setting: 'humanFirstClasses', value: 'billing distress' });
    expect(ok.text).toMatch(/humanFirstClasses\*\* is now billing, distress/);
    await t.say('ana', 'the site is down again');
    expect(t.platform.calls.filter((c) => c.kind !== 'edit')).toHaveLength(0);
  });

  it('a typed request about a high-stakes problem is one escalation, with its class', async () => {
    const t = harness();
    await t.say('maya', 'my card was stolen, can I talk to a human?');
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ source: 'typed', stakes: 'high', stakesClass: 'fraud_security' });
    expect(t.platform.of('ephemeral')).toHaveLength(1);
    expect(t.platform.of('ephemeral')[0].message.text).toMatch(/I've asked the moderators/);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });
});
