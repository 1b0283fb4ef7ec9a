/**
 * Lexical risk flags: frustration, conflict and distress, from a small word list. This is
 * the offline fallback for AI risk classification and the single lexicon the `classify`
 * CLI should use (no second copy). Flags are for a moderator's judgement, never for action,
 * so the list favours clear phrases over recall; `strength` says how clear a hit is.
 *
 * A category is flagged on one strong hit or two distinct weak hits.
 */

export type RiskCategory = 'frustration' | 'conflict' | 'distress';

export const RISK_CATEGORIES: readonly RiskCategory[] = ['distress', 'conflict', 'frustration'];

export interface RiskFlag {
  category: RiskCategory;
  /** Every phrase that matched (normalised, lowercase). */
  terms: string[];
  /** The sentence holding the clearest hit, as the member wrote it (not neutralised: quote it). */
  evidence: string;
  strength: 'strong' | 'weak';
}

interface Entry {
  category: RiskCategory;
  strength: 'strong' | 'weak';
  pattern: RegExp;
}

const entry = (category: RiskCategory, strength: 'strong' | 'weak', source: string): Entry => ({
  category,
  strength,
  pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'giu'),
});

const LEXICON: Entry[] = [
  // Distress: the member may be in danger or struggling. Strong phrases are explicit.
  entry('distress', 'strong',
    "kill(?:ing)? myself|end(?:ing)? (?:it all|my life)|take my (?:own )?life|(?:want|wanna|going) to die|suicid(?:e|al)|self[- ]?harm(?:ing)?|hurt(?:ing)? myself|" +
    "no (?:reason|point) (?:to|in) (?:live|living|going on)|better off (?:dead|without me)|can'?t go on|" +
    "don'?t want to (?:live|be alive|be here|exist)(?: anymore)?|quiero morir|me quiero matar|je veux mourir|me suicider|ich will sterben"),
  entry('distress', 'weak',
    "hopeless|worthless|i'?m not ok(?:ay)?|panic attacks?|can'?t cope|falling apart|breaking down|so alone|all alone|nobody cares|" +
    "can'?t take (?:it|this) anymore|burn(?:ed|t) out|crying|overwhelmed|give up on everything"),
  // Conflict: members turning on each other (or on the team).
  entry('conflict', 'strong',
    "shut up|stfu|screw you|f(?:u|\\*+)ck (?:you|off)|go to hell|get lost|" +
    "you(?:'re| are) (?:an? |such an? |so )?(?:idiot|moron|stupid|clueless|pathetic|incompetent|useless|joke|liar|clown)|" +
    "learn to read|nobody asked you|who asked you|how dare you"),
  entry('conflict', 'weak',
    "idiots?|morons?|stupid|dumb|pathetic|clowns?|you always|you never|that'?s (?:a )?(?:lie|bs|bullshit)|gaslighting|you people|trolls?|toxic"),
  // Frustration: someone is losing patience (often with no answer or a broken product).
  entry('frustration', 'strong',
    "this is (?:ridiculous|unacceptable|a joke|insane|absurd)|what a joke|(?:so|really|extremely|very|getting|beyond) (?:frustrated|annoyed|fed up|pissed off|pissed)|" +
    "fed up|sick (?:and tired )?of|waste of (?:my )?time|(?:third|fourth|fifth|tenth|\\d+(?:st|nd|rd|th)) time (?:i'?(?:ve|m)? )?(?:have )?(?:ask|asked|asking|report|reported|reporting)|" +
    "(?:still|again) (?:broken|not working|no answer|no response|no reply)|nobody (?:is )?(?:answering|responding|helping|replies|answers|responds|helps)|" +
    "(?:worst|terrible|awful|useless|garbage) (?:support|service|product|app|experience|community)|i'?m (?:done|leaving|quitting) (?:with|here)|wtf|ffs"),
  entry('frustration', 'weak', "frustrat(?:ed|ing|ion)|annoy(?:ed|ing)|ugh+|argh+|seriously\\?+|come on|unbelievable|still waiting|any(?:one|body)\\?{2,}"),
];

/** Joking context that turns "kill myself" or "wtf" into a figure of speech. */
const JOKE = /(?<![\p{L}])(?:lol|lmao|rofl|haha\w*|jk|laughing)(?![\p{L}])|😂|🤣|😆/iu;

function normalise(text: string): string {
  return text.normalize('NFKC').replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u200b-\u200f\u2060]/g, '');
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?\n])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
}

/** Shouting: several long words in capitals making up most of the letters. */
function shouting(sentence: string): boolean {
  const words = sentence.match(/\p{L}{4,}/gu) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  return caps.length >= 3 && caps.length / words.length >= 0.6;
}

/** Lexical risk flags of a text (pure, total: any string in, flags out, strongest first). */
export function lexicalRiskFlags(text: string): RiskFlag[] {
  if (typeof text !== 'string' || !text.trim()) return [];
  const parts = sentences(normalise(text.slice(0, 8000)));
  const hits = new Map<RiskCategory, { terms: Set<string>; strong: boolean; evidence: string; weakCount: number }>();
  const note = (category: RiskCategory, strength: 'strong' | 'weak', term: string, sentence: string) => {
    const found = hits.get(category) ?? { terms: new Set<string>(), strong: false, evidence: sentence, weakCount: 0 };
    if (!found.terms.has(term)) {
      found.terms.add(term);
      if (strength === 'weak') found.weakCount += 1;
    }
    if (strength === 'strong' && !found.strong) {
      found.strong = true;
      found.evidence = sentence;
    }
    hits.set(category, found);
  };
  for (const sentence of parts) {
    const joking = JOKE.test(sentence);
    for (const { category, strength, pattern } of LEXICON) {
      // "wtf lol", "kill myself laughing 😂": amusement, not frustration or distress.
      if (category !== 'conflict' && joking) continue;
      for (const match of sentence.matchAll(pattern)) note(category, strength, match[0].toLowerCase(), sentence);
    }
    // Intensity (capitals, "!!!") is one weak signal: enthusiasm looks the same on its own.
    if (!joking && (shouting(sentence) || /!{3,}/.test(sentence))) note('frustration', 'weak', 'intensity', sentence);
  }
  const flags: RiskFlag[] = [];
  for (const category of RISK_CATEGORIES) {
    const found = hits.get(category);
    if (!found || (!found.strong && found.weakCount < 2)) continue;
    flags.push({ category, terms: [...found.terms], evidence: found.evidence, strength: found.strong ? 'strong' : 'weak' });
  }
  return flags;
}
