/**
 * Thread resolution figures for the pulse: of the window's questions, how many were resolved
 * (src/core/resolution's rule), by whom, how fast, whether it held; and the questions still
 * unresolved after a week. Defined in docs/metrics.md ("Thread resolution").
 */
import { DAY } from '../clock';
import { ACCEPTED_ANSWER_KEY, REOPEN_WINDOW, reopenedBy, resolveThread, type ResolutionHow, type ThreadMessage, type ThreadSignal } from '../resolution';
import type { MemberRow, SignalRow } from '../storage';
import { verdictFlags, type JudgedShape } from './verdicts';

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
 * rule (counted asker included); `signals`: thanks and accepted answers whose ends both count;
 * `textOf`: a message's words, read only for a resolution the asker may have reopened with a new
 * question on the same topic.
 */
export async function resolutionFigures(
  input: {
    messages: JudgedShape[];
    signals: Array<Pick<SignalRow, 'kind' | 'actorId' | 'subjectId' | 'messageId' | 'at' | 'data' | 'dedupeKey'>>;
    members: Map<string, Pick<MemberRow, 'id' | 'isModerator'>>;
    isQuestion: (m: JudgedShape) => boolean;
    textOf: (m: JudgedShape) => Promise<string | null>;
  },
  window: { since: number; until: number },
  stats: { share: (part: number, whole: number) => number | null; median: (values: number[]) => number | null },
): Promise<{ figures: ResolutionFigures; unresolved: UnresolvedQuestion[] }> {
  const { since, until } = window;
  const signalsByMessage = new Map<string, ThreadSignal[]>();
  for (const s of input.signals) {
    const accepted = s.kind === 'helped' && Boolean(s.dedupeKey?.startsWith(ACCEPTED_ANSWER_KEY));
    if (!s.messageId || (s.kind !== 'thanked' && !accepted)) continue;
    const list = signalsByMessage.get(s.messageId) ?? [];
    list.push({ ...s, accepted, byModerator: accepted && s.data?.via === 'moderator_reaction' });
    signalsByMessage.set(s.messageId, list);
  }
  // Through the few moderators, not a lookup among every member for each reply.
  const staff = new Set<string>();
  for (const m of input.members.values()) if (m.isModerator) staff.add(m.id);
  const isStaff = (id: string) => staff.has(id);
  const questions = input.messages.filter(input.isQuestion);
  // The questions' threads only (most messages are in none).
  const threads = new Map<string, JudgedShape[]>();
  for (const q of questions) threads.set(q.id, []);
  for (const m of input.messages) threads.get(m.discussionId ?? (m.threadId && m.threadId !== m.id ? m.threadId : m.id))?.push(m);
  // Only the asker's own later questions can reopen a resolution (reopenedBy's rule), oldest first.
  const questionsByAsker = new Map<string, JudgedShape[]>();
  for (const q of questions) {
    const list = questionsByAsker.get(q.authorId);
    if (list) list.push(q);
    else questionsByAsker.set(q.authorId, [q]);
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
  // Read as thread messages: the verdicts' bits stand for the words.
  const asThread = (m: JudgedShape): ThreadMessage & { shape: JudgedShape } => ({ id: m.id, authorId: m.authorId, text: null, createdAt: m.createdAt, replyTo: m.replyTo, flags: verdictFlags(m.verdicts), shape: m });
  // The words, only when a later question could share the topic (rarely): the question's and those.
  const withWords = async (m: ThreadMessage & { shape: JudgedShape }) => ({ ...m, text: await input.textOf(m.shape) });
  for (const q of questions) {
    // The thread as it stood at the window's end: the question first, then its replies.
    const messages = [q, ...(threads.get(q.id) ?? []).filter((m) => m !== q && m.createdAt >= q.createdAt && m.createdAt < until)].map(asThread);
    const signals = messages.flatMap((m) => signalsByMessage.get(m.id) ?? []).filter((s) => s.at === undefined || s.at < until);
    const resolution = resolveThread({ messages, signals }, { isStaff });
    if (!resolution && until - q.createdAt >= UNRESOLVED_AFTER) {
      figures.unresolvedOverAWeek++;
      unresolved.push({ member: q.authorId, messageId: q.id, channelId: q.channelId, waitingMs: until - q.createdAt });
    }
    if (q.createdAt < since) continue;
    figures.questions++;
    if (!resolution) continue;
    figures.resolved++;
    figures.byHow[resolution.how]++;
    if (resolution.by === 'member') figures.resolvedByMember++;
    else if (resolution.by === 'staff') figures.resolvedByStaff++;
    else figures.selfResolved++;
    times.push(resolution.at - q.createdAt);
    const later = questionsByAsker.get(q.authorId)!.filter((other) => other.createdAt > resolution.at && other.createdAt - resolution.at <= REOPEN_WINDOW);
    const thread = later.length ? [await withWords(messages[0]), ...messages.slice(1)] : messages;
    const laterWithWords = await Promise.all(later.map((m) => withWords(asThread(m))));
    if (reopenedBy(resolution, { messages: thread }, laterWithWords)) figures.reopened++;
  }
  figures.memberShare = stats.share(figures.resolvedByMember, figures.questions);
  figures.medianTimeToResolveMs = stats.median(times);
  return { figures, unresolved };
}
