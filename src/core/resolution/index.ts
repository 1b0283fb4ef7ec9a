/**
 * Thread resolution: was a question thread resolved, how, by whom, when, and did it hold.
 * One definition for every reader: the pulse (`resolution`), `/related` (a solved discussion
 * ranks higher and says who solved it) and the SemEval benchmark (`npm run bench --
 * --resolution`). Pure: messages and signals in, a verdict out. Rules in docs/metrics.md.
 */
import { DAY } from '../clock';
import { tokens } from '../search/text';

export interface ThreadMessage {
  id: string;
  authorId: string;
  text: string | null;
  createdAt: number;
  replyTo?: string | null;
  /**
   * What the rules below read in the text (threadTextFlags), when already known (stored with
   * the message): then the text is not read again, except a question's, for its topic.
   */
  flags?: number;
}

/** A thanks or an accepted answer (✅) about a message of the thread. */
export interface ThreadSignal {
  kind: string;
  actorId: string;
  subjectId: string | null;
  messageId: string | null;
  /** A `helped` signal that is an accepted answer (✅), not just any reply that helped. */
  accepted?: boolean;
  /** When it was recorded (a reaction comes after its message); the message's time without it. */
  at?: number;
  /** Accepted by a moderator rather than the asker. */
  byModerator?: boolean;
}

/**
 * How: the asker accepted an answer (✅), thanked one, said it worked, or a moderator
 * marked it (✅ on an answer, or "marking this as solved").
 */
export type ResolutionHow = 'accepted' | 'thanked' | 'asker_confirmed' | 'moderator';
/** Who gave the answer that resolved it: another member, a moderator, or the asker alone. */
export type ResolvedBy = 'member' | 'staff' | 'self';

export interface Resolution<M extends ThreadMessage = ThreadMessage> {
  how: ResolutionHow;
  by: ResolvedBy;
  /** The answer that resolved it (absent when a moderator closed it without one). */
  answer?: M;
  /** Who is credited: the answer's author (the asker themselves when self-resolved). */
  resolverId: string;
  /** When it was resolved (the thanks, the ✅, the "that worked"). */
  at: number;
}

/** A later report of the same problem within this long makes the resolution not hold. */
export const REOPEN_WINDOW = 7 * DAY;

/** The asker reporting the problem gone ("that worked", "fixed", "solved", "thanks"). */
const WORKED =
  /\b(thanks|thank\s*(you|u)|thx|ty|cheers|solved|resolved|fixed|that\s+(worked|works|did\s+it|helped)|it\s+works|works\s+now|working\s+now|got\s+it|perfect)\b/i;
