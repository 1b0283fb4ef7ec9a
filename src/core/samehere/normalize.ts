/**
 * Text normalisation for the same-here recogniser: chat text becomes a list of plain tokens
 * (lowercase, no accents, no apostrophes, common typos fixed), with punctuation reduced to
 * two markers (`,` a pause, `?` a question), emoji reduced to `👍` / `➕` / `🙋` or `~`
 * (any other emoji), and platform markup (mentions, links, code) removed but remembered.
 */

import { isPlainAscii } from '../text/ascii';

export interface NormalisedText {
  tokens: string[];
  hasLink: boolean;
  hasCode: boolean;
  /** The text was cut (very long messages always carry content). */
  truncated: boolean;
  /** Token indices where a new sentence begins (after . ! ? … or a line break), the first excluded. */
  sentenceStarts: number[];
}

/** Longest text the recogniser reads; a same-here is short, and hostile input stays cheap. */
const MAX_READ = 2000;

/** Slack / Discord shortcodes of the "same here" emoji. */
const SHORTCODES: Record<string, string> = {
  '+1': '👍',
  thumbsup: '👍',
  thumbs_up: '👍',
  heavy_plus_sign: '➕',
  plus: '➕',
  raising_hand: '🙋',
  raised_hand: '🙋',
  woman_raising_hand: '🙋',
  man_raising_hand: '🙋',
  person_raising_hand: '🙋',
};

/** Misspellings of the words the phrases are built from (after collapsing repeated letters). */
const TYPOS: Record<string, string> = {
  smae: 'same',
  saem: 'same',
  asme: 'same',
  sme: 'same',
  hear: 'here',
  heer: 'here',
  hre: 'here',
  isue: 'issue',
  isse: 'issue',
  isseu: 'issue',
  iusse: 'issue',
  hav: 'have',
  probelm: 'problem',
  problme: 'problem',
  porblem: 'problem',
  prblem: 'problem',
  probem: 'problem',
  prolbem: 'problem',
  probleme: 'probleme',
  eror: 'error',
  erorr: 'error',
  errro: 'error',
  metoo: 'me too',
  meto: 'me too',
  mee: 'me',
  happenning: 'happening',
  hapening: 'happening',
  happeneing: 'happening',
  happning: 'happening',
  aswell: 'as well',
  aswel: 'as well',
  tb: 'tambien',
  tmb: 'tambien',
  tbm: 'tambem',
  tmbm: 'tambem',
};

/** Words whose letter-collapsed form is unambiguous ("sameee" -> "same", "issssue" -> "issue"). */
const STRETCHABLE = ['lol', 'lmao', 'same', 'here', 'too', 'issue', 'problem', 'error', 'happening', 'me', 'also', 'mine', 'ditto', 'idem', 'pareil', 'aussi', 'auch', 'igual', 'tambien', 'tambem', 'mismo', 'mesmo'];
const collapse = (word: string) => word.replace(/(.)\1+/g, '$1');
const STRETCHED = new Map(STRETCHABLE.map((w) => [collapse(w), w]));

/** Chat reuses a small vocabulary: canonical forms are remembered (bounded), already split ("metoo" -> me, too). */
const canonicalCache = new Map<string, readonly string[]>();

function canonicalWords(word: string): readonly string[] {
  let canonical = canonicalCache.get(word);
  if (canonical === undefined) {
    if (canonicalCache.size >= 20_000) canonicalCache.clear();
    canonical = canonicalForm(word).split(' ');
    canonicalCache.set(word, canonical);
  }
  return canonical;
}

/**
 * Words canonicalForm may change without a repeated letter: the typos and the letter-collapsed
 * forms of the stretchable words ("to" and "me" among them).
 */
const CHANGEABLE = new Set([...Object.keys(TYPOS), ...STRETCHED.keys()]);

/**
 * A word (letters and digits, no space) that is its own canonical form, found without the
 * cache (most words): canonicalForm only changes a word that is, or whose letter-collapsed
 * form is, one of the typos or the stretchable words' collapsed forms.
 */
