/**
 * What a same-here can point at, and when two reports are about the same problem.
 * Small, language-light heuristics: a question mark or a question opener, or a problem word
 * ("error", "broken", "can't", "no funciona", ...); similarity is shared significant words.
 */
import { normaliseText } from './normalize';

const QUESTION_OPENERS =
  /^(?:how|what|why|when|where|who|which|is|are|does|do|did|can|could|should|would|will|has|have|anyone|anybody|any idea|any ideas|is there|como|que|por que|porque|cuando|donde|alguien|hay|comment|pourquoi|quand|ou|est ce|quelquun|wie|warum|was|wann|wo|weiss jemand|hat jemand|kann|alguem|onde|quando|qual)\b/;

const PROBLEM_WORDS =
  /\b(?:error|errors|exception|broken|broke|breaks|bug|bugs|crash|crashes|crashing|crashed|fail|fails|failed|failing|failure|down|outage|stuck|hang|hangs|hanging|freeze|freezes|frozen|timeout|timeouts|timing out|cant|cannot|unable|doesnt work|dont work|not working|isnt working|wont|stopped working|keeps? (?:dropping|disconnecting|crashing|freezing|failing|restarting)|drops|dropping|disconnects|disconnecting|not loading|wont load|lagging|laggy|issue|issues|problem|problems|500|502|503|504|404|403|401|no funciona|no puedo|falla|ne marche pas|ne fonctionne pas|impossible de|marche plus|funktioniert nicht|geht nicht|kaputt|fehler|nao funciona|nao consigo|erro|problema|probleme)\b/;

/** Does this message report a problem ("error", "down", "can't", ...), not only ask something? */
export function looksLikeProblem(text: string | null | undefined, title?: string | null): boolean {
  const full = `${title ?? ''} ${text ?? ''}`.trim();
  return Boolean(full) && PROBLEM_WORDS.test(normaliseText(full).tokens.filter((t) => t !== ',' && t !== '~').join(' '));
}

/** Does this message ask something or report a problem (something a same-here can validate)? */
export function looksLikeQuestionOrProblem(text: string | null | undefined, title?: string | null): boolean {
  const full = `${title ?? ''} ${text ?? ''}`.trim();
  if (!full) return false;
  if (/[?¿]/.test(full)) return true;
  const flat = normaliseText(full).tokens.filter((t) => t !== ',' && t !== '~').join(' ');
  return QUESTION_OPENERS.test(flat) || PROBLEM_WORDS.test(flat);
}

const STOP = new Set(
  (
    'the and for with from that this these those there here have has had was were are is been being not but you your yours our ours they them their ' +
    'what which when where who why how can could would should will just also too very really then than any some all into about after before again ' +
    'anyone anybody someone somebody else does did doing get gets got getting know please thanks thank hello hey today now still same issue issues problem problems ' +
    'error errors working work works broken question help seeing happening thing things like only one ' +
    // negations say something is wrong, not what: "it doesn't work" is like every other report
    'not doesnt dont cant wont isnt arent didnt wasnt werent havent hasnt couldnt wouldnt aint ' +
    'que los las una por para como esta pero con del mas est une les des pour avec dans pas qui sur und der die das ist nicht mit ein eine ich'
  ).split(' '),
);

/** Light stemming so "crashes" meets "crashing" and "logins" meets "login". */
function stem(word: string): string {
  return word.replace(/(?:ing|ed|es|s)$/, '') || word;
}

/** The words that say what a message is about (lowercase, stemmed, no stop words). */
export function significantWords(text: string | null | undefined): Set<string> {
  if (!text) return new Set();
  // Whom a message is for ("sam: ...", a mention) is not what it is about.
  const about = text.replace(/<@[!&]?\w+>/g, ' ').replace(/^\s*[^\s:]{1,32}:\s/, '');
  const words = normaliseText(about).tokens.filter((t) => /^[\p{L}\p{N}]{3,}$/u.test(t) && !STOP.has(t));
  return new Set(words.map(stem).filter((w) => w.length >= 3));
}

/**
 * Two reports are about a similar problem when they share at least two significant words,
 * or one when either report has at most two (short reports: "checkout down?" / "checkout 502").
 */
export function similarProblems(a: string | null | undefined, b: string | null | undefined): boolean {
  const wa = significantWords(a);
  const wb = significantWords(b);
  if (wa.size === 0 || wb.size === 0) return false;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared >= 2 || (shared >= 1 && Math.min(wa.size, wb.size) <= 2);
}
