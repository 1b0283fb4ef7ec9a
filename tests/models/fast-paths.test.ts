/**
 * The recognisers' fast paths read text as their reference paths do (issue 19): each is
 * compared, on generated text, with the general code it stands in for. (The golden record,
 * equivalence.test.ts, checks the decisions as a whole.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiTokensOf, tokensOf } from '../../src/core/models/features';
import { LinearModel } from '../../src/core/models/linear';
import { lexiconHits } from '../../src/core/risk/lexicon';
import { normaliseText } from '../../src/core/samehere/normalize';
import { prefilterFor } from '../../src/core/text/required-literals';

// A fixed seed: the same cases on every run (a failure found is reproduced, never flaky).
fc.configureGlobal({ seed: 20261207 });

/** ASCII text made of what the fast paths treat specially: pluses, digits, pauses, quotes, spaces of every kind, capitals, shortcodes. */
const PIECES = [
  '+', '1', '0', '++', '+1', '+ 1', '+100', ' ', '  ', '\n', '\t', '\r', '\v', '\f', '.', '. ', '!', '!!!', '?', ',', ';', ':', '-', '(', ')', '[', ']', '/', '|', '_', '`', "'", '"',
  'a', 'Z', 'same', 'SAME', 'me too', 'sameee', 'smae', 'too', 'to', 'metoo', 'tooo', 'meee', 'looool', 'still', 'aswel', 'errror', 'ISSUE', ':+1:', ':smile:', '::', ':a', 'e.g.', '3.5', 'nick: ', '@sam ', 'lol', 'I AM SO DONE', 'so sad',
  'kill myself', "don't", "'quoted'", 'ugh', 'through', 'wtf', 'fuck you', 'scared', 'I HATE THIS STUPID THING', 'shut up',
];
const asciiText = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 24 }).map((parts) =>
  parts.join('').replace(/[^\x00-\x7f]/g, ''),
);

describe('fast paths of the recognisers', () => {
  it("features cut plain ASCII into TOKEN's tokens", () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        const normalised = text.toLowerCase();
        expect(asciiTokensOf(normalised)).toEqual(tokensOf(normalised));
      }),
      { numRuns: 3000 },
    );
  });

  it('same-here tokenises plain ASCII as its regex does', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        expect(normaliseText(text)).toEqual(normaliseText(text, true));
      }),
      { numRuns: 3000 },
    );
  });

  it('the risk lexicon finds the same hits with its whole-message gates as reading every sentence', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        expect(lexiconHits(text)).toEqual(lexiconHits(text, false));
      }),
      { numRuns: 3000 },
    );
  });

  it('a quantised model scores exactly as the same weights decoded to floats', () => {
    const codes = new Int8Array(1024);
    for (let i = 0; i < codes.length; i++) codes[i] = ((i * 7919) % 255) - 127;
    const scale = 0.0371;
    const floats = new Float32Array(codes.length);
    for (let i = 0; i < codes.length; i++) floats[i] = codes[i]! * scale;
    const quantised = new LinearModel({ codes, scale }, 0.3, false);
    const decoded = new LinearModel(floats, 0.3, false);
    expect(quantised.weights).toEqual(floats);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 300 }), (ids) => {
        const features = { ids: Uint32Array.from(ids), own: ids.length, length: ids.length };
        expect(quantised.score(features, false)).toBe(decoded.score(features, false));
      }),
      { numRuns: 500 },
    );
  });

  it('a prefilter for lower-case text drops the i flag only where it reads the same', () => {
    const caseless = prefilterFor([/\bcharged twice\b/i, /refund/i], { lowerCaseText: true })!;
    expect(caseless.flags).toBe('');
    // Without the promise, or with the u flag (its case folding maps "ſ" to "s"), the flag stays.
    expect(prefilterFor([/\bcharged twice\b/i])!.flags).toBe('i');
    expect(prefilterFor([/\bcharged twice\b/iu], { lowerCaseText: true })!.flags).toBe('iu');
    const withI = prefilterFor([/\bcharged twice\b/i, /refund/i])!;
    fc.assert(
      fc.property(fc.array(fc.constantFrom('charged', 'twice', 'refund', ' ', 'ſ', 'K', 'é', 'x', 'İ'), { maxLength: 12 }), (parts) => {
        const text = parts.join('').toLowerCase();
        expect(caseless.test(text)).toBe(withI.test(text));
      }),
      { numRuns: 2000 },
    );
  });
});
