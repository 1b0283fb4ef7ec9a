/**
 * The pulse's first responses and thread resolution over references as the platforms and
 * imports give them: answers in a thread or a discussion with no reply link, a reply stamped
 * before its question, a discussion that began before what the pulse reads, and signals on
 * the question itself. (Figures defined in docs/metrics.md.)
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { harness, type Harness } from '../helpers/harness';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const pulse = (t: Harness, since = T0, until = T0 + DAY) => computePulse(t.core, t.community, { since, until });

/** A message written straight to the store, with the links an import or an adapter gave it. */
async function stored(t: Harness, message: { id: string; authorId: string; text: string; at: number; replyTo?: string; threadId?: string; discussionId?: string }) {
  await t.repos.members.upsert(t.community, { id: message.authorId, name: message.authorId, isModerator: message.authorId === 'mod' }, message.at);
  await t.repos.messages.insert(t.community, {
    id: message.id,
    channelId: 'help',
    authorId: message.authorId,
    text: message.text,
    createdAt: message.at,
    replyTo: message.replyTo ?? null,
    threadId: message.threadId ?? null,
    discussionId: message.discussionId ?? null,
  });
}

describe('first responses and resolution over thread links', () => {
  it('an answer in the question’s thread, or in its discussion, with no reply link, is its first response', async () => {
    const t = harness();
    await stored(t, { id: 'q1', authorId: 'nina', text: 'How do I export my data?', at: T0 });
    await stored(t, { id: 'a1', authorId: 'sam', text: 'Settings, then Export', at: T0 + 10 * MINUTE, threadId: 'q1' });
    await stored(t, { id: 'q2', authorId: 'ola', text: 'How do I change my avatar?', at: T0 + HOUR });
    await stored(t, { id: 'a2', authorId: 'kim', text: 'Profile, then Avatar', at: T0 + HOUR + 30 * MINUTE, discussionId: 'q2' });
    const m = await pulse(t);
    expect(m.firstResponse).toMatchObject({ questions: 2, answered: 2, p50Ms: 10 * MINUTE, p90Ms: 30 * MINUTE });
  });

  it('a reply stamped before its question is no response to it', async () => {
    const t = harness();
    await stored(t, { id: 'early', authorId: 'sam', text: 'Try restarting it', at: T0 + HOUR - MINUTE, replyTo: 'q' });
    await stored(t, { id: 'q', authorId: 'nina', text: 'Why does the sync stop?', at: T0 + HOUR });
    const m = await pulse(t);
    expect(m.firstResponse).toMatchObject({ questions: 1, answered: 0 });
  });

  it('a message of a discussion begun before the read is not in the thread it also sits in', async () => {
    const t = harness();
    const asked = T0 - 10 * DAY;
    await stored(t, { id: 'q', authorId: 'nina', text: 'Why does the export fail?', at: asked });
    // In q's thread, but of a discussion from long before: the discussion decides (as `discussionId ?? …`).
    await stored(t, { id: 'r', authorId: 'sam', text: 'Split the file first', at: asked + HOUR, threadId: 'q', discussionId: 'older' });
    await stored(t, { id: 'w', authorId: 'nina', text: 'That worked, thanks!', at: asked + 2 * HOUR, threadId: 'q', discussionId: 'older' });
    const m = await pulse(t);
    expect(m.resolution.unresolvedOverAWeek).toBe(1);
    expect(m.lists.unresolvedQuestions.map((q) => q.messageId)).toEqual(['q']);
    // The same thread without that discussion: resolved by the asker's thanks.
    const u = harness();
    await stored(u, { id: 'q', authorId: 'nina', text: 'Why does the export fail?', at: asked });
    await stored(u, { id: 'r', authorId: 'sam', text: 'Split the file first', at: asked + HOUR, threadId: 'q' });
    await stored(u, { id: 'w', authorId: 'nina', text: 'That worked, thanks!', at: asked + 2 * HOUR, threadId: 'q' });
    expect((await pulse(u)).resolution.unresolvedOverAWeek).toBe(0);
  });

  it('the asker saying it worked credits the answer they reply to, not the latest one', async () => {
    const t = harness();
    await stored(t, { id: 'q', authorId: 'nina', text: 'How do I get the contributor role?', at: T0 });
    // Replies in q's discussion, as the pipeline links them.
    await stored(t, { id: 'm', authorId: 'mod', text: 'Open a PR and link it in #roles', at: T0 + MINUTE, replyTo: 'q', discussionId: 'q' });
    await stored(t, { id: 's', authorId: 'sam', text: 'Or ask in #general', at: T0 + 2 * MINUTE, replyTo: 'q', discussionId: 'q' });
    await stored(t, { id: 'w', authorId: 'nina', text: 'That worked, thank you', at: T0 + 3 * MINUTE, replyTo: 'm', discussionId: 'q' });
    expect((await pulse(t)).resolution).toMatchObject({ resolved: 1, resolvedByStaff: 1, resolvedByMember: 0 });
  });

  it('the asker’s thanks recorded on the question itself resolves it, crediting the thanked member’s reply', async () => {
    const t = harness();
    await stored(t, { id: 'q', authorId: 'nina', text: 'Why is the sync stuck?', at: T0 });
    await stored(t, { id: 'a', authorId: 'sam', text: 'Restart the desktop app', at: T0 + 10 * MINUTE, replyTo: 'q', discussionId: 'q' });
    await t.repos.signals.record(t.community, { kind: 'thanked', actorId: 'nina', subjectId: 'sam', messageId: 'q', at: T0 + 20 * MINUTE, dedupeKey: 'thanks-on-question' });
    expect((await pulse(t)).resolution).toMatchObject({ resolved: 1, resolvedByMember: 1, byHow: { thanked: 1 }, medianTimeToResolveMs: 20 * MINUTE });
  });
});
