/**
 * Who answered whom: the parent of a new chat message, from the earlier messages of its
 * channel only (so it works online, message by message, and offline alike).
 *
 * Order of evidence:
 * 1. Join/system lines never have a parent; an explicit reply (Discord reply, Slack thread
 *    parent) is the parent; a bot's line answers the `!command` just before it.
 * 2. Addressing ("alice: ...", "alice, ...", "@alice", "alice try ...", "thanks alice", a mention,
 *    "!faq | alice"): the parent is one of alice's lines (preferring the latest, and one
 *    aimed at the author) or the author's own latest line to alice (a continuation).
 *    A named person is looked for further back than the scoring window.
 * 3. Otherwise the recent lines are scored: a line aimed at the author since their own last
 *    line (an answer to take up), the author's own previous line (a continuation; not a bare
 *    greeting), shared words, minus distance. "Starts a conversation" competes on the same
 *    scale and wins after a silence, for a question, greeting or "anyone ...?" from someone
 *    not already in a conversation.
 * Inside a thread only messages of that thread are candidates, and the thread root is the
 * fallback parent.
 *
 * Weights were tuned on the Ubuntu IRC disentanglement dev set (bench/irc); a weight of 0
 * means the cue did not help there but stays available to callers.
 */
import { MINUTE } from '../clock';
import { analyze, nameKey, sameName, type Analysis } from './analyze';
import type { ThreadMessage } from './types';

export interface Window {
  /** Candidate parents: at most this many latest messages ... */
  messages: number;
  /** ... no older than this before the new message. */
  ms: number;
  /** How far back (lines) a person named by the new message is looked for. */
  named: number;
}

export const DEFAULT_WINDOW: Window = { messages: 50, ms: 60 * MINUTE, named: 150 };

export interface Weights {
  /** Addressed message: the named person's line. */
  named: number;
  /** ... which was itself aimed at the author. */
  namedToMe: number;
  /** ... or at a third person. */
  namedElsewhere: number;
  /** ... less this when it came before the author's own last line to them (already taken up). */
  namedStale: number;
  /** Addressed message: the author's own earlier line to the same person (continuing). */
  namedOwn: number;
  /** Unaddressed: the author's own previous line (a continuation). */
  self: number;
  /** ... when that line was a bare greeting (the real question starts the conversation). */
  selfGreeting: number;
  /** Someone else's line aimed at the author (an answer coming back). */
  toMe: number;
  /** A line by someone the author is talking with, not aimed at a third person. */
  partner: number;
  /** A line aimed at a third person (another conversation). */
  elsewhere: number;
  /** Factor on toMe / partner for lines older than the author's own last line (already answered). */
  stale: number;
  /** An open question by someone else. */
  question: number;
  /** Per shared content word (up to 3). */
  word: number;
  /** Penalty per log(1 + lines in between). */
  distance: number;
  /** Penalty per line in between. */
  line: number;
  /** Penalty per minute in between. */
  minute: number;
  /** "Starts a conversation" base score ... */
  fresh: number;
  /** ... plus this for a question or greeting ... */
  freshQuestion: number;
  /** ... plus this for a line opening a topic for anyone ("anyone know ...") ... */
  freshAsk: number;
  /** ... plus this when the author is not in a conversation ... */
  freshStranger: number;
  /** ... plus this after this many minutes of silence in the channel. */
  silenceMinutes: number;
  silence: number;
}

export const DEFAULT_WEIGHTS: Weights = {
  named: 3.5,
  namedToMe: 1,
  namedElsewhere: 0,
  namedStale: 0.5,
  namedOwn: 2.5,
  self: 1.5,
  selfGreeting: 0,
  toMe: 6,
  partner: 0,
  elsewhere: 0,
  stale: 0.3,
  question: -0.5,
  word: 0.5,
  distance: 0.6,
  line: 0,
  minute: 0,
  fresh: -1,
  freshQuestion: 1,
  freshAsk: 1,
  freshStranger: 1.5,
  silenceMinutes: 15,
  silence: 2,
};

export interface InferOptions {
  window?: Partial<Window>;
  weights?: Partial<Weights>;
}

/** Does analysis `a` name `author` (lead, @name or platform mention)? */
function names(a: Analysis, author: string, key: string): boolean {
  if (a.mentionIds.has(author)) return true;
  if (a.lead && sameName(a.lead, key)) return true;
  if (a.firstWord === key || (a.lastWord === key && key.length >= 3)) return true;
  return a.atNames.some((n) => sameName(n, key));
}

/**
 * Whom each earlier line was aimed at, resolved once per message object against the people
 * in the window at that time (it rarely changes, and this keeps inference linear).
 */
const aimCache = new WeakMap<ThreadMessage, string | null>();

/**
 * The parent of `message` among `earlier` (the channel's previous messages, oldest first;
 * only the latest `window` of them are looked at), or null when it starts a conversation.
 */
