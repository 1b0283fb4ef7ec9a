import { describe, expect, it } from 'vitest';
import { wantsHuman } from '../../src/core/stakes';
import { harness } from '../helpers/harness';

/** Saying you do NOT need a person is not a request for one. */
const DECLINED = [
  "I don't need a human",
  "I don't need a human, thanks, figured it out",
  "never mind, I don't need a human anymore",
  "I don't want a human, just the docs link",
  "I don't need a real person for this",
  'no need for a human, it works now',
  "we don't need a mod here",
  'I do not need a moderator',
  "you don't need a human for that, the FAQ covers it",
];

/** Still requests, with a negation elsewhere in the message. */
const STILL_REQUESTS = [
  "I don't want to talk to a bot, I want a human",
  "I don't need the docs, I need a human",
  "this isn't working, can I talk to a human?",
];

describe('typed requests: negations', () => {
  it.each(DECLINED)('is not a request: %s', async (text) => {
    expect(wantsHuman(text)).toBe(false);
    const t = harness();
    await t.say('maya', text);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
  });

  it.each(STILL_REQUESTS)('is still a request: %s', (text) => {
    expect(wantsHuman(text)).toBe(true);
  });
});

/** Talking about real people is not asking for one. */
const ABOUT_REAL_PEOPLE = [
  'a real person told me the update ships friday',
  'this reads like it was written by a real person',
  'the real people in this server are great',
  "I'm a real person, not a bot lol",
  'the live agent feature shipped last week',
];

const REAL_PERSON_REQUESTS = [
  'real person please',
  'real human?',
  'a real person pls',
  'any real people here?',
  'need a real person',
  'Can i speak to a real person please',
  'is a real person reading this?',
  'actual human please!!',
];

describe('typed requests: "real person"', () => {
  it.each(ABOUT_REAL_PEOPLE)('is not a request: %s', async (text) => {
    expect(wantsHuman(text)).toBe(false);
    const t = harness();
    await t.say('maya', text);
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
  });

  it.each(REAL_PERSON_REQUESTS)('is a request: %s', (text) => {
    expect(wantsHuman(text)).toBe(true);
  });
});

describe('typed requests: what the moderators need to know', () => {
  it("the ping quotes the member's recent unanswered question and how many said “same here” to it", async () => {
    const t = harness();
    const q = await t.say('maya', 'Our nightly backup fails with error 137 since the upgrade, how do I fix it?');
    for (const who of ['leo', 'zoe', 'kim']) await t.say(who, 'same here', { replyTo: q });
    t.clock.advance(t.minutes(40));
    await t.say('maya', 'can I talk to a human please');
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.message.text).toContain(
      `Their question 40 minutes earlier, unanswered so far (3 members said “same here”): “Our nightly backup fails with error 137 since the upgrade, how do I fix it?” [Open it](https://chat.test/general/${q})`,
    );
    expect(ping.message.mentionUsers ?? []).toEqual([]);
  });

  it('leaves out a question someone answered, and links without quoting one in a private channel', async () => {
    const t = harness();
    const q = await t.say('maya', 'how do I rotate my API key?');
    await t.say('sam', 'Settings, then API, then Rotate', { replyTo: q });
    await t.say('maya', 'can I talk to a human please');
    expect(t.platform.of('notifyModerators')[0].message.text).not.toContain('Their question');

    const u = harness();
    const room = u.channel('billing-room', { visibility: 'private' });
    const p = await u.say('maya', 'how do I add a teammate to project Nightjar?', { channel: room });
    await u.say('maya', 'can I talk to a human please', { channel: room });
    const text = u.platform.of('notifyModerators')[0].message.text;
    expect(text).not.toContain('Nightjar');
    expect(text).toContain(`Their question just before, unanswered so far, in a private channel: [open it](https://chat.test/billing-room/${p})`);
  });
});

/**
 * A request for a person names one who could be from the team (human, mod, admin, op, staff,
 * support...). Chat that names nobody, or only "someone" from the community, is never one,
 * whatever a learned model makes of it: a threshold of 0.01 lets the model say yes to nearly
 * anything, and these must still not page the moderators.
 */
const NAMES_NOBODY_FROM_THE_TEAM = [
  'nope, still the same',
  'my bad, wrong window',
  "you can't, not with ext3",
  'with a keygen probably',
  'no no no, the other one',
  'i asked already',
  'anyone?',
  'can anybody help me with my wifi?',
  'somebody here knows grub?',
  'how do I message someone privately?',
];

/** Asking whether staff are around is asking for them, in the words real channels use. */
const STAFF_AROUND = [
  'is there an admin?',
  'any ops around?',
  'is some support staff around?',
  'are any mods online right now?',
  'is an op here?',
  'could somebody kick this spammer?',
];

describe('typed requests: someone from the team', () => {
  it.each(NAMES_NOBODY_FROM_THE_TEAM)('names nobody from the team, so is not a request: %s', async (text) => {
    expect(wantsHuman(text, 0.01)).toBe(false);
    const t = harness({ settings: { wantsHumanThreshold: 0.01 } });
    await t.say('maya', text);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);
  });

  it.each(STAFF_AROUND)('is a request: %s', (text) => {
    expect(wantsHuman(text, 0.99)).toBe(true);
  });

  it('a named person from the team still lets the model decide', () => {
    expect(wantsHuman('would love a word with a moderator about my ban', 0.01)).toBe(true);
  });
});
