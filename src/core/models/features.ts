/**
 * Features for Hearth's learned recognisers: a message (and, for same-here, the message it
 * answers) becomes a bag of hashed word and character n-grams. Pure, allocation-light and
 * bounded (long messages are read up to MAX_CHARS), so every message can afford it; the
 * four recognisers share one extraction per message.
 *
 * The same function serves training (train/) and live scoring: a change here changes what
 * the weights mean, so FEATURE_VERSION must move with it (the weights file records it).
 */
import { isPlainAscii } from '../text/ascii';

export const FEATURE_VERSION = 2;
/** Messages are read up to this many characters: requests, reports and feelings come first. */
const MAX_CHARS = 600;

/** Namespaces keep word, bigram, character and context features apart in the hash space. */
const NS = {
  word: 0x9e3779b1,
  bigram: 0x85ebca6b,
  char: 0xc2b2ae35,
  first: 0x27d4eb2f,
  last: 0x165667b1,
  shape: 0xd3a2646c,
  parentWord: 0xfd7046c5,
  parentShape: 0xb55a4f09,
  tag: 0x7feb352d,
} as const;

export interface ExtractedFeatures {
  /** Hashed feature ids (before reduction to a model's dimension); duplicates add up. */
  ids: Uint32Array;
  /** How many of `ids` describe the message itself (the rest describe the message it answers). */
  own: number;
  /** How many of `ids` are used. */
  length: number;
}

function fnv(seed: number, s: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2)), 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Lower case, accents folded, markup and numbers reduced to placeholders, chat prefixes dropped. */
/** Whether the text normaliseForModel last read was plain ASCII (then so is what it returned). */
let lastNormalisedAscii = false;

