/**
 * Plain-text classifiers for relationship signals. Deliberately simple, explainable rules
 * (documented in docs/metrics.md) rather than a model: moderators must be able to predict
 * what counts. Every function is pure and safe on any input (huge, empty, odd Unicode).
 */

import { isPlainAscii } from '../../text/ascii';

/** Longest text the classifiers look at: signals are about the opening of a message. */
const MAX_SCAN = 2000;

const prep = (text: string) =>
  text
    .slice(0, MAX_SCAN)
    .replace(/```[\s\S]*?```/g, ' ') // code blocks: their `?` and words are not the question
    .replace(/`[^`]*`/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ') // URLs carry `?` query strings
    .replace(/<[@#!][^>]*>/g, ' ') // platform mentions
    .trim();

const INTERROGATIVE =
  /^(?:@?[\p{L}\p{N}_.-]+[:,]\s*)?(how|what|why|where|when|which|who|whom|whose|is|are|am|was|were|can|could|would|should|shall|does|do|did|has|have|had|will|may|might|must|anyone|anybody|somebody|someone|any idea|any ideas)\b/iu;
const HELP_SEEKING =
  /\b(help|stuck|error|exception|crash(?:es|ed|ing)?|fails?|failing|failed|broken|doesn'?t work|does not work|isn'?t working|not working|won'?t|can'?t|cannot|unable to|how to|how do i|no idea how|wondering|trying to figure)\b/i;

/**
 * A question: a message that asks something or asks for help — it contains a question mark
 * (outside code and links), opens with an interrogative ("how", "does", "anyone", ...), or
 * describes a problem ("stuck", "error", "doesn't work", "can't", "how to").
 */
export function isQuestion(text: string): boolean {
  const t = prep(text);
  if (!t) return false;
  if (/[?？¿]/.test(t)) return true;
  if (INTERROGATIVE.test(t)) return true;
  return HELP_SEEKING.test(t);
}

/** Words that only acknowledge ("+1 same here", "ok thanks", "lol nice"). */
const ACK_WORDS = new Set(
  ('+1 me too same here issue problem ok okay k kk cool nice great lol lmao haha hahaha yes yeah yep no nope nah hm hmm ' +
    'thanks thank you u thx ty tysm np gg so much a lot very agreed this exactly true indeed wow oh ah').split(' '),
);

/**
 * A substantive reply: more than an acknowledgement. Replies made only of "+1", "same
 * here", "ok", "lol", thanks or emoji never count as help; a reply with at least three
 * other words (five when it thanks), a code span or a link does.
 */
export function isSubstantive(text: string): boolean {
  const raw = text.slice(0, MAX_SCAN);
  if (/```|`[^`]+`|https?:\/\//.test(raw)) return true;
  // "thanks, that works now" is gratitude, not help: thanks need more substance to count.
  const needed = isGratitude(raw) ? 5 : 3;
  let found = 0;
  // Counted word by word, stopping as soon as there are enough (most replies: a few words in).
  for (const part of prep(raw).toLowerCase().split(/\s+/)) {
    const word = part.replace(/^[^\p{L}\p{N}+]+|[^\p{L}\p{N}]+$/gu, '');
    if (word && /[\p{L}\p{N}]/u.test(word) && !ACK_WORDS.has(word) && ++found >= needed) return true;
  }
  return false;
}

const GRATITUDE = /\b(thanks|thank you|thank u|thankyou|thx|tysm|ty|cheers|much appreciated|appreciate (?:it|that|you)|kudos|shout-?out to)\b/i;
const THANKS_WORD = '(?:thanks|thank you|thank u|thankyou|thx|tysm|ty)';
/**
 * Wordings that use a thanks word without thanking anyone: refusals ("no thanks", "no thank
 * you", "thanks but no thanks"), sarcasm ("thanks for nothing") and thanks in advance. They
 * are cut out before looking for thanks, so real thanks elsewhere in the message still count.
 */
const NOT_GRATITUDE = new RegExp(
  `\\b(?:${THANKS_WORD}\\s+but\\s+no\\s+${THANKS_WORD}|no,?\\s+${THANKS_WORD}|${THANKS_WORD}\\s+(?:(?:a lot|so much|very much)\\s+)?for nothing|${THANKS_WORD}\\s+in advance|thanks but no)\\b`,
  'gi',
);

/** Thanks to someone ("thanks", "thank you", "ty", "cheers", "much appreciated"); not "no thanks", "thanks for nothing" or "thanks in advance". */
export function isGratitude(text: string): boolean {
  const t = text.slice(0, MAX_SCAN).replace(NOT_GRATITUDE, ' ');
  return GRATITUDE.test(t);
}

/**
 * Names addressed right after the thanks word: "thanks alice", "thank you, @bob", "ty sam!".
 * Callers resolve them against known members (unknown words are ignored).
 */
const NOT_NAMES = new Set(['and', 'but', 'so', 'ok', 'okay', 'hey', 'hi', 'also', 'again', 'anyway', 'for', 'a', 'the', 'all', 'everyone', 'you', 'u', 'much', 'lot', 'very', 'many', 'big', 'in', 'again', 'guys', 'folks', 'yes', 'great', 'cool']);

export function thankedNames(text: string): string[] {
  const t = text.slice(0, MAX_SCAN);
  const names: string[] = [];
  for (const m of t.matchAll(/\b(?:thanks|thank you|thank u|thx|tysm|ty|cheers|kudos to|shout-?out to)[,!:\s]+@?([\p{L}\p{N}_.-]{2,64})/giu)) {
    names.push(m[1].replace(/[.!,-]+$/, ''));
  }
  // "alice, thanks" / "@alice thank you"
  for (const m of t.matchAll(/(?:^|\s)@?([\p{L}\p{N}_.-]{2,64})[,:]?\s+(?:thanks|thank you|thx|ty)\b/giu)) {
    names.push(m[1]);
  }
  return [...new Set(names)].filter((n) => !NOT_NAMES.has(n.toLowerCase()));
}

/** Platform mention ids in text: Discord `<@123>` / `<@!123>`, Slack `<@U1>` / `<@U1|name>`. */
export function mentionIds(text: string): string[] {
  return [...new Set([...text.slice(0, MAX_SCAN * 5).matchAll(/<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]))];
}

const HOSTILE =
  /\b(wtf|stfu|shut up|idiot(?:s|ic)?|stupid|dumb|moron(?:s|ic)?|ridiculous|pathetic|useless|garbage|trash|bullshit|nonsense|are you kidding|you never|you always|rtfm|learn to read|what(?:'s| is) wrong with you|screw you|f+u+c+k+(?:ing)?|damn you|nobody asked|get lost|clueless|incompetent|how dare you|grow up|you people|read the docs?(?: already)?!)/i;

/**
 * A heated message: hostile wording (insults, "shut up", "wtf", "you always/never",
 * "rtfm"), or shouting (at least 12 letters, 70% or more of them capitals).
 */
export function isHeated(text: string): boolean {
  const t = prep(text);
  if (!t) return false;
  if (HOSTILE.test(t)) return true;
  return isShouting(t);
}

/** At least 12 letters, 70% or more of them capitals. */
function isShouting(t: string): boolean {
  let letters = 0;
  let upper = 0;
  if (isPlainAscii(t)) {
    // Plain ASCII (most chat): its only letters are A-Z and a-z; one pass, no regex replaces.
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c >= 65 && c <= 90) upper++;
      else if (c < 97 || c > 122) continue;
      letters++;
    }
  } else {
    letters = t.replace(/[^\p{L}]/gu, '').length;
    upper = t.replace(/[^\p{Lu}]/gu, '').length;
  }
  return letters >= 12 && upper / letters >= 0.7;
}

const REPAIR =
  /\b(sorry|apolog(?:y|ies|ise|ize|ised|ized)|my bad|i was wrong|didn'?t mean|did not mean|to clarify|let me clarify|let me rephrase|what i meant|i meant|i misunderstood|misunderstood you|i misread|fair point|you'?re right|no offen[cs]e|no hard feelings|i overreacted|came across wrong|came out wrong)\b/i;

/** An apology or clarification ("sorry", "my bad", "to clarify", "what I meant", "you're right"). */
export function isRepair(text: string): boolean {
  return REPAIR.test(prep(text));
}

/**
 * Reframing wording, the four moves of someone stepping into a debate: naming what both
 * sides want, separating the disagreement from the people, asking the question that moves
 * it on, proposing a way to test it.
 */
const REFRAME = [
  // What both sides want: "you both want it to be fast", "alice wants X and bob wants Y".
  /\b(?:you both|both of you|each of you|you two|both sides|you(?:'re| are) both)\b.{0,40}?\b(?:want|wants|need|care|trying|after|agree|point|right|goal|concern(?:ed)?|worried|mean|same)\b/i,
  /\b(?:sounds|seems) like (?:you|y'?all|everyone) (?:both |all )?(?:want|agree|care|need)\b/i,
  /\b(?:you want|you care about|\w+ wants|\w+ cares about) .{1,60}?\b(?:and|while|but|whereas) (?:you want|you care about|\w+ wants|\w+ cares about)\b/i,
  /\b(?:common|shared) (?:goal|ground)\b|\bsame goal\b/i,
  // The disagreement, not the people.
  /\b(?:(?:this|it)(?:'s| is)n'?t (?:about (?:who|you|either of you|people)|personal)|(?:this|it) is not (?:about (?:who|you|either of you|people)|personal)|not personal)\b/i,
  /\b(?:disagree(?:ing)? (?:with|about) the (?:idea|approach|proposal|code|argument|design|plan)s?,? not (?:with )?(?:the person|you|them|each other|people))\b/i,
  /\blet'?s (?:focus|keep (?:it|this)|stay) on the (?:issue|problem|idea|code|question|facts|technical|design|trade-?offs?|data)\b/i,
  // The question that moves it on.
  /\bwhat (?:problem )?(?:are|is) (?:we|you|each of you) (?:actually |really )?(?:trying to )?(?:solv|optimi[sz]|fix)\w*/i,
  /\bwhat would (?:it take|change (?:your|either of your) minds?|convince (?:you|either of you|both of you))\b/i,
  /\bwhere (?:exactly )?do (?:you|you both|the two of you) (?:actually )?(?:disagree|differ)\b/i,
  /\b(?:can we|could we|do we all|do you both) agree (?:on|that)\b/i,
  /\bwhat(?:'s| is) the (?:actual|real|underlying) (?:goal|problem|requirement|concern|question|constraint)\b/i,
  // A way to test it.
  /\b(?:why don'?t we|let'?s|could we|we could|how about we|maybe we|shall we|can we) (?:just )?(?:try both|test (?:it|both|this|that)|benchmark|measure|prototype|a\/?b|compare (?:both|the two|them)|run (?:a|an|some) (?:test|benchmark|experiment|poll|trial))/i,
  /\b(?:a|an|quick|small) (?:benchmark|experiment|a\/b test|test run|poll|spike|prototype) (?:would|could|should|to|might) (?:settle|tell|decide|show|answer)\b/i,
  /\bsettle (?:this|it) with (?:data|a test|a benchmark|numbers|an experiment)\b/i,
];
/** A moderator's scripted warning: rules, civility, final warnings, mutes. */
const WARNING =
  /\b(?:this is (?:a|an|your) (?:final |last |formal |official )?warning|(?:keep|be) (?:it |things )?(?:civil|respectful|polite|friendly)|follow the (?:server |community )?rules|(?:read|see|check) (?:the )?(?:#?rules|code of conduct|coc|guidelines)|rule ?#?\d+|(?:take|move) (?:it|this) to (?:dms?|private)|knock it off|cut it out|(?:you(?:'ll| will) be|getting|get) (?:muted|banned|kicked|timed out)|(?:timeout|mute|ban|warn)(?:ed|ing)? (?:you|both|for)\b)/i;
/** Laughter and joke markers: a joke that lightens the mood derails rather than reframes. */
const JOKE = /(?:^|[^\p{L}])(?:lol|lmao|rofl|haha\w*|hehe\w*|jk|xd)(?![\p{L}])|[😂🤣😆😜🤪]/iu;

/**
 * A reframe: at least one of the four moves, and not a scripted warning, a joke or itself
 * heated.
 */
export function isReframe(text: string): boolean {
  const t = prep(text);
  if (!t || WARNING.test(t) || JOKE.test(t) || isHeated(t)) return false;
  return REFRAME.some((re) => re.test(t));
}
