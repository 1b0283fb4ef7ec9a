/**
 * Text analysis for related-discussion search, shared by every search backend and the
 * ranker: tokenising (the same rule as SQLite's `unicode61` tokenizer: runs of letters and
 * digits, case and diacritics folded), English stop words and the Porter stemmer (what
 * FTS5's `porter` tokenizer applies), so the ranker's view of a word matches the index's.
 */

import { isPlainAscii } from '../text/ascii';

/** A word as written (folded) and its stem. */
export interface Token {
  word: string;
  stem: string;
}

/** Most query terms we ever look up: a pasted log can't turn into a huge index query. */
export const MAX_QUERY_TERMS = 32;
/** Longest token kept: longer "words" are hashes, URLs or keyboard mashing. */
const MAX_TOKEN_LENGTH = 40;

// Common English function words plus chat filler that carries no topic.
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing done don down during each else even ever every few for from further get gets got had has have having he her
  here hers herself him himself his how i if in into is it its itself just let like ll me might more most much must my myself no nor not
  now of off on once only or other our ours ourselves out over own per please re really s same shall she should so some such t than thank
  thanks that the their theirs them themselves then there these they this those through thx to too under until up upon us ve very via
  was we were what when where which while who whom why will with within without would yet you your yours yourself yourselves
  anyone anybody someone somebody something anything hi hello hey guys guy pls plz ok okay know need want one im dont cant ive id
  tell help question questions advice`
    .split(/\s+/)
    .filter(Boolean),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Lowercase, fold diacritics (like unicode61's remove_diacritics) and split into words. */
export function words(text: string): string[] {
  // ASCII (most chat) has nothing to decompose and only a-z / 0-9 as letters and digits.
  if (isPlainAscii(text)) return asciiWords(text.toLowerCase());
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const out: string[] = [];
  for (const match of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (word.length <= MAX_TOKEN_LENGTH) out.push(word);
  }
  return out;
}

/** Runs of a-z / 0-9 in lowercased ASCII: a character scan (the ranker tokenises every candidate message; a regex's match objects cost more). */
function asciiWords(lower: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start <= MAX_TOKEN_LENGTH) out.push(lower.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/**
 * Content tokens of a text: words minus stop words and one-letter noise, with stems.
 * Memoised (bounded): the same past messages are ranked again and again. Do not mutate.
 */
export function tokens(text: string): readonly Token[] {
  let cached = tokenCache.get(text);
  if (!cached) {
    cached = Object.freeze(tokenize(text)) as Token[];
    if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
    tokenCache.set(text, cached);
  }
  return cached;
}

const TOKEN_CACHE_SIZE = 20_000;
const tokenCache = new Map<string, Token[]>();

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const word of words(text)) {
    const token = tokenOf(word);
    if (token) out.push(token);
  }
  return out;
}

// One shared, frozen Token per distinct word (null: stop word or one-letter noise): a
// vocabulary is small next to the text it is tokenised from.
const WORD_CACHE_SIZE = 50_000;
const wordCache = new Map<string, Token | null>();

function tokenOf(word: string): Token | null {
  let token = wordCache.get(word);
  if (token === undefined) {
    token = (word.length < 2 && !/\d/.test(word)) || STOP_WORDS.has(word) ? null : Object.freeze({ word, stem: stem(word) });
    if (wordCache.size >= WORD_CACHE_SIZE) wordCache.clear();
    wordCache.set(word, token);
  }
  return token;
}

/**
 * The distinct query terms of a text, most informative first when there are too many
 * (longer words first, a cheap proxy that needs no index statistics). Every term is made
 * of letters and digits only, so it can be quoted into any full-text query syntax safely.
 */
export function queryTerms(text: string, max = MAX_QUERY_TERMS): Token[] {
  const seen = new Map<string, Token>();
  for (const token of tokens(text)) if (!seen.has(token.stem)) seen.set(token.stem, token);
  const all = [...seen.values()];
  if (all.length <= max) return all;
  return all
    .map((t, i) => ({ t, i }))
    .sort((a, b) => b.t.word.length - a.t.word.length || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map(({ t }) => t);
}

// ---------------------------------------------------------------------------------------
// Porter stemmer (M. F. Porter, 1980), the algorithm FTS5's porter tokenizer implements.

const isConsonant = (w: string, i: number): boolean => {
  const c = w[i];
  if ('aeiou'.includes(c)) return false;
  if (c === 'y') return i === 0 || !isConsonant(w, i - 1);
  return true;
};

/** m(): the number of VC sequences in w[0..end). */
const measure = (w: string, end = w.length): number => {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    m++;
    while (i < end && isConsonant(w, i)) i++;
  }
  return m;
};

const hasVowel = (w: string, end = w.length): boolean => {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
};

const doubleConsonant = (w: string): boolean =>
  w.length >= 2 && w[w.length - 1] === w[w.length - 2] && isConsonant(w, w.length - 1);

/** *o: ends consonant-vowel-consonant, the last not w, x or y. */
const cvc = (w: string, end = w.length): boolean =>
  end >= 3 &&
  isConsonant(w, end - 1) &&
  !isConsonant(w, end - 2) &&
  isConsonant(w, end - 3) &&
  !'wxy'.includes(w[end - 1]);

/** Replace `suffix` by `replacement` when the stem before it has measure > `minMeasure`. */
const replaceIf = (w: string, suffix: string, replacement: string, minMeasure: number): string | undefined => {
  if (!w.endsWith(suffix)) return undefined;
  const stemEnd = w.length - suffix.length;
  return measure(w, stemEnd) > minMeasure ? w.slice(0, stemEnd) + replacement : w;
};

const STEP2: [string, string][] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['bli', 'ble'],
  ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
  ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
];
const STEP3: [string, string][] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

const stemCache = new Map<string, string>();

export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let w = word;

  // Step 1a
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (!w.endsWith('ss') && w.endsWith('s')) w = w.slice(0, -1);

  // Step 1b
  let step1bExtra = false;
  if (w.endsWith('eed')) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else if (w.endsWith('ed') && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    step1bExtra = true;
  } else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    step1bExtra = true;
  }
  if (step1bExtra) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (doubleConsonant(w) && !'lsz'.includes(w[w.length - 1])) w = w.slice(0, -1);
    else if (measure(w) === 1 && cvc(w)) w += 'e';
  }

  // Step 1c
  if (w.endsWith('y') && hasVowel(w, w.length - 1)) w = `${w.slice(0, -1)}i`;

  // Step 2
  for (const [suffix, replacement] of STEP2) {
    if (w.endsWith(suffix)) {
      w = replaceIf(w, suffix, replacement, 0) ?? w;
      break;
    }
  }
  // Step 3
  for (const [suffix, replacement] of STEP3) {
    if (w.endsWith(suffix)) {
      w = replaceIf(w, suffix, replacement, 0) ?? w;
      break;
    }
  }
  // Step 4
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const stemEnd = w.length - suffix.length;
    if (measure(w, stemEnd) > 1) {
      if (suffix !== 'ion' || 'st'.includes(w[stemEnd - 1] ?? '')) w = w.slice(0, stemEnd);
    }
    break;
  }
  // Step 5a
  if (w.endsWith('e')) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !cvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  // Step 5b
  if (measure(w) > 1 && doubleConsonant(w) && w.endsWith('l')) w = w.slice(0, -1);

  if (stemCache.size > 50_000) stemCache.clear();
  stemCache.set(word, w);
  return w;
}
