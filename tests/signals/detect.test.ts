import { describe, expect, it } from 'vitest';
import { isGratitude, isHeated, isQuestion, isRepair, isSubstantive, mentionIds, thankedNames } from '../../src/core/features/signals/detect';

describe('signal text rules', () => {
  it('recognises questions and help requests, not statements', () => {
    for (const q of ['How do I reset my password', 'is the API down?', 'anyone know a good linter', 'my build fails with exit 137', "I can't log in", 'sam: does this work on arm64']) {
      expect(isQuestion(q), q).toBe(true);
    }
    for (const s of ['I shipped the release', 'see https://x.test/?q=1', 'good morning all', 'the `a ? b : c` operator is a ternary', '']) {
      expect(isQuestion(s), s).toBe(false);
    }
  });

  it('separates substantive replies from acknowledgements', () => {
    for (const a of ['+1', 'same here', 'ok', 'lol', 'thanks!', '👍', 'thank you so much', 'thanks, that works now']) expect(isSubstantive(a), a).toBe(false);
    for (const a of ['Go to settings then security', 'try `npm ci`', 'https://docs.test/reset']) expect(isSubstantive(a), a).toBe(true);
  });

  it('finds thanks and the names right after it, but not "no thanks" or "thanks in advance"', () => {
    expect(isGratitude('thanks @sam!')).toBe(true);
    expect(isGratitude('ty')).toBe(true);
    expect(isGratitude('no thanks')).toBe(false);
    expect(isGratitude('any ideas? thanks in advance')).toBe(false);
    expect(thankedNames('thank you, alice! and thanks bob')).toEqual(['alice', 'bob']);
    expect(thankedNames('@maya thanks')).toEqual(['maya']);
    expect(mentionIds('thanks <@123> and <@U9|ola> <@&55>')).toEqual(['123', 'U9']);
  });

  it('does not read sarcasm, refusals or thanks-in-advance as thanks, in any wording', () => {
    for (const t of ['thanks for nothing', 'well thanks a lot for nothing @sam', 'No thank you', 'no thank u', 'thank you in advance!', 'thx in advance', 'thanks but no thanks']) {
      expect(isGratitude(t), t).toBe(false);
    }
    // A refusal elsewhere in the message does not hide real thanks.
    expect(isGratitude('no thanks, I found it myself. Thanks sam for the link though')).toBe(true);
    expect(isGratitude('thank you so much for the fix')).toBe(true);
  });

  it('detects heated messages and repairs', () => {
    expect(isHeated('this is a stupid answer, rtfm')).toBe(true);
    expect(isHeated('WHY DOES NOBODY READ THE PINNED POST')).toBe(true);
    expect(isHeated('I think that is not quite right')).toBe(false);
    expect(isHeated('OK')).toBe(false);
    expect(isRepair('sorry, that came out wrong')).toBe(true);
    expect(isRepair('to clarify, I meant the staging server')).toBe(true);
    expect(isRepair('the server restarted')).toBe(false);
  });

  it('never throws on hostile input', () => {
    const huge = '?'.repeat(100_000) + '\u202e\u0000@everyone';
    for (const f of [isQuestion, isSubstantive, isGratitude, isHeated, isRepair]) expect(() => f(huge)).not.toThrow();
    expect(() => thankedNames(`thanks ${'a'.repeat(50_000)}`)).not.toThrow();
  });
});
