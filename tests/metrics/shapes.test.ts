import { describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { ELSEWHERE, firstAtOrAfterTime, NONE, postTimes, readShapes, startsConversation, type Shapes } from '../../src/core/metrics/shapes';
import { verdictFlags, verdictsTag } from '../../src/core/metrics/verdicts';
import { harness } from '../helpers/harness';
import { readStarts } from '../helpers/reads';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** One message of the columns, as the store's shape (verdicts' flags only). */
function shapeAt(shapes: Shapes, i: number) {
  const ref = (r: number) => (r >= 0 ? shapes.id[r] : r === NONE ? null : 'elsewhere');
  return {
    id: shapes.id[i],
    authorId: shapes.authors[shapes.author[i]],
    channelId: shapes.channels[shapes.channel[i]],
    createdAt: shapes.createdAt[i],
    replyTo: ref(shapes.replyTo[i]),
    threadId: ref(shapes.threadId[i]),
    discussionId: ref(shapes.discussionId[i]),
    flags: shapes.flags[i],
  };
}

/** Three days of talk: a question answered the next day in a thread, a bot's post replied to, a reply to a message from before. */
async function threeDays() {
  const t = harness();
  t.bots.add('bot');
  t.clock.set(T0 - 2 * DAY);
  const old = await t.say('ada', 'Anyone tried the new release?');
  t.clock.set(T0 + HOUR);
  const q = await t.say('nina', 'How do I reset my password?', { channelId: 'help' });
  const botPost = await t.say('bot', 'Reminder: read the FAQ');
  t.clock.advance(MINUTE);
  await t.say('sam', 'I read it, thanks bot', { replyTo: botPost });
  await t.say('ada', 'Yes, works fine', { replyTo: old });
  t.clock.set(T0 + DAY + 2 * HOUR);
  await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q, channelId: 'help', threadId: q });
  t.clock.advance(MINUTE);
  await t.say('nina', 'That worked, thank you!', { replyTo: q, channelId: 'help', threadId: q });
  t.clock.set(T0 + 2 * DAY + 23 * HOUR);
  await t.say('ola', 'Is the API down for anyone else?');
  return t;
}

