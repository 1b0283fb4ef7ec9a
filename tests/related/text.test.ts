import { describe, expect, it } from 'vitest';
import { looksLikeQuestion, notAloneTopic } from '../../src/core/features/related/cues';
import { queryTerms, stem, tokens } from '../../src/core/search/text';

describe('search text analysis', () => {
  it('stems like the Porter algorithm (as FTS5 porter does)', () => {
    const cases: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', cats: 'cat', agreed: 'agre', plastered: 'plaster', motoring: 'motor',
      hopping: 'hop', filing: 'file', happy: 'happi', relational: 'relat', generalization: 'gener', printing: 'print',
      printers: 'printer', connection: 'connect', connected: 'connect', adjustment: 'adjust', controlling: 'control',
    };
    for (const [word, expected] of Object.entries(cases)) expect(stem(word), word).toBe(expected);
  });

  it('drops stop words, folds case and accents, and keeps only letters and digits', () => {
    expect(tokens('How do I reset the Café WIFI password?').map((t) => t.word)).toEqual(['reset', 'cafe', 'wifi', 'password']);
    expect(queryTerms('"a" AND (b OR c) NEAR/3 * ^title: 🔥 ‮drop').every((t) => /^[\p{L}\p{N}]+$/u.test(t.word))).toBe(true);
  });

  it('caps a huge query at a few distinct terms', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    expect(queryTerms(text).length).toBeLessThanOrEqual(32);
  });

  it('recognises questions and "am I the only one" messages', () => {
    expect(looksLikeQuestion('How do I export my data')).toBe(true);
    expect(looksLikeQuestion('export broke?')).toBe(true);
    expect(looksLikeQuestion('I exported my data')).toBe(false);
    expect(notAloneTopic('Am I the only one seeing the login crash?')).toMatch(/login crash/);
    expect(notAloneTopic('anyone else having slow builds today?')).toMatch(/slow builds/);
    expect(notAloneTopic('is it just me or is wifi down')).toMatch(/wifi down/);
    expect(notAloneTopic('the login page crashes')).toBeUndefined();
    expect(notAloneTopic('anyone else?')).toBeUndefined();
  });
});