export function normaliseForModel(text: string): string {
  let s = (text ?? '').slice(0, MAX_CHARS * 2);
  // Plain ASCII is its own NFKD form, without combining marks; each markup rewrite runs only
  // when the characters it needs are present (the same result, fewer passes per message).
  const ascii = isPlainAscii(s);
  // (Every rewrite below writes ASCII: plain-ASCII text stays so.)
  lastNormalisedAscii = ascii;
  s = ascii ? s.toLowerCase() : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  // (The backtick is the only one of these quotes in ASCII.)
  if (!ascii || s.includes('`')) s = s.replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'");
  if (s.includes('@')) s = s.replace(/<@[!&]?\w+>|(?:^|\s)@[\w.-]+/g, ' _mention_ ');
  if (s.includes('<#')) s = s.replace(/<#\w+(?:\|[^>]*)?>/g, ' _channel_ ');
  if (s.includes('http') || s.includes('www.')) s = s.replace(/https?:\/\/\S+|www\.\S+/g, ' _url_ ');
  if (s.includes(':')) s = s.replace(/:[a-z0-9_+-]+:/g, (m) => ` ${m} `);
  s = s.replace(/\d+/g, '0');
  if (s.includes("'")) s = s.replace(/'/g, '');
  // IRC and bridged chat address people with "nick:" or "nick," up front: the addressee is not the message.
  s = s.replace(/^\s*[\w|[\]{}^\\-]{1,24}[:,]\s+/, '');
  return s.slice(0, MAX_CHARS);
}

const TOKEN = /\+1|[a-z0-9_]+|[?!]|:[a-z0-9_+-]+:|\p{Extended_Pictographic}/gu;

export function tokensOf(normalised: string): string[] {
  return normalised.match(TOKEN) ?? [];
}

/**
 * Extract features. `parent` is the message this one answers (explicit reply, thread parent,
 * or the question a same-here would validate), when known; only the same-here model reads it.
 * `tags` are extra named features (the phrase rules' verdict).
 */
export function extractFeatures(text: string, parent?: string | null, tags: readonly string[] = []): ExtractedFeatures {
  return withContext(textFeatures(text), parent, tags);
}

/**
 * The features of the message's own text (no tags, no parent): the part every recogniser
 * shares, so callers may extract it once and add each recogniser's context with `withContext`.
 */
export function textFeatures(text: string): ExtractedFeatures {
  return writeTextFeatures(text);
}

/**
 * textFeatures, written into `into` when it is large enough (a new array otherwise): the live
 * path reuses one buffer per message instead of allocating one (typed arrays of this size
 * live outside the heap and cost more to create than to fill).
 */
export function writeTextFeatures(text: string, into?: Uint32Array): ExtractedFeatures {
  const normalised = normaliseForModel(text);
  // The tokens as spans of one string: plain ASCII is cut into tokens in place, anything else
  // by TOKEN, its tokens then joined (the same tokens, so the same hashes).
  let source = normalised;
  let count: number;
  if (lastNormalisedAscii || isPlainAscii(normalised)) {
    count = asciiTokenSpans(normalised);
  } else {
    const tokens = tokensOf(normalised);
    source = tokens.join('');
    count = tokens.length;
    let at = 0;
    for (let i = 0; i < count; i++) {
      SPANS[2 * i] = at;
      at += tokens[i]!.length;
      SPANS[2 * i + 1] = at;
    }
  }
  // Upper bound: words + bigrams + 3 char n-gram sizes per char + shapes.
  let chars = 0;
  for (let i = 0; i < count; i++) chars += SPANS[2 * i + 1]! - SPANS[2 * i]! + 2;
  const capacity = count * 2 + chars * 3 + 16;
  const ids = into && into.length >= capacity ? into : new Uint32Array(Math.max(capacity, 64));
  let n = 0;

  let previous = 0x811c9dc5;
  let first = 0;
  let second = 0;
  let question = false;
  for (let i = 0; i < count; i++) {
    const from = SPANS[2 * i]!;
    const to = SPANS[2 * i + 1]!;
    // The token padded with boundaries (a space each side) into PADDED, and fnv of the token.
    const len = to - from + 2;
    PADDED[0] = SPACE;
    let w = NS.word >>> 0;
    for (let j = from; j < to; j++) {
      const c = source.charCodeAt(j);
      PADDED[j - from + 1] = c;
      w ^= c;
      w = Math.imul(w, 0x01000193);
    }
    PADDED[len - 1] = SPACE;
    w >>>= 0;
    ids[n++] = w;
    ids[n++] = mix(NS.bigram, mix(previous, w));
    previous = w;
    if (i === 0) first = w;
    else if (i === 1) second = w;
    if (len === 3 && PADDED[1] === QUESTION) question = true;
    // Character 3-, 4- and 5-grams of the padded token: typos, stretched letters and unseen
    // inflections still share most of their grams with known words.
    for (let start = 0; start < len; start++) {
      let h = NS.char;
      for (let k = 0; k < 5 && start + k < len; k++) {
        h ^= PADDED[start + k]!;
        h = Math.imul(h, 0x01000193) >>> 0;
        if (k >= 2) ids[n++] = mix(h, k);
      }
    }
  }
  if (count) {
    ids[n++] = mix(NS.bigram, mix(previous, 0x12345678)); // last word + end
    ids[n++] = mix(NS.first, first);
    ids[n++] = mix(NS.last, previous);
    if (count > 1) ids[n++] = mix(NS.first, mix(first, second));
  }
  ids[n++] = mix(NS.shape, Math.min(8, Math.ceil(Math.log2(count + 1))));
  ids[n++] = mix(NS.shape, 100 + Number(question));
  return { ids, own: n, length: n };
}

/** The tokens of plain-ASCII normalised text as writeTextFeatures cuts them (tests compare them with tokensOf). */
export function asciiTokensOf(normalised: string): string[] {
  const count = asciiTokenSpans(normalised);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(normalised.slice(SPANS[2 * i], SPANS[2 * i + 1]));
  return tokens;
}

const SPACE = 32;
const QUESTION = 63;
/**
 * Token spans (start, end pairs) and one padded token, reused from message to message: a
 * normalised message has at most MAX_CHARS characters, so as many tokens, none longer.
 */
const SPANS = new Int32Array(2 * MAX_CHARS + 2);
const PADDED = new Uint16Array(MAX_CHARS + 2);

/** ASCII characters of TOKEN's shortcode body ([a-z0-9_+-]) and words ([a-z0-9_]). */
const SHORTCODE_CHAR = new Uint8Array(128);
const WORD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  SHORTCODE_CHAR[c] = Number(/[a-z0-9_+-]/.test(String.fromCharCode(c)));
  WORD_CHAR[c] = Number(/[a-z0-9_]/.test(String.fromCharCode(c)));
}

/**
 * TOKEN's matches over plain-ASCII text (no pictographs there), as spans in SPANS, without
 * a regex: at each position, in TOKEN's order, "+1", a run of word characters, "?" or "!",
 * or ":" + shortcode characters + ":" (the longest run is the only one a ":" can close);
 * a position where none starts is skipped. Returns how many.
 */
function asciiTokenSpans(s: string): number {
  const n = s.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    let end = -1;
    if (c === 43 /* + */ && s.charCodeAt(i + 1) === 49 /* 1 */) end = i + 2;
    else if (WORD_CHAR[c]) {
      end = i + 1;
      while (end < n && WORD_CHAR[s.charCodeAt(end)]) end++;
    } else if (c === 63 /* ? */ || c === 33 /* ! */) end = i + 1;
    else if (c === 58 /* : */) {
      let j = i + 1;
      while (j < n && SHORTCODE_CHAR[s.charCodeAt(j)]) j++;
      if (j > i + 1 && s.charCodeAt(j) === 58) end = j + 1;
    }
    if (end === -1) {
      i++;
      continue;
    }
    SPANS[2 * count] = i;
    SPANS[2 * count + 1] = end;
    count++;
    i = end;
  }
  return count;
}

/** The text's features followed by tags and the parent's features, in extractFeatures's order. */
export function withContext(base: ExtractedFeatures, parent?: string | null, tags: readonly string[] = []): ExtractedFeatures {
  const context = contextFeatures(parent, tags);
  const ids = new Uint32Array(base.own + context.length);
  ids.set(base.ids.subarray(0, base.own));
  ids.set(context.ids.subarray(0, context.length), base.own);
  return { ids, own: base.own + context.own, length: base.own + context.length };
}

/**
 * The context part of withContext alone (tags, then the parent's features), written into
 * `into` when it is large enough: scored after a text's own features, it adds up the same.
 */
export function contextFeatures(parent?: string | null, tags: readonly string[] = [], into?: Uint32Array): ExtractedFeatures {
  const parentTokens = parent ? tokensOf(normaliseForModel(parent)).slice(0, 40) : null;
  const size = tags.length + (parentTokens ? parentTokens.length + 1 : 1);
  const ids = into && into.length >= size ? into : new Uint32Array(size);
  let n = 0;
  // Tags: what a recogniser's phrase rules concluded, so the model learns how far to trust them.
  for (const tag of tags) ids[n++] = fnv(NS.tag, tag);
  const own = n;
  if (parentTokens) {
    ids[n++] = mix(NS.parentShape, 1 + Number(parentTokens.includes('?')));
    for (const t of parentTokens) ids[n++] = mix(NS.parentWord, fnv(NS.word, t));
  } else {
    ids[n++] = mix(NS.parentShape, 0);
  }
  return { ids, own, length: n };
}
