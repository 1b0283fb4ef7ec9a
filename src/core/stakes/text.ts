/**
 * Text normalisation shared by the lexical recognisers (stakes, wants-human, risk): lower
 * case, accents folded, typographic quotes made plain, whitespace collapsed, and a length
 * cap so a hostile huge message costs the same as a normal one.
 */
import { isPlainAscii } from '../text/ascii';

/** Normalised text is cut at this length. */
export const MATCHING_MAX_CHARS = 4000;
const MAX_CHARS = MATCHING_MAX_CHARS;

// Stakes, wants-human and the risk lexicon normalise the same message in turn: remember the last one.
let lastText: string | null = null;
let lastNormalized = '';

export function normalizeForMatching(text: string): string {
  if (text !== lastText) {
    lastNormalized = normalize(text);
    lastText = text;
  }
  return lastNormalized;
}

/** Whitespace other than a single space: a run \s+ would replace with something else. */
const ODD_SPACE = /[^\S ]| {2}/;

function normalize(text: string): string {
  const head = text.slice(0, MAX_CHARS * 2);
  // Plain ASCII has no accents, typographic quotes or zero-width characters, and is its own
  // NFKD form: only case, backticks and whitespace change (the same result, fewer passes).
  if (isPlainAscii(head)) {
    const lower = head.toLowerCase();
    const plain = lower.includes('`') ? lower.replace(/`/g, "'") : lower;
    // Collapsing whitespace changes nothing where every run of it is one space (most messages).
    return (ODD_SPACE.test(plain) ? plain.replace(/\s+/g, ' ') : plain).trim().slice(0, MAX_CHARS);
  }
  return head
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_CHARS);
}
