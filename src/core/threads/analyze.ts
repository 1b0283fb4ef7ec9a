/**
 * Text features for reply inference: who a message addresses, its content words and its
 * conversational cues. Pure and platform-neutral; results are cached per message object
 * because the same earlier message is a candidate parent for many later ones.
 */
import type { ThreadMessage } from './types';

export interface Analysis {
  /** Normalised author name (see `nameKey`). */
  authorKey: string;
  /** The name the message opens with ("alice: ...", "alice, ...", "@alice ..."), normalised. */
  lead: string | null;
  /** The first word as a name, when more follows ("alice try this", IRC style). */
  firstWord: string | null;
  /** The last word as a name ("thanks alice", "ic jdub"). */
  lastWord: string | null;
  /** `@name` tokens anywhere in the text, normalised. */
  atNames: string[];
  /** Member ids mentioned explicitly (adapter-parsed mentions plus `<@id>` in the text). */
  mentionIds: Set<string>;
  /** Content words (lowercase, no stop words), for topical overlap. */
  words: Set<string>;
  question: boolean;
  /** Opens a topic for anyone: "anyone know ...", "I have a problem ...", "question: ...". */
  ask: boolean;
  greeting: boolean;
}

const cache = new WeakMap<ThreadMessage, Analysis>();

/** "Alice_", "@alice", "ALICE:" -> "alice": letters and digits only, lowercase. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Do two normalised names refer to the same person (IRC users shorten and decorate nicks)? */
export function sameName(said: string, name: string): boolean {
  if (!said || !name) return false;
  if (said === name) return true;
  const shorter = said.length < name.length ? said : name;
  const longer = shorter === said ? name : said;
  return shorter.length >= 3 && longer.startsWith(shorter);
}

const MAX_TEXT = 2000;
const LEAD = /^\s*@?([^\s:,;!?]{1,32}(?:\s[^\s:,;!?]{1,32}){0,2}?)\s*[:,;>]+(?:\s|$)/u;
const AT_NAME = /(?:^|[^\p{L}\p{N}_])@([\p{L}\p{N}_.\-|[\]`^{}]{2,32})/gu;
/** A bot command aimed at someone: "!faq | alice", "!faq > alice". */
const COMMAND_TARGET = /^\s*[!.]\S.*[|>]\s*@?([^\s|>]{2,32})\s*$/u;
const MENTION_ID = /<@!?([\w.:-]+)>/g;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_.\-/']*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;

const QUESTION_START =
  /^(?:how|what|why|where|when|who|which|is|are|can|could|does|do|did|has|have|will|would|should|anyone|anybody|any\s+ideas?)\b/i;
const GREETING = /^(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|evening|afternoon))\b/i;
const ASK = /\b(?:any\s?one|any\s?body|some\s?one|somebody|i\s+have\s+(?:a|an)\s+(?:problem|question|issue)|i\s+need\s+help|can\s+i\s+ask|question)\b/i;

const STOP = new Set(
  (
    'the a an and or but if then so to of in on at by for with from as is are was were be been being it its this that ' +
    'these those i me my you your he she we they them our us his her their do does did done have has had not no yes ' +
    'can could would should will just also any some all there here what which who whom how why when where than too ' +
    'very about into out up down over under again more most other such only own same both each few get got im dont ' +
    'its ive youre cant doesnt didnt isnt thats whats ok okay yeah yep nope hi hello hey thanks thank please lol ' +
    'know think want need try tried use using like one make sure still now well really maybe then see way'
  ).split(' '),
);

/** `copy` is `original` with other metadata (e.g. its inferred parent): same text, same analysis. */
export function shareAnalysis(original: ThreadMessage, copy: ThreadMessage): void {
  const hit = cache.get(original);
  if (hit && original.text === copy.text && original.author === copy.author) cache.set(copy, hit);
}

export function analyze(message: ThreadMessage): Analysis {
  const hit = cache.get(message);
  if (hit) return hit;
  const text = (message.text ?? '').slice(0, MAX_TEXT);
  const leadMatch = LEAD.exec(text);
  const lead = leadMatch ? nameKey(leadMatch[1]) || null : null;
  const atNames = [...text.matchAll(AT_NAME)].map((m) => nameKey(m[1])).filter(Boolean);
  const commandTarget = COMMAND_TARGET.exec(text);
  if (commandTarget) atNames.push(nameKey(commandTarget[1]));
  const mentionIds = new Set<string>(message.mentions ?? []);
  for (const m of text.matchAll(MENTION_ID)) mentionIds.add(m[1]);
  const tokens = text.toLowerCase().match(WORD) ?? [];
  const words = new Set(tokens.filter((t) => t.length >= 3 && !STOP.has(t.replace(/'/g, ''))));
  // The addressee's name is not a topic word.
  if (lead) words.delete(leadMatch![1].toLowerCase());
  const body = leadMatch ? text.slice(leadMatch[0].length) : text;
  const analysis: Analysis = {
    authorKey: nameKey(message.authorName ?? message.author),
    lead,
    firstWord: tokens.length >= 2 && !leadMatch ? nameKey(/^\s*(\S+)/.exec(text)![1]) || null : null,
    lastWord: tokens.length >= 2 && tokens.length <= 4 ? nameKey(tokens[tokens.length - 1]) || null : null,
    atNames,
    mentionIds,
    words,
    question: text.includes('?') || QUESTION_START.test(body.trim()),
    ask: !leadMatch && ASK.test(body),
    greeting: GREETING.test(body.trim()) && body.length < 40,
  };
  cache.set(message, analysis);
  return analysis;
}
