/**
 * The offline summary: pick the most informative messages of a conversation by simple,
 * deterministic rules, and show them in members' own words. Used without AI and whenever
 * the model fails. Scoring (per message):
 *   +3  a question or problem report that others replied to (what the thread is about)
 *   +1  a question or problem report (even unanswered)
 *   +3  thanked or confirmed by someone else afterwards ("thanks", "that worked", "fixed")
 *   +2  an answer: replies to someone else's question (+1 a reply to anything else of theirs)
 *   +1  per other member replying to it (at most 3)
 *   +0..2 length (informative words / 25), +1 a link or code
 *   +1  the opening message
 *   -4  pure "same here" / thanks / a few words (validation, not content)
 * Ties go to the earlier message; the picks are shown in conversation order. The message
 * that resolved the discussion (`findResolution`) is shown on its own line by every summary.
 */
import { looksLikeQuestionOrProblem } from '../samehere/problem';
import { recognizeSameHere } from '../samehere/recognize';

export interface SummaryMessage {
  id: string;
  authorId: string;
  text: string;
  replyTo?: string | null;
  createdAt: number;
}

const THANKS = /(?<![\p{L}])(?:thanks?|thank you|thx|ty|cheers|that worked|it worked|works now|worked for me|fixed it|that fixed|solved|perfect|gracias|merci|danke|obrigad[oa])(?![\p{L}])/iu;
const CONTENTLESS = /^(?:thanks?|thank you|thx|ty|ok(?:ay)?|cool|nice|great|lol|yes|no|yep|nope|\+1|same|agreed?)[\s!.]*$/i;

export function scoreMessages(messages: SummaryMessage[]): number[] {
  const byId = new Map(messages.map((m, i) => [m.id, i]));
  const repliers = messages.map(() => new Set<string>());
  const thanked = messages.map(() => false);
  const questions = messages.map((m) => looksLikeQuestionOrProblem(m.text));
  messages.forEach((m, i) => {
    const parent = m.replyTo ? byId.get(m.replyTo) : undefined;
    if (parent === undefined || messages[parent].authorId === m.authorId) return;
    repliers[parent].add(m.authorId);
    if (THANKS.test(m.text)) thanked[parent] = true;
  });
  // "thanks" right after someone else's message (no explicit reply) thanks that message.
  messages.forEach((m, i) => {
    if (i === 0 || m.replyTo || !THANKS.test(m.text) || m.text.length > 200) return;
    const previous = messages[i - 1];
    if (previous.authorId !== m.authorId) thanked[i - 1] = true;
  });
  return messages.map((m, i) => {
    const words = (m.text.match(/[\p{L}\p{N}]{3,}/gu) ?? []).length;
    let score = 0;
    if (questions[i]) score += repliers[i].size > 0 ? 3 : 1;
    if (thanked[i]) score += 3;
    const parent = m.replyTo ? byId.get(m.replyTo) : undefined;
    if (parent !== undefined && messages[parent].authorId !== m.authorId) score += questions[parent] ? 2 : 1;
    score += Math.min(3, repliers[i].size);
    score += Math.min(2, words / 25);
    if (/https?:\/\/|`/.test(m.text)) score += 1;
    if (i === 0) score += 1;
    const sameHere = recognizeSameHere(m.text);
    if ((sameHere.sameHere && !sameHere.carriesContent) || CONTENTLESS.test(m.text.trim()) || words < 4) score -= 4;
    return score;
  });
}

/** Indexes (into `messages`, in conversation order) of the messages to show. */
export function extractiveSummary(messages: SummaryMessage[], max = summarySize(messages.length)): number[] {
  if (messages.length === 0) return [];
  const scored = scoreMessages(messages).map((score, index) => ({ score, index }));
  // Leave out validation and small talk, unless that is all there is.
  const informative = scored.filter((s) => s.score > -2);
  return (informative.length ? informative : scored)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, max)
    .map((s) => s.index)
    .sort((a, b) => a - b);
}

/** "fixed it", "that worked", "solved": someone reporting that the problem is gone. */
const RESOLVED =
  /(?<![\p{L}])(?:fixed it|fixed the (?:issue|problem|error|bug)|(?:that|this|which|it) fixed|that did it|did the trick|(?:that|this|it) worked|works now|working now|worked for me|solved|resolved|the (?:fix|solution) (?:was|is)|problem gone|all good now)(?![\p{L}])/iu;
/** "didn't fix it", "still not working", "not solved": the opposite. */
const UNRESOLVED = /(?<![\p{L}])(?:not|n't|never|no longer|still|nothing|neither|nor|hasn't|hasnt|didnt|doesnt|isnt|wasnt)(?![\p{L}])[^.!;]{0,25}(?:fix|solv|resolv|work|trick)/iu;
/** Words that only thank or confirm: a report made of these credits the message it answers. */
const FILLER = /(?<![\p{L}])(?:thanks?|thank|you|thx|ty|cheers|so|much|very|a lot|ok(?:ay)?|yes|yep|yeah|great|awesome|perfect|wow|indeed|really|man|mate|all|guys|folks|everyone|again)(?![\p{L}])/giu;

export interface Resolution {
  /** The message that resolved the discussion (the answer that worked, or a fix described in the report). */
  index: number;
  /** The report of it working, when someone else's message is the resolution ("thanks, that worked!"). */
  confirmedBy?: number;
}

/**
 * The message that resolved the conversation: the latest report that something worked. A
 * report that describes the fix ("moving the work to a queue fixed it!") is the resolution
 * itself; a bare confirmation ("thanks, that worked!") credits the message it replies to, or
 * the one just before it, when someone else wrote that. Questions and negations
 * ("did that fix it?", "still not working") are not reports.
 */
export function findResolution(messages: SummaryMessage[]): Resolution | undefined {
  const byId = new Map(messages.map((m, i) => [m.id, i]));
  for (let i = messages.length - 1; i >= 0; i--) {
    const text = messages[i].text;
    if (!RESOLVED.test(text) || UNRESOLVED.test(text) || /\?\s*$/.test(text.trim())) continue;
    const rest = text.replace(RESOLVED, ' ').replace(FILLER, ' ');
    const describesFix = (rest.match(/[\p{L}\p{N}]{3,}/gu) ?? []).length >= 3;
    if (describesFix) return { index: i };
    const parent = messages[i].replyTo ? byId.get(messages[i].replyTo!) : i > 0 ? i - 1 : undefined;
    if (parent !== undefined && messages[parent].authorId !== messages[i].authorId) return { index: parent, confirmedBy: i };
    return { index: i };
  }
  return undefined;
}

/** 3 picks for short conversations, up to 7 for long ones. */
export function summarySize(count: number): number {
  return Math.max(3, Math.min(7, Math.ceil(count / 8)));
}
