/**
 * What a moderator answering a request for a human needs first: the question the member
 * asked shortly before, in the same place, that nobody has answered yet, and how many
 * others said "same here" to it.
 */
import type { EscalationRow, MessageRow } from '../../storage';
import { DAY } from '../../clock';
import type { CoreContext } from '../../context';
import { recognizeSameHere } from '../../samehere/recognize';
import { wantsHuman } from '../../stakes';
import { isQuestion } from '../signals/detect';
import { answers } from '../welcome/questions';

/** How far back a question still explains a request, and how many of the member's recent questions are looked at. */
const RECENT = DAY;
const LOOK_AT = 3;

export interface RecentQuestion {
  message: MessageRow;
  sameHere: number;
}

/** The requester's latest unanswered question in the request's channel before it, if any. */
export async function recentUnansweredQuestion(core: Pick<CoreContext, 'repos'>, row: EscalationRow): Promise<RecentQuestion | undefined> {
  const { repos } = core;
  const community = row.communityId;
  const recent = await repos.messages.recentInChannel(community, row.channelId, row.createdAt - RECENT, 200);
  const questions = recent
    .filter((m) => m.authorId === row.requesterId && m.id !== row.messageId && m.kind === 'message' && m.createdAt <= row.createdAt)
    .filter((m) => m.text && isQuestion(m.text) && !wantsHuman(m.text))
    .slice(0, LOOK_AT);
  for (const question of questions) {
    const replies = await repos.messages.repliesTo(community, question.id);
    if (question.discussionId === question.id) replies.push(...(await repos.messages.inDiscussion(community, question.id)));
    // "Same here" validates the question; it does not answer it.
    const answered = replies.some((m) => answers(m, question) && !isPureSameHere(m.text ?? ''));
    if (!answered) return { message: question, sameHere: await repos.sameHere.count(community, question.id) };
  }
  return undefined;
}

function isPureSameHere(text: string): boolean {
  const result = recognizeSameHere(text);
  return result.sameHere && !result.carriesContent;
}
