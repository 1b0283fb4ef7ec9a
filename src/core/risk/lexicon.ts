/**
 * The risk lexicon: the one word list behind both lexical risk views.
 *
 * - `lexicalRiskFlags`: what the risk feature reports to moderators (frustration, conflict,
 *   distress), with evidence and strength; the offline fallback for AI risk classification.
 *   It pings people, so it favours clear phrases over recall: a category is flagged on one
 *   strong hit or two distinct weak hits.
 * - `riskFlags`: the `classify` CLI's flags (frustration, anger, distress, conflict; a
 *   contract other tools read), a hint for a person reviewing text: any hit counts, hints
 *   included. Tuned on GoEmotions train, scored on dev (bench/stakes/README.md).
 *
 * Flags are for a person's judgement, never a reason for automated action.
 */
import { modelSays } from '../models';
import { classPrefilter, STAKES_PATTERNS } from '../stakes/classes';
import { MATCHING_MAX_CHARS, normalizeForMatching } from '../stakes/text';
import { isPlainAscii } from '../text/ascii';

/** Every category the lexicon knows; `anger` is the CLI's only (moderators see conflict or frustration). */
export const RISK_FLAGS = ['frustration', 'anger', 'distress', 'conflict'] as const;
export type RiskFlagName = (typeof RISK_FLAGS)[number];

/** The categories the risk feature reports, in the order moderators read them. */
export type RiskCategory = Exclude<RiskFlagName, 'anger'>;
export const RISK_CATEGORIES: readonly RiskCategory[] = ['distress', 'conflict', 'frustration'];

/**
 * How clear a hit is, per view (moderators = lexicalRiskFlags, CLI = riskFlags):
 * - strong: flags on its own in both;
 * - weak: moderators need a second distinct weak or cue hit; the CLI flags on it alone;
 * - cue: tone only ("ugh", "!!!"): counts as weak for moderators, ignored by the CLI (alone
 *   it is noise on GoEmotions, and with company the company flags);
 * - hint: CLI only: too common in ordinary chat to ping anyone, but worth a look.
 */
type Strength = 'strong' | 'weak' | 'cue' | 'hint';

export interface RiskFlag {
  category: RiskCategory;
  /** Every phrase that matched (normalised, lowercase). */
  terms: string[];
  /** The sentence holding the clearest hit, as the member wrote it (not neutralised: quote it). */
  evidence: string;
  strength: 'strong' | 'weak';
}

interface Entry {
  /** What a match shows, and how clearly; a phrase can show more than one thing ("shut up": conflict and anger). */
  weights: Partial<Record<RiskFlagName, Strength>>;
  pattern: RegExp;
  /** One of the stakes map's distress patterns, behind that class's prefilter (words it needs one of). */
  stakes?: boolean;
  /** The phrases of an `entry` (word-bounded), gathered into ANY_ENTRY. */
  source?: string;
  /** What a hit counts for, by view (`withHints`) and joking (index: 2 * withHints + joking), computed once. */
  counted?: [RiskFlagName, Strength][][];
}

