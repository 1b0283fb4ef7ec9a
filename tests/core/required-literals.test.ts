import { describe, expect, it } from 'vitest';
import { classPrefilter, STAKES_CLASSES, STAKES_PATTERNS } from '../../src/core/stakes/classes';
import { normalizeForMatching } from '../../src/core/stakes/text';
import { prefilterFor, requiredLiterals } from '../../src/core/text/required-literals';

describe('prefilters derived from regexes', () => {
  it('names the strings every match needs one of', () => {
    expect(requiredLiterals(/\bcharged (?:me )?twice\b/)).toEqual(['charged twice', 'charged me twice']);
    expect(requiredLiterals(/\b(?:double|duplicate) (?:charges?|payments?)\b/)).toContain('duplicate charge');
    expect(requiredLiterals(/\b(?:double|duplicate) (?:charges?|payments?)\b/)).toHaveLength(8);
    expect(requiredLiterals(/\w+ment/)).toEqual(['ment']);
    expect(requiredLiterals(/refund|chargeback/)?.sort()).toEqual(['chargeback', 'refund']);
    expect(requiredLiterals(/recogni[sz]e/)?.sort()).toEqual(['recognise', 'recognize']);
    // Lookarounds match no characters of their own; the words after them still count.
    expect(requiredLiterals(/(?=outage)(?<!\bno\b.{0,30})\boutage\b/)).toEqual(['outage']);
  });

  it('requires nothing of what may be absent or is not a plain string', () => {
    expect(requiredLiterals(/(?:sorry )?\w+/)).toBeNull();
    expect(requiredLiterals(/a*b?/)).toBeNull();
    expect(requiredLiterals(/refund|\d+ dollars?|.{3}/)).toBeNull();
    expect(requiredLiterals(/(["'])x\1/)).toEqual(['"x', "'x"]); // a backreference requires nothing more
    expect(prefilterFor([/refund/, /\w+/])).toBeUndefined();
  });

  it('reads text as its patterns do (flags), and not at all when they disagree', () => {
    expect(prefilterFor([/refund/i, /chargeback/i])?.flags).toBe('i');
    expect(prefilterFor([/refund/i, /chargeback/iu])).toBeUndefined();
  });

  it('lets through every message a stakes pattern matches (written for this test)', () => {
    const lines = [
      'I was charged twice for my subscription',
      "there's a charge on my statement I don't recognise",
      'my refund still has not arrived after two weeks',
      'the ATM kept my card and only gave me half the cash',
      'someone used my account without my permission',
      'i lost all my files after the update',
      'i want to kill myself',
      'he keeps messaging me and I no longer feel safe',
      "I'll sue you, my lawyer will be in touch",
      'the site is down for everyone, 503 service unavailable',
      'me cobraron dos veces',
    ];
    let matched = 0;
    for (const line of lines) {
      const text = normalizeForMatching(line);
      for (const c of STAKES_CLASSES) {
        if (!STAKES_PATTERNS[c].some((p) => p.test(text))) continue;
        matched++;
        expect(classPrefilter(c)?.test(text) ?? true, `${c}: ${line}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThanOrEqual(lines.length);
    // Every class is bounded, and ordinary chat passes none of the prefilters.
    expect(STAKES_CLASSES.filter((c) => !classPrefilter(c))).toEqual([]);
    const chat = normalizeForMatching('how do i install grub on a second disk');
    expect(STAKES_CLASSES.filter((c) => classPrefilter(c)!.test(chat))).toEqual([]);
  });
});
