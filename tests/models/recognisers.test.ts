/**
 * The four learned recognisers, rules and model together, on lines written for these tests
 * (every example of issue 19 among them) and on the policy rules the model may never overrule.
 */
import { describe, expect, it } from 'vitest';
import { recognizeSameHere, sameHereByRules } from '../../src/core/samehere/recognize';
import { classifyStakes, riskFlags, wantsHuman } from '../../src/core/stakes';
import { classify } from '../../src/cli/commands/classify';

const money = (text: string) => classifyStakes(text).categories.filter((c) => c === 'billing' || c === 'fraud_security');

describe('same here', () => {
  it.each([
    '+1 happening to me too',
    'ugh same thing on my laptop since the update',
    'my wifi is also dead',
    'yep mine does that too',
    'sam: i have the exact same problem',
    'same here',
    'me too, mine crashes every time I open a file',
  ])('recognises "%s"', (text) => {
    expect(recognizeSameHere(text).sameHere).toBe(true);
  });

  it('reads the message it answers: "mine too" after a problem report', () => {
    expect(recognizeSameHere('mine too', { parent: 'my printer stopped working after the upgrade' }).sameHere).toBe(true);
  });

  it.each([
    ['+1 to what sam said', 'an endorsement'],
    ['same here?', 'a question'],
    ['anyone else getting this error?', 'asking whether others have it'],
    ['still the same error after the reboot', 'same as before, not as someone else'],
    ['please add me too', 'a request'],
    ['the same version as yours', 'a comparison'],
    ['thanks, that fixed it', 'an acknowledgement'],
    ['how do I install grub on a second disk?', 'an ordinary question'],
  ])('does not count "%s" (%s)', (text) => {
    expect(recognizeSameHere(text).sameHere).toBe(false);
  });

  it('"same here, but I fixed it by ..." counts and still carries content', () => {
    const r = recognizeSameHere('same here, but I fixed it by reinstalling the driver');
    expect(r).toMatchObject({ sameHere: true, carriesContent: true });
  });

  it('a community threshold moves the learned decision, not the phrase rules', () => {
    // The phrases do not place "yep mine does that too"; the model does, at its default threshold.
    expect(sameHereByRules('yep mine does that too').sameHere).toBe(false);
    expect(recognizeSameHere('yep mine does that too', { threshold: 0.999 }).sameHere).toBe(false);
    expect(recognizeSameHere('same here', { threshold: 0.999 }).sameHere).toBe(true);
  });

  it.each(['yo también', 'moi aussi', 'ich auch', 'eu também', 'mismo problema aquí'])('keeps the multilingual form "%s"', (text) => {
    expect(recognizeSameHere(text).sameHere).toBe(true);
  });
});

describe('wants a human', () => {
  it.each([
    'can I get an actual person please',
    'put me through to your manager',
    'let me talk to someone who works there',
    "I'd rather deal with a real human about this",
    'is there an admin?',
    'any ops around?',
    'is some support staff around?',
    '@mods can someone look at this',
    'is there a human here?',
    'can I talk to a human',
    'quiero hablar con una persona',
    'je veux parler à un humain',
    'ich möchte mit einem Menschen sprechen',
    'quero falar com uma pessoa',
  ])('recognises "%s"', (text) => {
    expect(wantsHuman(text)).toBe(true);
  });

  it.each([
    "I don't need a human, just tell me where the logs are",
    'no need for a mod, I sorted it out',
    'a real person told me to reboot',
    'how do I run this as admin?',
    'can someone help me with grub?',
    'humans are weird',
  ])('does not page anyone for "%s"', (text) => {
    expect(wantsHuman(text)).toBe(false);
  });

  it('a community threshold applies to the model', () => {
    expect(wantsHuman('put me through to your manager', 0.99)).toBe(false);
  });
});

describe('money lost, disputed or fraud', () => {
  it.each([
    "there's a charge on my statement I don't recognise",
    'the ATM kept my card',
    "my deposit from this morning still isn't showing",
    'I was charged twice for my subscription',
    'someone used my card without my permission',
  ])('is high stakes: "%s"', (text) => {
    expect(classifyStakes(text).level).toBe('high');
    expect(money(text).length).toBeGreaterThan(0);
  });

  it('a card kept by a machine or used by someone else is a security matter', () => {
    expect(money('someone used my card without my permission')).toEqual(['fraud_security']);
  });

  it.each([
    'the boot error says payment required by the bios? no idea',
    'what is the exchange rate for euros?',
    'how do I change my display resolution',
    'there is a DMCA discussion going on in #legal-talk about licensing',
  ])('is not money trouble: "%s"', (text) => {
    expect(money(text)).toEqual([]);
  });

  it('a community that turned billing and fraud off gets neither class from the model', () => {
    expect(classifyStakes("there's a charge on my statement I don't recognise", ['outage']).level).toBe('low');
  });
});

describe('distress', () => {
  it.each(["I'm so scared I'm going to lose my job and I can't stop crying", 'I feel so alone and hopeless lately', 'I want to die'])(
    'is flagged: "%s"',
    (text) => {
      expect(riskFlags(text)).toContain('distress');
    },
  );

  it.each(['this release is great, thanks all', 'how do I mount a usb drive'])('is not flagged: "%s"', (text) => {
    expect(riskFlags(text)).not.toContain('distress');
  });

  it('crisis wording still opens the human path with the distress class', () => {
    expect(classifyStakes('I want to kill myself').categories[0]).toBe('distress');
  });
});

describe('classify CLI contract', () => {
  it('keeps its exact fields and reads an optional parent', () => {
    const out = classify('x', 'mine too', 'my wifi keeps dropping since the update');
    expect(Object.keys(out)).toEqual(['id', 'stakes', 'categories', 'wantsHuman', 'sameHere', 'risk']);
    expect(out.sameHere).toBe(true);
  });
});