const entry = (weights: Entry['weights'], source: string): Entry => ({
  weights,
  source,
  // The lookahead first lets the engine skip positions where no phrase starts, instead of
  // running the lookbehind at every one; what matches is unchanged.
  pattern: new RegExp(`(?=${source})(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'gu'),
});

const YOU_ARE = "you(?:'re| are| r) (?:an? |such an? |so |being )?";

// Patterns match normalizeForMatching's output: lower case, accents folded, plain apostrophes.
const LEXICON: Entry[] = [
  // Distress: the member may be in danger or struggling. The stakes map's distress patterns
  // (which escalate to a person) are the strong core, so the two never disagree.
  ...STAKES_PATTERNS.distress.map((p): Entry => ({ weights: { distress: 'strong' }, pattern: new RegExp(p.source, `${p.flags.replace('g', '')}g`), stakes: true })),
  entry({ distress: 'strong' }, "going to die|no (?:reason|point) (?:to|in) (?:live|living|going on)|better off without me|don'?t want to be here|me quiero matar"),
  entry({ distress: 'weak' },
    "hopeless|worthless|i'?m not ok(?:ay)?|can'?t cope|falling apart|breaking down|so alone|all alone|" +
    "can'?t take (?:it|this) anymore|burn(?:ed|t) out|crying|overwhelmed|give up on everything"),
  entry({ distress: 'weak', frustration: 'hint' }, '(?:nobody|no one) cares'),
  entry({ distress: 'hint' },
    "scared|afraid|terrified|frightened|fear|fearful|anxious|anxiety|nervous|worried|panic\\w*|depress(?:ed|ion|ing)|lonely|isolated|cried|tears|" +
    "heartbroken|heartbreaking|devastat\\w*|grief|grieving|mourn\\w*|passed away|died|funeral|" +
    "lost my (?:mom|mother|dad|father|son|daughter|wife|husband|brother|sister|friend|grandma|grandpa|dog|cat|job)|miserable|broke down|" +
    "sad|sadly|sadness|hurts|hurting|painful|suffer(?:ing)?|condolences|sorry for your loss|horrible|terrible|dread(?:ing)?|stressed|" +
    "struggling to|helpless|trauma\\w*|heartache"),

  // Conflict: members turning on each other (or on the team).
  entry({ conflict: 'strong', anger: 'hint' }, "shut (?:the \\w+ )?up|stfu|screw you|f(?:u|\\*+)ck (?:you|off)|go to hell|how dare you"),
  entry({ conflict: 'strong' },
    `get lost|${YOU_ARE}(?:idiot|moron|stupid|clueless|pathetic|incompetent|useless|joke|liar|clown)|learn to read|(?:nobody|no one|who) asked you`),
  entry({ conflict: 'cue', anger: 'hint' }, 'moron\\w*|pathetic'),
  entry({ conflict: 'cue', frustration: 'weak' }, 'idiot\\w*|stupid|dumb'),
  entry({ conflict: 'weak' }, "you always|you never|you people|that'?s (?:a )?(?:lie|bs|bullshit)"),
  // Words about people that Reddit mostly uses in passing ("troll account"): company needed.
  entry({ conflict: 'cue' }, 'clowns?|gaslighting|trolls?|toxic'),
  entry({ conflict: 'hint' },
    `${YOU_ARE}(?:wrong|lying|troll|trolling|dumb|ignorant|delusional|toxic|rude|disgusting|insane|crazy|the problem)|` +
    "(?:nobody|no one) asked|f\\w*k (?:you|off)|go away|stop (?:lying|trolling|being)|blocked you|reported you|reporting you|you started it|back off|" +
    "mind your own|did you even read|what(?:'?s| is) wrong with you|grow up|cry more|cope|ratio|l \\+ ratio|take that back|say that again|fight me|calm down"),

  // Anger: the CLI's only (hints); the feature reads the targeted kind as conflict above.
  entry({ anger: 'hint' },
    "angry|anger|furious|fuming|livid|enraged|outraged|infuriat\\w*|hate|hated|hates|hating|loathe|despise|disgust(?:ed|ing|s)?|vile|revolting|sickening|awful|" +
    "f+u+c+k+\\w*|fck\\w*|bitch\\w*|bastard\\w*|asshole\\w*|dickhead|screw (?:this|them|that)|cunt|wanker|twat|prick|shame on|how dare|worst"),

  // Frustration: someone is losing patience (often with no answer or a broken product).
  entry({ anger: 'hint', frustration: 'cue' }, 'wtf'),
  entry({ frustration: 'strong' },
    "this is (?:ridiculous|unacceptable|a joke|insane|absurd)|what a joke|(?:so|really|extremely|very|getting|beyond) (?:frustrated|annoyed|fed up|pissed off|pissed)|" +
    "fed up|sick (?:and tired )?of|waste of (?:my )?(?:time|money)|(?:third|fourth|fifth|tenth|\\d+(?:st|nd|rd|th)) time (?:i'?(?:ve|m)? )?(?:have )?(?:ask|asked|asking|report|reported|reporting)|" +
    "(?:still|again) (?:broken|not working|no answer|no response|no reply)|(?:nobody|no one) (?:is )?(?:answering|responding|helping|replies|answers|responds|helps)|" +
    "(?:worst|terrible|awful|useless|garbage) (?:support|service|product|app|experience|community)|i'?m (?:done|leaving|quitting) (?:with|here)|ffs"),
  entry({ frustration: 'weak' }, "frustrat\\w*|annoy(?:ed|ing|s|ance)?|irritat(?:ed|ing)|argh+|still waiting"),
  entry({ frustration: 'cue' }, "ugh+|seriously\\?+|come on|unbelievable|any(?:one|body)\\?{2,}"),
  entry({ frustration: 'hint' },
    "tired of|so over (?:it|this)|ridiculous|unacceptable|absurd|useless|pointless|pissed(?: off)?|bullshit|sucks|" +
    "still (?:doesn'?t work|down)|yet again|(?:how many|so many) times|every single time|for the (?:\\d+(?:st|nd|rd|th)|second|third|fourth|fifth|nth|hundredth) time|" +
    "nothing works|never works|doesn'?t even work|keeps? (?:happening|breaking|crashing|failing)|facepalm|give me a break|jfc|" +
    "i (?:give up|quit)|can'?t believe (?:this|it|how|that)|what(?:'?s| is) the point"),
];

// "wtf lol", "kill myself laughing 😂": amusement, not frustration or distress (a joke can still wound).
for (const e of LEXICON) {
  e.counted = [false, true].flatMap((withHints) =>
    [false, true].map((joking) =>
      (Object.entries(e.weights) as [RiskFlagName, Strength][]).filter(([c, s]) => (withHints || s !== 'hint') && (!joking || c === 'conflict')),
    ),
  );
}

/**
 * Every `entry` phrase in one regex: it matches exactly when at least one entry does (each
 * alternative is tried with backtracking, as in its own regex). Most sentences hold none,
 * and one pass of this gate replaces a pass of each entry.
 */
const ANY_ENTRY = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${LEXICON.flatMap((e) => (e.source === undefined ? [] : [`(?:${e.source})`])).join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);

/**
 * ANY_ENTRY for plain-ASCII text, where the letters and digits are A-Z, a-z and 0-9: it
 * matches the same texts (the character before a phrase is matched instead of looked behind
 * at), without the Unicode flag's cost. Read on a whole plain-ASCII message, it lets
 * through every message one of whose sentences ANY_ENTRY matches (see mayHoldEntries), for
 * phrases that only read the characters they match: an entry with a lookaround or an anchor
 * (a sentence's end is not the message's), or with non-ASCII or a Unicode escape, leaves the
 * gate off, and every sentence is read.
 */
const ENTRY_SOURCES = LEXICON.flatMap((e) => (e.source === undefined ? [] : [e.source]));
const ENTRY_GATE = ENTRY_SOURCES.some((source) => /\(\?<?[=!]|[$^]|\\[pPuk]|[^\x00-\x7f]/.test(source))
  ? undefined
  : new RegExp(`(?:^|[^A-Za-z0-9])(?:${ENTRY_SOURCES.map((source) => `(?:${source})`).join('|')})(?![A-Za-z0-9])`);

/**
 * Whether a sentence of `head` (the scanned part of a message) may hold a lexicon hit. For
 * plain ASCII, normalise() changes nothing, and a sentence is a run of the text between
 * whitespace; normalizeForMatching maps it character by character (lower case, backticks)
 * and collapses whitespace, so the normalised sentence is a part of the normalised message
 * (unless that was cut). A sentence with a hit then has one of the stakes distress
 * prefilter's strings, or a match of ENTRY_GATE, and so has the message.
 */
function mayHoldEntries(head: string): boolean {
  const gate = wholeGate();
  if (!gate || !isPlainAscii(head)) return true;
  const whole = normalizeForMatching(head);
  return whole.length >= MATCHING_MAX_CHARS || gate.test(whole);
}

/** ENTRY_GATE or the stakes distress prefilter, in one pass (both read lower-case text, case-sensitively). */
let whole: { gate: RegExp | undefined } | null = null;
function wholeGate(): RegExp | undefined {
  if (!whole) {
    const stakes = classPrefilter('distress');
    whole = { gate: ENTRY_GATE && stakes && !stakes.flags ? new RegExp(`${ENTRY_GATE.source}|${stakes.source}`) : undefined };
  }
  return whole.gate;
}

/** Joking context that turns "kill myself" or "wtf" into a figure of speech. */
const JOKE = /(?<![\p{L}])(?:lol|lmao|rofl|haha\w*|jk|laughing)(?![\p{L}])|😂|🤣|😆/iu;

function normalise(text: string): string {
  // Plain ASCII is its own NFKC form, with no typographic quotes or zero-width characters.
  if (isPlainAscii(text)) return text;
  return text.normalize('NFKC').replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u200b-\u200f\u2060]/g, '');
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?\n])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
}

/** Shouting: several words in capitals making up most of the letters. */
function shouting(sentence: string): boolean {
  // Nothing that lower case changes, so no word in capitals (most sentences): no regex pass.
  if (sentence.toLowerCase() === sentence) return false;
  if (isPlainAscii(sentence)) return shoutingAscii(sentence);
  const words = sentence.match(/\p{L}{4,}/gu) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  return caps.length >= 3 && caps.length / words.length >= 0.6;
}

/** shouting() for plain ASCII, where the letters are A-Z and a-z: one pass, no word list. */
function shoutingAscii(sentence: string): boolean {
  let words = 0;
  let caps = 0;
  let run = 0;
  let lower = false;
  for (let i = 0; i <= sentence.length; i++) {
    const c = i < sentence.length ? sentence.charCodeAt(i) : 0;
    const isLower = c >= 97 && c <= 122;
    if (isLower || (c >= 65 && c <= 90)) {
      run++;
      lower ||= isLower;
      continue;
    }
    if (run >= 4) {
      words++;
      if (!lower) caps++;
    }
    run = 0;
    lower = false;
  }
  return caps >= 3 && caps / words >= 0.6;
}

/**
 * Whether a sentence of plain-ASCII `head` may shout: shouting needs three words in capitals
 * (runs of 4+ letters without a lower-case one), and a sentence's words are words of the text.
 */
function mayShout(head: string): boolean {
  let caps = 0;
  let run = 0;
  let lower = false;
  for (let i = 0; i <= head.length; i++) {
    const c = i < head.length ? head.charCodeAt(i) : 0;
    const isLower = c >= 97 && c <= 122;
    if (isLower || (c >= 65 && c <= 90)) {
      run++;
      lower ||= isLower;
      continue;
    }
    if (run >= 4 && !lower && ++caps >= 3) return true;
    run = 0;
    lower = false;
  }
  return false;
}

interface Hit {
  category: RiskFlagName;
  strength: Strength;
  term: string;
  sentence: string;
}

/**
 * Every lexicon hit of a text, sentence by sentence; `withHints` false skips the hint tier (the
 * hot path). `gated` false reads every sentence whatever the whole-message gates say (tests).
 */
function scan(text: string, withHints: boolean, gated = true): Hit[] {
  if (typeof text !== 'string' || !text.trim()) return [];
  const head = text.slice(0, 8000);
  // Most messages hold no phrase of the lexicon anywhere: then only intensity and shouting
  // can be found, and a message without capitals or "!!!" has neither.
  const entries = !gated || mayHoldEntries(head);
  if (gated && !entries && !head.includes('!!!') && !mayShout(head)) return [];
  const hits: Hit[] = [];
  for (const sentence of sentences(normalise(head))) {
    const joking = JOKE.test(sentence);
    const matchable = entries ? normalizeForMatching(sentence) : '';
    // Each gate is read once per sentence (the stakes entries share theirs); most sentences pass none.
    const anyEntry = entries && ANY_ENTRY.test(matchable);
    const anyStakes = entries && (classPrefilter('distress')?.test(matchable) ?? true);
    for (const { pattern, stakes, source, counted: byView } of anyEntry || anyStakes ? LEXICON : []) {
      const counted = byView![2 * Number(withHints) + Number(joking)]!;
      if (!counted.length || (source !== undefined && !anyEntry) || (stakes && !anyStakes)) continue;
      // Most sentences match no entry: a plain test first spares matchAll's copy of the regex.
      pattern.lastIndex = 0;
      if (!pattern.test(matchable)) continue;
      pattern.lastIndex = 0;
      for (const match of matchable.matchAll(pattern)) {
        for (const [category, strength] of counted) hits.push({ category, strength, term: match[0], sentence });
      }
    }
    if (joking) continue;
    const shouts = shouting(sentence);
    // Intensity (capitals, "!!!") is one weak signal: enthusiasm looks the same on its own.
    if (shouts || /!{3,}/.test(sentence)) hits.push({ category: 'frustration', strength: 'cue', term: 'intensity', sentence });
    // Shouting reads as anger in GoEmotions: worth a look, never enough to ping anyone.
    if (shouts && withHints) hits.push({ category: 'anger', strength: 'hint', term: 'shouting', sentence });
  }
  return hits;
}

/** The risk feature's view: flags for moderators (pure, total: any string in, flags out, strongest first). */
export function lexicalRiskFlags(text: string, thresholds: RiskThresholds = {}): RiskFlag[] {
  const found = new Map<RiskFlagName, { terms: Set<string>; strong: boolean; evidence: string; weakCount: number }>();
  // One scan serves both: moderators' view is the CLI's without its hints (the same hits in the same order).
  const withHints = scan(text, true);
  const hits = withHints.filter((h) => h.strength !== 'hint');
  // The learned distress model is one weak hit for moderators: with a phrase beside it, it flags.
  if (modelSays('distress', text ?? '', thresholds.distress, null, distressTags(withHints))) hits.push({ category: 'distress', strength: 'weak', term: 'distress (learned model)', sentence: (text ?? '').slice(0, 300) });
  for (const { category, strength, term, sentence } of hits) {
    const seen = found.get(category) ?? { terms: new Set<string>(), strong: false, evidence: sentence, weakCount: 0 };
    if (!seen.terms.has(term)) {
      seen.terms.add(term);
      if (strength !== 'strong') seen.weakCount += 1;
    }
    if (strength === 'strong' && !seen.strong) {
      seen.strong = true;
      seen.evidence = sentence;
    }
    found.set(category, seen);
  }
  const flags: RiskFlag[] = [];
  for (const category of RISK_CATEGORIES) {
    const seen = found.get(category);
    if (!seen || (!seen.strong && seen.weakCount < 2)) continue;
    flags.push({ category, terms: [...seen.terms], evidence: seen.evidence, strength: seen.strong ? 'strong' : 'weak' });
  }
  return flags;
}

/**
 * The classify CLI's view: every flag with any hit, in RISK_FLAGS order. Distress also comes
 * from the learned model (GoEmotions fear, grief, nervousness, sadness; crisis phrases).
 */
export function riskFlags(text: string, thresholds: RiskThresholds = {}): RiskFlagName[] {
  const hits = scan(text ?? '', true);
  // Distress: the model (which reads the word list's hits as features), or crisis wording
  // (the stakes map's distress patterns: policy the model cannot overrule). A passing "sad"
  // or "worried" alone is not distress (on GoEmotions dev, hints alone: precision 0.54).
  const distress = modelSays('distress', text ?? '', thresholds.distress, null, distressTags(hits)) || hits.some((h) => h.category === 'distress' && h.strength === 'strong');
  return RISK_FLAGS.filter((flag) => (flag === 'distress' && distress) || (flag !== 'distress' && hits.some((h) => h.category === flag && h.strength !== 'cue')));
}

/** What the word list found, as features for the distress model (training passes the same). */
function distressTags(hits: Hit[]): string[] {
  const found = new Set(hits.filter((h) => h.category === 'distress' || h.category === 'anger').map((h) => `lex:${h.category}:${h.strength}`));
  return found.size ? [...found].sort() : ['lex:none'];
}

/** Every hit of the word list, as `category:strength:term` (tests: `gated` false reads every sentence in full). */
export function lexiconHits(text: string, gated = true): string[] {
  return scan(text, true, gated).map((h) => `${h.category}:${h.strength}:${h.term}:${h.sentence}`);
}

/** The word list's distress evidence as model tags, for training (see distressTags). */
export function distressLexiconTags(text: string): string[] {
  return distressTags(scan(text ?? '', true));
}

/** Per-community thresholds of the learned parts (undefined: the model's default). */
export interface RiskThresholds {
  distress?: number | null;
}