/** ... and the opposite: "didn't fix it", "still not working", "not solved". */
const NOT_WORKED = /\b(?:not|n'?t|never|no longer|still|nothing)\b[^.!;]{0,25}(?:fix|solv|resolv|work|help)/i;
/** The asker found it alone ("figured it out", "nvm, I fixed it myself"). */
const BY_MYSELF =
  /\b(figured (it|this) out|nvm|never\s*mind|(i|finally) (fixed|solved|sorted|found) (it|this|the (issue|problem|fix|solution))|fixed it myself|solved it myself|found the (fix|solution|problem|issue|answer))\b/i;
/** A moderator closing the thread: "marking this as solved", "[resolved]", "closing as resolved". */
const MARKED_SOLVED = /\b(mark(?:ing|ed)? (?:this |it )?(?:as )?(?:solved|resolved|answered)|clos(?:ing|ed?) (?:this )?(?:as )?(?:solved|resolved|answered))\b|\[(?:solved|resolved)\]/i;
/** The problem back again, in the same thread: "broken again", "still failing", "it's back". */
const RELAPSE =
  /\b(again|came back|(?:it'?s|is) back|reappear\w*|stopped working|not working any ?more|still (?:fail\w*|broken|crash\w*|get(?:ting)?|see(?:ing)?|happen\w*|not))\b/i;

/** The asker says it worked (not "did that fix it?", not "still not fixed"). */
export function saysItWorked(text: string): boolean {
  return WORKED.test(text) && !NOT_WORKED.test(text) && !/\?\s*$/.test(text.trim());
}

/** The asker says they solved it on their own. */
export function solvedAlone(text: string): boolean {
  return BY_MYSELF.test(text) && !/\?\s*$/.test(text.trim());
}

/** What the thread rules read in one message's text, as bits (threadTextFlags). */
export const THREAD_TEXT = {
  /** saysItWorked */
  worked: 1 << 1,
  /** solvedAlone */
  alone: 1 << 2,
  /** MARKED_SOLVED: a moderator closing it */
  marked: 1 << 3,
  /** RELAPSE, and not saysItWorked: the problem back */
  relapse: 1 << 4,
  /** Names the fix itself ("solved", "works"): thanks with nobody else in the thread still counts */
  namesFix: 1 << 5,
} as const;
type TextRule = keyof typeof THREAD_TEXT;

const NAMES_FIX = /\b(solved|resolved|fixed|works|worked|working)\b/i;
/** Each THREAD_TEXT bit's rule over a text. */
const TEXT_RULES: Record<TextRule, (text: string) => boolean> = {
  worked: saysItWorked,
  alone: solvedAlone,
  marked: (text) => MARKED_SOLVED.test(text),
  relapse: (text) => RELAPSE.test(text) && !saysItWorked(text),
  namesFix: (text) => NAMES_FIX.test(text),
};

/** Every THREAD_TEXT bit that holds for a text (bit 0 is left to the caller). */
export function threadTextFlags(text: string): number {
  let flags = 0;
  for (const rule of Object.keys(TEXT_RULES) as TextRule[]) if (TEXT_RULES[rule](text)) flags |= THREAD_TEXT[rule];
  return flags;
}

/** Does a message's text say this: its stored bit, or (no bits given) that rule alone over its text. */
const says = (m: ThreadMessage, rule: TextRule): boolean => (m.flags !== undefined ? (m.flags & THREAD_TEXT[rule]) !== 0 : TEXT_RULES[rule](m.text ?? ''));

/** The dedupe key of an accepted answer's `helped` signal (✅ on an answer) starts with this. */
export const ACCEPTED_ANSWER_KEY = 'helped:accepted:';

export interface ResolveOptions {
  /** Is this member staff (a moderator)? Default: nobody. */
  isStaff?: (memberId: string) => boolean;
}

/**
 * The earliest resolution of a thread (messages oldest first, the question first), or
 * undefined. Candidates: an accepted answer (✅ by the asker, or by a moderator), a thanks
 * from the asker (text naming someone, or 🙏), the asker saying it worked (crediting the
 * answer it replies to, else the latest reply by someone else, else the asker alone), the
 * asker saying they found it themselves, and a moderator marking it solved.
 */
export function resolveThread<M extends ThreadMessage>(
  thread: { messages: readonly M[]; signals: readonly ThreadSignal[] },
  options: ResolveOptions = {},
): Resolution<M> | undefined {
  const [root, ...replies] = thread.messages;
  if (!root) return undefined;
  const asker = root.authorId;
  const isStaff = options.isStaff ?? (() => false);
  const byId = new Map(thread.messages.map((m) => [m.id, m]));
  const by = (author: string): ResolvedBy => (author === asker ? 'self' : isStaff(author) ? 'staff' : 'member');
  const found: Resolution<M>[] = [];
  const credit = (how: ResolutionHow, answer: M | undefined, at: number, fallback?: string) => {
    const resolverId = answer?.authorId ?? fallback ?? asker;
    found.push({ how, by: by(resolverId), ...(answer ? { answer } : {}), resolverId, at });
  };

  for (const signal of thread.signals) {
    const message = signal.messageId ? byId.get(signal.messageId) : undefined;
    if (!message) continue;
    const at = signal.at ?? message.createdAt;
    if (signal.kind === 'helped' && signal.accepted && message.authorId !== asker) {
      credit(signal.byModerator ? 'moderator' : 'accepted', message, at);
    } else if (signal.kind === 'thanked' && signal.actorId === asker && signal.subjectId !== asker) {
      // A thanks message names who it thanks: their first reply here is the answer; a 🙏 sits on it.
      const thanked = replies.find((m) => m.authorId === signal.subjectId) ?? (message.authorId !== asker ? message : undefined);
      if (thanked) credit('thanked', thanked, at);
    }
  }

  for (let i = 0; i < replies.length; i++) {
    const reply = replies[i];
    if (reply.authorId === asker) {
      if (says(reply, 'alone')) {
        credit('asker_confirmed', undefined, reply.createdAt, asker);
        break;
      }
      if (!says(reply, 'worked')) continue;
      const target = reply.replyTo ? byId.get(reply.replyTo) : undefined;
      let answer = target && target.authorId !== asker && target !== root ? target : undefined;
      for (let j = i - 1; j >= 0 && !answer; j--) if (replies[j].authorId !== asker) answer = replies[j];
      // Thanks alone, with nobody else in the thread, is thanks in advance, not a fix.
      if (answer || says(reply, 'namesFix')) credit('asker_confirmed', answer, reply.createdAt, asker);
      break;
    }
    if (isStaff(reply.authorId) && says(reply, 'marked')) {
      let answer: M | undefined;
      for (let j = i - 1; j >= 0 && !answer; j--) if (replies[j].authorId !== asker && replies[j].authorId !== reply.authorId) answer = replies[j];
      credit('moderator', answer, reply.createdAt, reply.authorId);
      break;
    }
  }
  return found.sort((a, b) => a.at - b.at)[0];
}

/**
 * Did the resolution hold? It did not when, within REOPEN_WINDOW after it, someone in the
 * thread reports the problem back ("still failing", "broken again"), or the asker opens a
 * new question about the same thing (at least 3 content words, and half of the shorter
 * question's, shared). Returns the message that reopened it, or undefined.
 */
export function reopenedBy<M extends ThreadMessage>(
  resolution: Pick<Resolution, 'at'>,
  thread: { messages: readonly M[] },
  laterQuestions: readonly M[],
): M | undefined {
  const [root] = thread.messages;
  if (!root) return undefined;
  const within = (m: ThreadMessage) => m.createdAt > resolution.at && m.createdAt - resolution.at <= REOPEN_WINDOW;
  const inThread = thread.messages.find((m) => m !== root && within(m) && says(m, 'relapse'));
  if (inThread) return inThread;
  const topic = stems(root.text);
  if (topic.size < 3) return undefined;
  return laterQuestions.find((q) => {
    if (q.id === root.id || q.authorId !== root.authorId || !within(q)) return false;
    const other = stems(q.text);
    let shared = 0;
    for (const s of other) if (topic.has(s)) shared++;
    return shared >= 3 && shared * 2 >= Math.min(topic.size, other.size);
  });
}

const stems = (text: string | null) => new Set(tokens(text ?? '').map((t) => t.stem));