function isOwnCanonical(word: string): boolean {
  let collapsedLength = word.length > 0 ? 1 : 0;
  for (let i = 1; i < word.length; i++) if (word.charCodeAt(i) !== word.charCodeAt(i - 1)) collapsedLength++;
  if (collapsedLength === word.length) return !mayChange(word, word.length) || !CHANGEABLE.has(word);
  // A letter repeated ("too", "still"): canonicalForm reads the word, then its collapsed form,
  // which keeps the first and last letters; neither's shape among the changeable words: no change.
  return !mayChange(word, word.length) && !mayChange(word, collapsedLength);
}

/**
 * The lengths (bit n: n characters, up to 31) of the CHANGEABLE words with a given first and
 * last ASCII letter: a word none of whose shape is there is not one of them, without hashing it.
 */
const CHANGEABLE_SHAPES = new Uint32Array(128 * 128);
let CHANGEABLE_OUTSIDE_SHAPES = false;
for (const word of CHANGEABLE) {
  const first = word.charCodeAt(0);
  const last = word.charCodeAt(word.length - 1);
  if (first < 128 && last < 128 && word.length < 32) CHANGEABLE_SHAPES[first * 128 + last]! |= 1 << word.length;
  else CHANGEABLE_OUTSIDE_SHAPES = true;
}

/** Whether a word with `word`'s first and last letters and `length` letters may be a CHANGEABLE one. */
function mayChange(word: string, length: number): boolean {
  const first = word.charCodeAt(0);
  const last = word.charCodeAt(word.length - 1);
  if (CHANGEABLE_OUTSIDE_SHAPES || first >= 128 || last >= 128 || length >= 32) return true;
  return (CHANGEABLE_SHAPES[first * 128 + last]! & (1 << length)) !== 0;
}

function canonicalForm(word: string): string {
  if (Object.hasOwn(TYPOS, word)) return TYPOS[word];
  const collapsed = collapse(word);
  // "to" collapses from "too" but is a word of its own: only stretched forms ("tooo") map.
  if (collapsed === 'to') return word.length > 2 ? 'too' : word;
  if (collapsed === 'me') return 'me';
  return STRETCHED.get(collapsed) ?? (Object.hasOwn(TYPOS, collapsed) ? TYPOS[collapsed] : word);
}

/** Words | "+1", "+ 1", "+100", "++" | 👍 ➕ 🙋 with skin tone / gender modifiers | any other non-space character (spaces never make a token). */
const TOKEN = /([\p{L}\p{N}]+)|(\+\s?10*|\+\+)(?![\p{L}\p{N}])|(👍|➕|🙋)[\u{1F3FB}-\u{1F3FF}\uFE0F\u200D\u2640\u2642]*|(\S)/gu;
const PAUSE = /[,;:.!¡…\-–—()[\]/|]/;
const SENTENCE_END = /[.!?¿¡…]/;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** The three classes above for each ASCII character (1: in the class), by the same regexes. */
const ASCII_PAUSE = new Uint8Array(128);
const ASCII_SENTENCE_END = new Uint8Array(128);
const ASCII_PICTOGRAPH = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const char = String.fromCharCode(c);
  ASCII_PAUSE[c] = Number(PAUSE.test(char));
  ASCII_SENTENCE_END[c] = Number(SENTENCE_END.test(char));
  ASCII_PICTOGRAPH[c] = Number(PICTOGRAPH.test(char));
}

// Plain-ASCII character classes of TOKEN (with the u flag, \p{L}\p{N} are A-Z, a-z, 0-9 and
// \s is tab to carriage return and space in ASCII; nothing in ASCII is a pictograph).
const WORD_CHAR = new Uint8Array(128);
const SPACE_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  WORD_CHAR[c] = Number(/[\p{L}\p{N}]/u.test(String.fromCharCode(c)));
  SPACE_CHAR[c] = Number(/\s/u.test(String.fromCharCode(c)));
}
const PLUS = 43;
const ONE = 49;
const ZERO = 48;

