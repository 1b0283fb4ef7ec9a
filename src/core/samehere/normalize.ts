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

/** A token, except a pause that opens the list or follows another pause. */
function push(tokens: string[], token: string): void {
  if (token === ',' && (tokens.length === 0 || tokens[tokens.length - 1] === ',')) return;
  tokens.push(token);
}

/** Normalise chat text into tokens (see the module comment). Never throws. */
export function normaliseText(input: string): NormalisedText {
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
  if (text.includes(':')) {
    text = text.replace(/:([a-z0-9_+-]{1,40})(?:::skin-tone-\d)?:/gi, (_m, code: string) => ` ${Object.hasOwn(SHORTCODES, code.toLowerCase()) ? SHORTCODES[code.toLowerCase()] : '~'} `);
  }
  // Leading @name mentions ("@sam same here") and a chat address ("sam: same here", IRC's way
  // of replying); "12:30" or "http:" are not addresses (no space after the colon).
  text = text.replace(/^(\s*[@\uFF20][\p{L}\p{N}_.-]+[,:]?)+/u, ' ').replace(/^\s*[\p{L}\p{N}_.|\-[\]^{}`]{2,32}:\s+(?=\S)/u, ' ');
  // Plain ASCII is its own NFKC/NFD form and has no combining marks: lowercase is enough.
  text = isPlainAscii(text)
    ? text.toLowerCase().replace(/['`]/g, '')
    : text
        .normalize('NFKC')
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{M}/gu, (mark) => (mark === '\u20e3' ? mark : ''))
        .replace(/['’‘`´ʼ]/g, '');

  const tokens: string[] = [];
  const sentenceStarts: number[] = [];
  let sentenceEnded = false;
  let lastEnd = 0;
  // The first line break at or after lastEnd (-1: none left), found once per line, not per token.
  let newline = text.indexOf('\n');
  // One pass: words, "+1"-like tokens, the same-here emoji (with their modifiers), any other character.
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const [, word, plus, emoji, other] = m;
    if (newline !== -1 && newline < lastEnd) newline = text.indexOf('\n', lastEnd);
    if (m.index > lastEnd && newline !== -1 && newline < m.index) sentenceEnded = true;
    lastEnd = m.index + m[0].length;
    // A full stop ends a sentence only before a space ("3.5", "e.g" and "v1.2" do not).
    const endsSentence = other !== undefined && SENTENCE_END.test(other) && (other !== '.' || !/\S/.test(text[lastEnd] ?? ' '));
    if (sentenceEnded && !endsSentence && tokens.length > 0 && sentenceStarts[sentenceStarts.length - 1] !== tokens.length) sentenceStarts.push(tokens.length);
    sentenceEnded = endsSentence;
    if (word) for (const part of canonicalWords(word)) push(tokens, part);
    else if (plus) push(tokens, '+1');
    else if (emoji) push(tokens, emoji);
    else if (other === '?' || other === '¿') push(tokens, '?');
    else if (PAUSE.test(other)) push(tokens, ',');
    else if (PICTOGRAPH.test(other)) push(tokens, '~');
  }
  let dropped = 0;
  while (tokens[dropped] === ',') dropped++;
  if (dropped) tokens.splice(0, dropped);
  const starts = dropped ? sentenceStarts.map((i) => i - dropped).filter((i) => i > 0) : sentenceStarts;
  return { tokens, hasLink, hasCode, truncated, sentenceStarts: starts };
}
