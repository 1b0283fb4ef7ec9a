/**
 * Thread resolution figures for the pulse: of the window's questions, how many were resolved
 * (src/core/resolution's rule), by whom, how fast, whether it held; and the questions still
 * unresolved after a week. Defined in docs/metrics.md ("Thread resolution").
 */
import { DAY } from '../clock';
import { ACCEPTED_ANSWER_KEY, REOPEN_WINDOW, reopenedBy, resolveThread, THREAD_TEXT, type Resolution, type ResolutionHow, type ThreadMessage, type ThreadSignal } from '../resolution';
import type { SignalRow } from '../storage';
import { NONE, type Shapes } from './shapes';

/** A question still unresolved this long after it was asked is listed. */
export const UNRESOLVED_AFTER = 7 * DAY;
/** How far back unresolved questions are looked for (older ones are left to history). */
export const UNRESOLVED_LOOKBACK = 28 * DAY;

export interface ResolutionFigures {
  questions: number;
  resolved: number;
  resolvedByMember: number;
  resolvedByStaff: number;
  selfResolved: number;
  /** Share of questions resolved by a member (not staff, not the asker alone). */
  memberShare: number | null;
  medianTimeToResolveMs: number | null;
  /** Resolved questions whose problem came back within REOPEN_WINDOW (before the window's end). */
  reopened: number;
  byHow: Record<ResolutionHow, number>;
  /** Questions asked at least UNRESOLVED_AFTER before the window's end (in it, or up to UNRESOLVED_LOOKBACK back), unresolved at its end. */
  unresolvedOverAWeek: number;
}

export interface UnresolvedQuestion {
  member: string;
  messageId: string;
  channelId: string;
  waitingMs: number;
}

/**
 * `messages`: human messages from at least UNRESOLVED_LOOKBACK before `until`, oldest first,
 * with their verdicts (the rules read those, not the words); `isQuestion`: the pulse's question
 * rule (counted asker included), by position; `signals`: thanks and accepted answers whose ends
 * both count; `textOf`: a message's words, read only for a resolution the asker may have
 * reopened with a new question on the same topic. `unresolved`: those `listed` says, in the
 * order they were asked.
 */
