import { describe, expect, it } from 'vitest';
import { looksLikeQuestion, notAloneTopic } from '../../src/core/features/related/cues';
import { queryTerms, stem, tokens, words } from '../../src/core/search/text';

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

  it('splits ASCII text into the same words as the unicode61 rule (runs of a-z / 0-9, at most 40 long)', () => {
    // Deterministic pseudo-random ASCII, compared with the plain regular-expression rule.
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647);
    const alphabet = 'abcXYZ09 _-.,!?\n\t\'"@#:/AaZz';
    for (let n = 0; n < 300; n++) {
      const long = n % 10 === 0 ? 'q'.repeat(35 + (n % 11)) : '';
      const text = long + Array.from({ length: next() % 80 }, () => alphabet[next() % alphabet.length]).join('') + long;
      const expected = [...text.toLowerCase().matchAll(/[a-z0-9]+/g)].map((m) => m[0]).filter((w) => w.length <= 40);
      expect(words(text), JSON.stringify(text)).toEqual(expected);
    }
    expect(words('')).toEqual([]);
    expect(words('Wi-Fi 6E, v2.1!')).toEqual(['wi', 'fi', '6e', 'v2', '1']);
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