export function inferParent(message: ThreadMessage, earlier: readonly ThreadMessage[], options: InferOptions = {}): string | null {
  if (message.kind && message.kind !== 'message') return null;
  if (message.replyTo) return message.replyTo;
  const window = { ...DEFAULT_WINDOW, ...options.window };
  const w = { ...DEFAULT_WEIGHTS, ...options.weights };
  const thread = message.threadId && message.threadId !== message.id ? message.threadId : null;

  // Newest first, bounded by count and age, same thread scope, chat lines only.
  const reach: ThreadMessage[] = [];
  const limit = Math.max(window.messages, window.named);
  for (let i = earlier.length - 1; i >= 0 && reach.length < limit; i--) {
    const c = earlier[i];
    if (message.at - c.at > window.ms) break;
    if (c.id === message.id || (c.kind && c.kind !== 'message')) continue;
    const cThread = c.threadId && c.threadId !== c.id ? c.threadId : null;
    if (thread ? cThread !== thread && c.id !== thread : cThread !== null) continue;
    reach.push(c);
  }
  // Scored lines; a named person is looked for further back, in `reach`.
  const candidates = reach.length > window.messages ? reach.slice(0, window.messages) : reach;
  const fallback = thread;
  if (candidates.length === 0) return fallback;

  const me = analyze(message);
  const author = message.author;

  // A bot answers the command that called it.
  if (message.authorIsBot) {
    const command = candidates.find((c) => !c.authorIsBot && /^\s*[!/.]\w/.test(c.text ?? ''));
    if (command && message.at - command.at <= 2 * MINUTE) return command.id;
  }

  // Who is in the window, and whom each line is aimed at (named, or its known parent's author).
  const people = new Map<string, string>(); // author id -> name key
  for (const c of reach) if (!people.has(c.author)) people.set(c.author, analyze(c).authorKey);
  people.set(author, me.authorKey);
  const aimOf = (c: ThreadMessage): string | null => {
    if (aimCache.has(c)) return aimCache.get(c)!;
    const a = analyze(c);
    let aim: string | null = null;
    for (const [id, key] of people) {
      if (id !== c.author && names(a, id, key)) {
        aim = id;
        break;
      }
    }
    if (aim === null && c.replyTo) {
      const parent = reach.find((p) => p.id === c.replyTo);
      if (parent && parent.author !== c.author) aim = parent.author;
    }
    aimCache.set(c, aim);
    return aim;
  };
  // Whom the new message names.
  let target: string | null = null;
  for (const [id, key] of people) {
    if (id !== author && names(me, id, key)) {
      target = id;
      break;
    }
  }
  // Named someone we cannot see (left the window): a reply, but not to anything here.
  const namedUnknown = target === null && (me.mentionIds.size > 0 || me.atNames.length > 0);

  // The people the author is talking with: recent lines between them in either direction.
  const partners = new Set<string>();
  for (const c of candidates.slice(0, 20)) {
    if (c.author === author) {
      const aim = aimOf(c);
      if (aim) partners.add(aim);
    } else if (aimOf(c) === author) partners.add(c.author);
  }

  // People's names are not topic words ("jdub" is shared by everything said to jdub).
  const nameWords = new Set(people.values());
  const lastOwn = candidates.findIndex((c) => c.author === author);
  const spokeRecently = lastOwn >= 0;
  const lastOwnToTarget = target === null ? -1 : reach.findIndex((c) => c.author === author && aimOf(c) === target);
  let best: string | null = null;
  let bestScore = -Infinity;
  if (target === null) {
    bestScore = w.fresh + (me.question || me.greeting ? w.freshQuestion : 0) + (me.ask ? w.freshAsk : 0) + (!spokeRecently && partners.size === 0 ? w.freshStranger : 0);
    if (namedUnknown) bestScore -= 1;
    if (message.at - candidates[0].at > w.silenceMinutes * MINUTE) bestScore += w.silence;
  }
  (target === null ? candidates : reach).forEach((c, distance) => {
    if (target !== null && c.author !== target && c.author !== author) return;
    const a = analyze(c);
    const aim = aimOf(c);
    let score = -w.distance * Math.log1p(distance) - w.line * distance - w.minute * ((message.at - c.at) / MINUTE);
    if (target !== null) {
      if (c.author === target) {
        score += w.named + (aim === author ? w.namedToMe : aim !== null ? w.namedElsewhere : 0);
        if (lastOwnToTarget >= 0 && distance > lastOwnToTarget) score -= w.namedStale;
      }
      else if (aim === target) score += w.namedOwn;
      else return;
    } else if (c.author === author) {
      score += a.greeting ? w.selfGreeting : w.self;
    } else if (aim === author) {
      score += w.toMe * (lastOwn >= 0 && distance > lastOwn ? w.stale : 1);
    } else {
      if (aim !== null) score += w.elsewhere;
      else if (partners.has(c.author)) score += w.partner * (lastOwn >= 0 && distance > lastOwn ? w.stale : 1);
      if (a.question) score += w.question;
    }
    let shared = 0;
    for (const word of me.words) if (a.words.has(word) && !nameWords.has(nameKey(word))) shared++;
    score += w.word * Math.min(shared, 3);
    if (score > bestScore) {
      bestScore = score;
      best = c.id;
    }
  });
  return best ?? fallback;
}
