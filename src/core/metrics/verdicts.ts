/**
 * The pulse's verdicts on a message's words, kept with the message. The pulse reads a
 * message's text for a few yes-or-no questions only: does it ask the community (the question
 * rule), and what do thread resolution's rules see in it (said it worked, solved it alone, a
 * moderator closing it, the problem back). The overview read four weeks of messages on every
 * view; asked of the text each time, those answers were most of its cost. So each message's
 * answers are stored with it, as bits, the first time a pulse reads it, and read from then on
 * instead of its text.
 *
 * A verdict is only as good as the rules and models that gave it: the stored value carries a
 * tag naming both (RULES_VERSION and the installed recognisers' identity), and a verdict with
 * another tag is given again. The stores forget a message's verdicts whenever its text changes
 * (an edit, a transcript) or goes (retention, forget-me, a delete): nothing is kept of words
 * that are gone.
 */
import { isQuestion } from '../features/signals/detect';
import { recognisersIdentity } from '../models';
import { threadTextFlags } from '../resolution';
import { wantsHuman } from '../stakes';
import type { MessageShape, Repositories } from '../storage';

/** Bit 0: the message asks the community (a question, and not a request for a human). Bits 1-5: resolution's THREAD_TEXT. */
export const ASKS = 1;
const FLAG_BITS = 8;
const FLAGS = (1 << FLAG_BITS) - 1;
/**
 * Bump when a rule a verdict reads changes (isQuestion, wantsHuman's phrases, the thread
 * resolution rules): every stored verdict is then given again. A retrained model needs no
 * bump (its identity is in the tag).
 */
const RULES_VERSION = 1;

let tag: { identity: string; value: number } | undefined;

/** The tag of verdicts given now (22 bits, never 0): RULES_VERSION and the models' identity, hashed. */
export function verdictsTag(): number {
  const identity = recognisersIdentity();
  if (tag?.identity !== identity) tag = { identity, value: fnv1a(`${RULES_VERSION}:${identity}`) & 0x3fffff || 1 };
  return tag.value;
}

/** A text's verdicts with the current tag, as stored. */
export function textVerdicts(text: string): number {
  const asks = isQuestion(text) && !wantsHuman(text);
  return ((verdictsTag() << FLAG_BITS) | threadTextFlags(text) | (asks ? ASKS : 0)) >>> 0;
}

/** The flags of stored verdicts (their tag left out). */
export const verdictFlags = (verdicts: number): number => verdicts & FLAGS;

/** Were these stored verdicts given with the current rules and models? */
export const currentVerdicts = (verdicts: number | null, current = verdictsTag()): verdicts is number => verdicts !== null && verdicts >>> FLAG_BITS === current;

/** Shapes with their current verdicts (text no longer needed). */
export type JudgedShape = Omit<MessageShape, 'verdicts'> & { verdicts: number };

/**
 * Give every shape (read with `judgedWith: verdictsTag()`) its current verdicts: those stored
 * are used; the others are given from the text the store returned with them, and stored (a
 * failed write only means judging them again next time). Returns the same shapes, judged.
 */
export async function judgeShapes(repos: Pick<Repositories, 'messages'>, community: string, shapes: MessageShape[]): Promise<JudgedShape[]> {
  const current = verdictsTag();
  const judged: Array<{ rowId: number; text: string; verdicts: number }> = [];
  for (const shape of shapes) {
    if (currentVerdicts(shape.verdicts, current)) continue;
    shape.verdicts = textVerdicts(shape.text ?? '');
    if (shape.text) judged.push({ rowId: shape.rowId, text: shape.text, verdicts: shape.verdicts });
  }
  if (judged.length) await repos.messages.setVerdicts(community, judged).catch(() => undefined);
  return shapes as JudgedShape[];
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