describe('the pulse\'s messages as columns', () => {
  it('say what the store\'s shapes say, every reference a position, NONE, or ELSEWHERE (a bot\'s message, one before the window)', async () => {
    const t = await threeDays();
    const until = T0 + 3 * DAY;
    const shapes = await readShapes(t.repos, t.community, T0, until, (id) => !t.bots.has(id));
    const whole = (await t.repos.messages.shapesInWindow(t.community, T0, until, { judgedWith: verdictsTag() })).filter((m) => m.authorId !== 'bot');
    const inWindow = new Set(whole.map((m) => m.id));
    const ref = (id: string | null) => (id === null ? null : inWindow.has(id) ? id : 'elsewhere');
    expect(Array.from({ length: shapes.length }, (_, i) => shapeAt(shapes, i))).toEqual(
      whole.map((m) => ({ id: m.id, authorId: m.authorId, channelId: m.channelId, createdAt: m.createdAt, replyTo: ref(m.replyTo), threadId: ref(m.threadId), discussionId: ref(m.discussionId), flags: verdictFlags(m.verdicts!) })),
    );
    // What the checks above stand on: the bot's post and the message from before are referred to, not read.
    expect(shapes.length).toBe(6);
    expect(shapes.replyTo.filter((r) => r === ELSEWHERE)).toHaveLength(2);
    expect(shapes.authors.filter((a) => a === 'sam')).toHaveLength(1); // numbered once
    // The question starts a conversation; its answers and the replies do not.
    expect(Array.from({ length: shapes.length }, (_, i) => startsConversation(shapes, i))).toEqual(whole.map((m) => !m.replyTo && (!m.threadId || m.threadId === m.id)));
    expect(firstAtOrAfterTime(shapes, T0 + DAY)).toBe(3);
    expect(firstAtOrAfterTime(shapes, until)).toBe(6);
  });

  it('reads a day at a time, and a reply stamped before its message still points to it', async () => {
    const t = harness();
    t.clock.set(T0 + DAY + HOUR);
    await t.say('nina', 'The export fails with error 500', { id: 'question' });
    // A reply whose clock ran behind, stamped the day before the message it answers.
    t.clock.set(T0 + 23 * HOUR);
    await t.say('sam', 'Try again in an hour, it is a known bug', { replyTo: 'question' });
    const reads = vi.spyOn(t.repos.messages, 'shapesInWindow');
    const shapes = await readShapes(t.repos, t.community, T0, T0 + 3 * DAY, () => true);
    expect(reads.mock.calls.map(([, since, until]) => [since, until])).toEqual([
      [T0, T0 + DAY],
      [T0 + DAY, T0 + 2 * DAY],
      [T0 + 2 * DAY, T0 + 3 * DAY],
    ]);
    expect(readStarts(reads.mock.calls)).toEqual([{ since: T0, judged: true }]);
    expect(shapes.id).toEqual([expect.any(String), 'question']);
    expect(shapes.replyTo[0]).toBe(1);
  });

  it('an empty reply or thread id is none; an empty discussion id is still one, of no message read', async () => {
    const judged = verdictsTag() << 8;
    const row = (id: string, at: number, links: { replyTo?: string | null; threadId?: string | null; discussionId?: string | null }) => ({
      rowId: at, id, channelId: 'help', authorId: 'nina', createdAt: at, text: null, verdicts: judged, replyTo: null, threadId: null, discussionId: null, ...links,
    });
    const rows = [row('q', T0, {}), row('r', T0 + 1, { replyTo: '', threadId: 'q', discussionId: '' }), row('s', T0 + 2, { replyTo: '', threadId: '', discussionId: 'q' })];
    const messages = { shapesInWindow: async (_c: string, since: number, until: number) => rows.filter((m) => m.createdAt >= since && m.createdAt < until), setVerdicts: async () => undefined };
    const shapes = await readShapes({ messages } as never, 'c', T0, T0 + DAY, () => true);
    expect([...shapes.replyTo]).toEqual([NONE, NONE, NONE]);
    expect([...shapes.threadId]).toEqual([NONE, 0, NONE]);
    expect([...shapes.discussionId]).toEqual([NONE, ELSEWHERE, 0]);
  });

  it('reads up to the window’s end, not the end of its day', async () => {
    const t = harness();
    t.clock.set(T0);
    await t.say('nina', 'Is the API down?');
    t.clock.set(T0 + 2 * HOUR);
    await t.say('sam', 'Back up now');
    const shapes = await readShapes(t.repos, t.community, T0 - DAY, T0 + HOUR, () => true);
    expect(shapes.length).toBe(1);
    expect(shapes.createdAt[0]).toBe(T0);
  });

  it('judges messages with no current verdicts from their words, once, and stores them', async () => {
    const t = await threeDays();
    const judge = vi.spyOn(t.repos.messages, 'setVerdicts');
    const first = await readShapes(t.repos, t.community, T0, T0 + 3 * DAY, (id) => id !== 'bot');
    expect(judge).toHaveBeenCalled();
    judge.mockClear();
    const again = await readShapes(t.repos, t.community, T0, T0 + 3 * DAY, (id) => id !== 'bot');
    expect(judge).not.toHaveBeenCalled();
    expect(again).toEqual(first);
    const asks = Array.from(first.flags, (f, i) => [first.id[i], f & 1]).filter(([, a]) => a).map(([id]) => id);
    expect(asks).toHaveLength(2); // the two questions
  });

  it('gives newcomers\' post times, a day at a time, of the authors wanted only', async () => {
    const t = await threeDays();
    const times = await postTimes(t.repos, t.community, T0, T0 + 3 * DAY, (id) => id === 'nina' || id === 'bot');
    expect([...times.keys()].sort()).toEqual(['nina']); // a bot's posts never (the store leaves them out)
    expect(times.get('nina')).toEqual([T0 + HOUR, T0 + DAY + 2 * HOUR + MINUTE]);
  });
});