/** Apostrophes and backticks out of plain ASCII (where there are any). */
function dropQuotes(text: string): string {
  return text.includes("'") || text.includes('`') ? text.replace(/['`]/g, '') : text;
}

/** normaliseText's tokens so far, and where it is in the text. */
interface Tokenising {
  readonly text: string;
  readonly tokens: string[];
  readonly sentenceStarts: number[];
  sentenceEnded: boolean;
  lastEnd: number;
  /** The first line break at or after lastEnd (-1: none left), found once per line, not per token. */
  newline: number;
}

/** One match of TOKEN: at `index`, `length` characters, of one kind (its group; the others undefined). */
function take(state: Tokenising, index: number, length: number, word: string | undefined, plus: string | undefined, emoji: string | undefined, other: string | undefined): void {
  const { text, tokens, sentenceStarts } = state;
  if (state.newline !== -1 && state.newline < state.lastEnd) state.newline = text.indexOf('\n', state.lastEnd);
  if (index > state.lastEnd && state.newline !== -1 && state.newline < index) state.sentenceEnded = true;
  const lastEnd = (state.lastEnd = index + length);
  // A full stop ends a sentence only before a space ("3.5", "e.g" and "v1.2" do not).
  // (An ASCII character's classes come from tables made with the same regexes.)
  const code = other !== undefined && other.length === 1 ? other.charCodeAt(0) : 128;
  const ascii = code < 128;
  const endsSentence = other !== undefined && (ascii ? ASCII_SENTENCE_END[code] === 1 : SENTENCE_END.test(other)) && (other !== '.' || !/\S/.test(text[lastEnd] ?? ' '));
  if (state.sentenceEnded && !endsSentence && tokens.length > 0 && sentenceStarts[sentenceStarts.length - 1] !== tokens.length) sentenceStarts.push(tokens.length);
  state.sentenceEnded = endsSentence;
  if (word) {
    if (isOwnCanonical(word)) push(tokens, word);
    else for (const part of canonicalWords(word)) push(tokens, part);
  }
  else if (plus) push(tokens, '+1');
  else if (emoji) push(tokens, emoji);
  else if (other === '?' || other === '¿') push(tokens, '?');
  else if (ascii ? ASCII_PAUSE[code] === 1 : PAUSE.test(other!)) push(tokens, ',');
  else if (ascii ? ASCII_PICTOGRAPH[code] === 1 : PICTOGRAPH.test(other!)) push(tokens, '~');
}

function wordAt(text: string, i: number): boolean {
  return i < text.length && WORD_CHAR[text.charCodeAt(i)] === 1;
}

/**
 * TOKEN's matches over plain-ASCII text, in order, without a regex: a run of letters and
 * digits; "+" then an optional space, "1" and any zeros, or "++", either not followed by a
 * letter or digit (the greedy match is the only one that can pass that test); any other
 * character that is not a space. (No emoji in ASCII.)
 */
function tokeniseAscii(state: Tokenising): void {
  const text = state.text;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (SPACE_CHAR[c]) {
      i++;
      continue;
    }
    if (WORD_CHAR[c]) {
      let end = i + 1;
      while (wordAt(text, end)) end++;
      take(state, i, end - i, text.slice(i, end), undefined, undefined, undefined);
      i = end;
      continue;
    }
    if (c === PLUS) {
      let j = i + 1;
      if (j < n && SPACE_CHAR[text.charCodeAt(j)]) j++;
      let end = -1;
      if (j < n && text.charCodeAt(j) === ONE) {
        let e = j + 1;
        while (e < n && text.charCodeAt(e) === ZERO) e++;
        if (!wordAt(text, e)) end = e;
      }
      if (end === -1 && i + 1 < n && text.charCodeAt(i + 1) === PLUS && !wordAt(text, i + 2)) end = i + 2;
      if (end !== -1) {
        take(state, i, end - i, undefined, text.slice(i, end), undefined, undefined);
        i = end;
        continue;
      }
    }
    take(state, i, 1, undefined, undefined, undefined, text[i]);
    i++;
  }
}

/** A token, except a pause that opens the list or follows another pause. */
function push(tokens: string[], token: string): void {
  if (token === ',' && (tokens.length === 0 || tokens[tokens.length - 1] === ',')) return;
  tokens.push(token);
}

/**
 * Normalise chat text into tokens (see the module comment). Never throws. (`noShortcut`:
 * plain ASCII through Unicode normalisation and TOKEN too, as any other text; tests compare
 * the two.)
 */
export function normaliseText(input: string, noShortcut = false): NormalisedText {
  const truncated = input.length > MAX_READ;
  let text = input.slice(0, MAX_READ);
  // Every message of every import passes here: each rewrite below runs only when the
  // characters it needs are present (the same result, without a regex pass per rule).
  const backtick = text.includes('`');
  const hasCode = backtick && /```|`[^`\n]+`/.test(text);
  if (backtick) text = text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const mayLink = /http|www\./i.test(text);
  const hasLink = mayLink && /\bhttps?:\/\/|\bwww\.\S/i.test(text);
  if (mayLink) text = text.replace(/<?\bhttps?:\/\/[^\s>]+>?/gi, ' ').replace(/\bwww\.\S+/gi, ' ');
  // Platform markup: user/channel/role mentions, Slack specials, Discord custom emoji.
  if (text.includes('<')) text = text.replace(/<a?:[\w~-]+:\d+>/g, ' ~ ').replace(/<[@#!][^>\s]*>/g, ' ');
  // Shortcodes: the same-here ones become their emoji, any other becomes a neutral emoji.
  if (text.indexOf(':') !== text.lastIndexOf(':')) {
    // (A shortcode needs two colons.)
    text = text.replace(/:([a-z0-9_+-]{1,40})(?:::skin-tone-\d)?:/gi, (_m, code: string) => ` ${Object.hasOwn(SHORTCODES, code.toLowerCase()) ? SHORTCODES[code.toLowerCase()] : '~'} `);
  }
  // Leading @name mentions ("@sam same here") and a chat address ("sam: same here", IRC's way
  // of replying); "12:30" or "http:" are not addresses (no space after the colon).
  // (Each only where the character it needs is present.)
  if (text.includes('@') || text.includes('\uFF20')) text = text.replace(/^(\s*[@\uFF20][\p{L}\p{N}_.-]+[,:]?)+/u, ' ');
  if (text.includes(':')) text = text.replace(/^\s*[\p{L}\p{N}_.|\-[\]^{}`]{2,32}:\s+(?=\S)/u, ' ');
  // Plain ASCII is its own NFKC/NFD form and has no combining marks: lowercase is enough.
  const ascii = !noShortcut && isPlainAscii(text);
  text = ascii
    ? dropQuotes(text.toLowerCase())
    : text
        .normalize('NFKC')
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{M}/gu, (mark) => (mark === '\u20e3' ? mark : ''))
        .replace(/['’‘`´ʼ]/g, '');

  const state: Tokenising = { text, tokens: [], sentenceStarts: [], sentenceEnded: false, lastEnd: 0, newline: text.indexOf('\n') };
  // One pass: words, "+1"-like tokens, the same-here emoji (with their modifiers), any other character.
  if (ascii) {
    tokeniseAscii(state);
  } else {
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) take(state, m.index, m[0].length, m[1], m[2], m[3], m[4]);
  }
  const { tokens, sentenceStarts } = state;
  let dropped = 0;
  while (tokens[dropped] === ',') dropped++;
  if (dropped) tokens.splice(0, dropped);
  const starts = dropped ? sentenceStarts.map((i) => i - dropped).filter((i) => i > 0) : sentenceStarts;
  return { tokens, hasLink, hasCode, truncated, sentenceStarts: starts };
}
