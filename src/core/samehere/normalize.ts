/**
 * Text normalisation for the same-here recogniser: chat text becomes a list of plain tokens
 * (lowercase, no accents, no apostrophes, common typos fixed), with punctuation reduced to
 * two markers (`,` a pause, `?` a question), emoji reduced to `👍` / `➕` / `🙋` or `~`
 * (any other emoji), and platform markup (mentions, links, code) removed but remembered.
 */

export interface NormalisedText {
  tokens: string[];
  hasLink: boolean;
  hasCode: boolean;
  /** The text was cut (very long messages always carry content). */
  truncated: boolean;
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
const STRETCHABLE = ['same', 'here', 'too', 'issue', 'problem', 'error', 'happening', 'me', 'also', 'mine', 'ditto', 'idem', 'pareil', 'aussi', 'auch', 'igual', 'tambien', 'tambem', 'mismo', 'mesmo'];
const collapse = (word: string) => word.replace(/(.)\1+/g, '$1');
const STRETCHED = new Map(STRETCHABLE.map((w) => [collapse(w), w]));

function canonicalWord(word: string): string {
  if (TYPOS[word]) return TYPOS[word];
  const collapsed = collapse(word);
  // "to" collapses from "too" but is a word of its own: only stretched forms ("tooo") map.
  if (collapsed === 'to') return word.length > 2 ? 'too' : word;
  if (collapsed === 'me') return 'me';
  return STRETCHED.get(collapsed) ?? TYPOS[collapsed] ?? word;
}

const SAME_EMOJI: Array<[RegExp, string]> = [
  [/^👍/u, '👍'],
  [/^➕/u, '➕'],
  [/^🙋/u, '🙋'],
];

/** Normalise chat text into tokens (see the module comment). Never throws. */
export function normaliseText(input: string): NormalisedText {
  const truncated = input.length > MAX_READ;
  let text = input.slice(0, MAX_READ);
  const hasCode = /```|`[^`\n]+`/.test(text);
  text = text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const hasLink = /\bhttps?:\/\/|\bwww\.\S/i.test(text);
  text = text.replace(/<?\bhttps?:\/\/[^\s>]+>?/gi, ' ').replace(/\bwww\.\S+/gi, ' ');
  // Platform markup: user/channel/role mentions, Slack specials, Discord custom emoji.
  text = text.replace(/<a?:[\w~-]+:\d+>/g, ' ~ ').replace(/<[@#!][^>\s]*>/g, ' ');
  // Shortcodes: the same-here ones become their emoji, any other becomes a neutral emoji.
  text = text.replace(/:([a-z0-9_+-]{1,40})(?:::skin-tone-\d)?:/gi, (_m, code: string) => ` ${SHORTCODES[code.toLowerCase()] ?? '~'} `);
  // Leading @name mentions ("@sam same here").
  text = text.replace(/^(\s*[@\uFF20][\p{L}\p{N}_.-]+[,:]?)+/u, ' ');
  text = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, (mark) => (mark === '\u20e3' ? mark : ''))
    .replace(/['’‘`´ʼ]/g, '');

  const tokens: string[] = [];
  const push = (token: string) => {
    if (token === ',' && (tokens.length === 0 || tokens[tokens.length - 1] === ',')) return;
    tokens.push(token);
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const word = rest.match(/^[\p{L}\p{N}]+/u);
    if (word) {
      for (const part of canonicalWord(word[0]).split(' ')) push(part);
      i += word[0].length;
      continue;
    }
    const plus = rest.match(/^(\+\s?1[0]*|\+\+)(?![\p{L}\p{N}])/u);
    if (plus) {
      push('+1');
      i += plus[0].length;
      continue;
    }
    const emoji = SAME_EMOJI.find(([re]) => re.test(rest));
    if (emoji) {
      push(emoji[1]);
      // Skip the modifiers that follow (skin tones, gender, variation selectors, joiners).
      const cluster = rest.match(/^.[\u{1F3FB}-\u{1F3FF}\uFE0F\u200D\u2640\u2642]*/u);
      i += cluster ? cluster[0].length : 1;
      continue;
    }
    const ch = String.fromCodePoint(rest.codePointAt(0)!);
    if (ch === '?' || ch === '¿') push('?');
    else if (/[,;:.!¡…\-–—()[\]/|]/.test(ch)) push(',');
    else if (/\p{Extended_Pictographic}/u.test(ch)) push('~');
    i += ch.length;
  }
  while (tokens[0] === ',') tokens.shift();
  return { tokens, hasLink, hasCode, truncated };
}