export async function resolutionFigures(
  input: {
    messages: Shapes;
    signals: Array<Pick<SignalRow, 'kind' | 'actorId' | 'subjectId' | 'messageId' | 'at' | 'data' | 'dedupeKey'>>;
    /** Staff: their answers resolve as staff's, and they may mark a question solved. */
    moderators: ReadonlySet<string>;
    isQuestion: (i: number) => boolean;
    textOf: (i: number) => Promise<string | null>;
    /**
     * Which unresolved questions are listed: the first `limit` whose asker `may` be named (the
     * others only counted). Weeks of questions go unresolved (18,000 at 1M): listing them all
     * held an object and two strings for each for the rest of a computation.
     */
    listed: { may: (member: string) => boolean; limit: number };
  },
  window: { since: number; until: number },
  stats: { share: (part: number, whole: number) => number | null; median: (values: number[]) => number | null },
): Promise<{ figures: ResolutionFigures; unresolved: UnresolvedQuestion[] }> {
  const { since, until } = window;
  const shapes = input.messages;
  const signalsByMessage = new Map<string, ThreadSignal[]>();
  for (const s of input.signals) {
    const accepted = s.kind === 'helped' && Boolean(s.dedupeKey?.startsWith(ACCEPTED_ANSWER_KEY));
    if (!s.messageId || (s.kind !== 'thanked' && !accepted)) continue;
    const list = signalsByMessage.get(s.messageId) ?? [];
    list.push({ ...s, accepted, byModerator: accepted && s.data?.via === 'moderator_reaction' });
    signalsByMessage.set(s.messageId, list);
  }
  const isStaff = (id: string) => input.moderators.has(id);
  const questions: number[] = [];
  for (let i = 0; i < shapes.length; i++) if (input.isQuestion(i)) questions.push(i);
  // The questions' threads only (most messages are in none), as lists linked through `next`,
  // in the messages' order: a message belongs to its discussion, else to the thread it sits
  // in, else to itself.
  const isQuestion = new Uint8Array(shapes.length);
  for (const q of questions) isQuestion[q] = 1;
  const head = new Int32Array(shapes.length).fill(NONE);
  const tail = new Int32Array(shapes.length).fill(NONE);
  const next = new Int32Array(shapes.length).fill(NONE);
  for (let i = 0; i < shapes.length; i++) {
    const discussion = shapes.discussionId[i];
    const thread = shapes.threadId[i];
    const key = discussion !== NONE ? discussion : thread !== NONE && thread !== i ? thread : i;
    if (key < 0 || !isQuestion[key]) continue;
    if (head[key] === NONE) head[key] = i;
    else next[tail[key]] = i;
    tail[key] = i;
  }
  // Only the asker's own later questions can reopen a resolution (reopenedBy's rule), oldest first.
  const questionsByAsker = new Map<number, number[]>();
  for (const q of questions) {
    const list = questionsByAsker.get(shapes.author[q]);
    if (list) list.push(q);
    else questionsByAsker.set(shapes.author[q], [q]);
  }

  const figures: ResolutionFigures = {
    questions: 0,
    resolved: 0,
    resolvedByMember: 0,
    resolvedByStaff: 0,
    selfResolved: 0,
    memberShare: null,
    medianTimeToResolveMs: null,
    reopened: 0,
    byHow: { accepted: 0, thanked: 0, asker_confirmed: 0, moderator: 0 },
    unresolvedOverAWeek: 0,
  };
  const unresolved: UnresolvedQuestion[] = [];
  const times: number[] = [];
  // Read as thread messages: the verdicts' bits stand for the words. (A reply to a message not
  // read is a reply to none in the thread, as the rules would find.)
  const asThread = (i: number): ThreadMessage & { shape: number } => {
    const replyTo = shapes.replyTo[i];
    return { id: shapes.id[i], authorId: shapes.authors[shapes.author[i]], text: null, createdAt: shapes.createdAt[i], replyTo: replyTo >= 0 ? shapes.id[replyTo] : null, flags: shapes.flags[i], shape: i };
  };
  // The words, only when a later question could share the topic (rarely): the question's and those.
  const withWords = async (m: ThreadMessage & { shape: number }) => ({ ...m, text: await input.textOf(m.shape) });
  // Could anything in the thread resolve it (resolveThread's rule)? A thanks or an accepted
  // answer on one of its messages, the asker saying it worked or that they solved it, a
  // moderator marking it. Most threads have none of these: they are not built at all.
  const askerSays = THREAD_TEXT.worked | THREAD_TEXT.alone;
  const mayResolve = (q: number, asked: number): boolean => {
    const asker = shapes.author[q];
    if (signalsByMessage.has(shapes.id[q])) return true;
    for (let m = head[q]; m !== NONE; m = next[m]) {
      if (m === q || shapes.createdAt[m] < asked || shapes.createdAt[m] >= until) continue;
      if (signalsByMessage.has(shapes.id[m])) return true;
      const flags = shapes.flags[m];
      if (shapes.author[m] === asker ? (flags & askerSays) !== 0 : (flags & THREAD_TEXT.marked) !== 0 && isStaff(shapes.authors[shapes.author[m]])) return true;
    }
    return false;
  };
  for (const q of questions) {
    const asked = shapes.createdAt[q];
    // The thread as it stood at the window's end: the question first, then its replies.
    const messages: Array<ThreadMessage & { shape: number }> = [];
    let resolution: Resolution<ThreadMessage & { shape: number }> | undefined;
    if (mayResolve(q, asked)) {
      messages.push(asThread(q));
      for (let m = head[q]; m !== NONE; m = next[m]) if (m !== q && shapes.createdAt[m] >= asked && shapes.createdAt[m] < until) messages.push(asThread(m));
      const signals = messages.flatMap((m) => signalsByMessage.get(m.id) ?? []).filter((s) => s.at === undefined || s.at < until);
      resolution = resolveThread({ messages, signals }, { isStaff });
    }
    if (!resolution && until - asked >= UNRESOLVED_AFTER) {
      figures.unresolvedOverAWeek++;
      const member = shapes.authors[shapes.author[q]];
      if (unresolved.length < input.listed.limit && input.listed.may(member)) unresolved.push({ member, messageId: shapes.id[q], channelId: shapes.channels[shapes.channel[q]], waitingMs: until - asked });
    }
    if (asked < since) continue;
    figures.questions++;
    if (!resolution) continue;
    figures.resolved++;
    figures.byHow[resolution.how]++;
    if (resolution.by === 'member') figures.resolvedByMember++;
    else if (resolution.by === 'staff') figures.resolvedByStaff++;
    else figures.selfResolved++;
    times.push(resolution.at - asked);
    const later = questionsByAsker.get(shapes.author[q])!.filter((other) => shapes.createdAt[other] > resolution.at && shapes.createdAt[other] - resolution.at <= REOPEN_WINDOW);
    const thread = later.length ? [await withWords(messages[0]), ...messages.slice(1)] : messages;
    const laterWithWords = await Promise.all(later.map((m) => withWords(asThread(m))));
    if (reopenedBy(resolution, { messages: thread }, laterWithWords)) figures.reopened++;
  }
  figures.memberShare = stats.share(figures.resolvedByMember, figures.questions);
  figures.medianTimeToResolveMs = stats.median(times);
  return { figures, unresolved };
}
