/**
 * Small recognisers for the related feature: is this a question worth looking up, is it an
 * "am I the only one?" message, and is a reaction an accepted-answer mark.
 */

const QUESTION_START =
  /^(how|what|why|where|when|which|who|whom|whose|is|are|am|was|were|do|does|did|can|could|should|would|will|has|have|had|any|anyone|anybody|is there|help)\b/i;

/** A message that asks something: a question mark, or a sentence opening like a question. */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (t.length < 8) return false;
  return /\?/.test(t) || QUESTION_START.test(t);
}

const NOT_ALONE = [
  /\bam\s+i\s+the\s+only\s+one\b/i,
  /\b(is\s+)?(any\s*one|any\s*body|someone|somebody)\s+else\b/i,
  /\bis\s+it\s+(just|only)\s+me\b/i,
  /\bjust\s+me\s*(\?|,|or\b)/i,
  /\bdoes\s+this\s+happen\s+to\s+(any\s*one|every\s*one|others)\b/i,
];
// Filler of those phrasings, dropped so the search looks for the problem itself.
const NOT_ALONE_FILLER =
  /\b(am\s+i\s+the\s+only\s+one|is\s+it\s+(just|only)\s+me|just\s+me|any\s*one|any\s*body|someone|somebody|else|others?|every\s*one|seeing|having|getting|experiencing|noticing|facing|who\s+is|who's|or|happen(s|ing)?\s+to)\b/gi;

/** The problem an "am I the only one / anyone else / is it just me" message is about, or undefined. */
export function notAloneTopic(text: string): string | undefined {
  if (!NOT_ALONE.some((re) => re.test(text))) return undefined;
  const topic = text.replace(NOT_ALONE_FILLER, ' ').replace(/\s+/g, ' ').trim();
  return /[\p{L}\p{N}]{3}/u.test(topic) ? topic : undefined;
}

const ACCEPT_EMOJI = new Set(['✅', '✔️', '✔', '☑️', '☑', 'white_check_mark', 'heavy_check_mark', 'ballot_box_with_check']);

/** A reaction that marks an answer as the accepted one (when the asker adds it). */
export function isAcceptReaction(emoji: string): boolean {
  return ACCEPT_EMOJI.has(emoji.trim().replace(/^:|:$/g, ''));
}
