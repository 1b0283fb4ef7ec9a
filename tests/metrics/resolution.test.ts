import { describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { resolutionFigures, UNRESOLVED_LOOKBACK } from '../../src/core/metrics/resolution';
import { readShapes, startsConversation } from '../../src/core/metrics/shapes';
import { ASKS } from '../../src/core/metrics/verdicts';
import { renderPulseCard } from '../../src/core/metrics/card';
import { resolveThread, saysItWorked } from '../../src/core/resolution';
import { harness, type Harness } from '../helpers/harness';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const pulse = (t: Harness, days = 1) => computePulse(t.core, t.community, { since: T0, until: T0 + days * DAY });

// Accept emoji as each platform's adapter delivers it.
const CHECK: Record<string, string> = { discord: '✅', slack: 'white_check_mark', shell: '✅' };

describe.each(['discord', 'slack', 'shell'])('thread resolution on %s', (platformName) => {
  const start = () => {
    const t = harness({ platformName });
    t.clock.set(T0);
    return t;
  };

  it('a thanked answer resolves the question: by a member, timed from the question to the thanks', async () => {
    const t = start();
    const q = await t.say('nina', 'How do I reset my password?', { channelId: 'help' });
    t.clock.advance(10 * MINUTE);
    const a = await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q, channelId: 'help' });
    t.clock.advance(5 * MINUTE);
    await t.say('nina', 'thanks sam!', { replyTo: a, channelId: 'help' });
    const { resolution } = await pulse(t);
    expect(resolution).toMatchObject({ questions: 1, resolved: 1, resolvedByMember: 1, resolvedByStaff: 0, selfResolved: 0, memberShare: 1 });
    expect(resolution.medianTimeToResolveMs).toBe(15 * MINUTE);
    expect(resolution.byHow.thanked).toBe(1);
  });

  it('a ✅ from the asker on an answer resolves it (accepted); one from a moderator too', async () => {
    const t = start();
    const q = await t.say('nina', 'Why does the export fail on large files?', { channelId: 'help' });
    t.clock.advance(HOUR);
    const a = await t.say('sam', 'The limit is 10 MB: split the file first', { replyTo: q, channelId: 'help' });
    t.clock.advance(HOUR);
    await t.react('nina', a, CHECK[platformName], 'help');
    const q2 = await t.say('ola', 'Is there a dark mode anywhere?', { channelId: 'design' });
    t.clock.advance(MINUTE);
    const a2 = await t.say('kim', 'Appearance, then Theme, then Dark', { replyTo: q2, channelId: 'design' });
    await t.react('lee', a2, CHECK[platformName], 'design'); // not the asker, not a moderator: nothing
    t.clock.advance(MINUTE);
    await t.react('mod', a2, CHECK[platformName], 'design');
    const { resolution } = await pulse(t);
    expect(resolution).toMatchObject({ questions: 2, resolved: 2, resolvedByMember: 2, byHow: { accepted: 1, moderator: 1 } });
    expect(resolution.medianTimeToResolveMs).toBe(2 * MINUTE); // nearest rank of [2 min, 2 h]
  });

  it('the asker who finds it alone resolves it themselves, not by a member', async () => {
    const t = start();
    const q = await t.say('nina', 'The build keeps failing with exit code 137, any idea?', { channelId: 'help' });
    t.clock.advance(20 * MINUTE);
    await t.say('nina', 'nvm, I figured it out: the container was out of memory', { replyTo: q, channelId: 'help' });
    const { resolution } = await pulse(t);
    expect(resolution).toMatchObject({ questions: 1, resolved: 1, resolvedByMember: 0, selfResolved: 1, memberShare: 0 });
  });

  it('a moderator marking a thread solved resolves it, crediting the last answer; a member saying so does not', async () => {
    const t = start();
    const q = await t.say('nina', 'Why is the sync stuck at 99%?', { channelId: 'help' });
    t.clock.advance(HOUR);
    await t.say('sam', 'Restart the desktop app, the last file is retried then', { replyTo: q, channelId: 'help' });
    t.clock.advance(HOUR);
    await t.say('mod', 'Marking this as solved', { replyTo: q, channelId: 'help' });
    const q2 = await t.say('ola', 'Why does the upload time out?', { channelId: 'help' });
    t.clock.advance(MINUTE);
    await t.say('kim', 'Try a wired connection', { replyTo: q2, channelId: 'help' });
    await t.say('lee', 'Marking this as solved', { replyTo: q2, channelId: 'help' }); // not a moderator: nothing
    const { resolution } = await pulse(t);
    expect(resolution).toMatchObject({ questions: 2, resolved: 1, resolvedByMember: 1, byHow: { moderator: 1 } });
    expect(resolution.medianTimeToResolveMs).toBe(2 * HOUR);
  });

  it('an answer from a moderator that the asker thanks counts as resolved by staff', async () => {
    const t = start();
    const q = await t.say('nina', 'How do I get the contributor role?', { channelId: 'help' });
    const a = await t.say('mod', 'Open a PR and link it in #roles, we add it the same day', { replyTo: q, channelId: 'help' });
    await t.say('nina', 'that worked, thank you', { replyTo: a, channelId: 'help' });
    expect((await pulse(t)).resolution).toMatchObject({ resolved: 1, resolvedByStaff: 1, resolvedByMember: 0 });
  });

  it('reopened: the same problem back a day later, in the thread or as a new question from the asker', async () => {
    const t = start();
    const q = await t.say('nina', 'Why does the sync client crash on startup?', { channelId: 'help' });
    const a = await t.say('sam', 'Delete the cache folder and start it again', { replyTo: q, channelId: 'help' });
    await t.say('nina', 'thanks sam, works now', { replyTo: a, channelId: 'help' });
    const q2 = await t.say('ola', 'How do I change my display name?', { channelId: 'help' });
    const a2 = await t.say('sam', 'Profile, then Edit, then Display name', { replyTo: q2, channelId: 'help' });
    await t.say('ola', 'thanks, that did it', { replyTo: a2, channelId: 'help' });
    t.clock.advance(DAY);
    await t.say('nina', 'it is crashing on startup again, even after clearing the cache', { replyTo: q, channelId: 'help' });
    const { resolution } = await pulse(t, 2);
    expect(resolution).toMatchObject({ questions: 2, resolved: 2, reopened: 1 });

    const u = start();
    const q3 = await u.say('nina', 'Why does the sync client crash on startup?', { channelId: 'help' });
    const a3 = await u.say('sam', 'Delete the cache folder and start it again', { replyTo: q3, channelId: 'help' });
    await u.say('nina', 'thanks sam, works now', { replyTo: a3, channelId: 'help' });
    u.clock.advance(DAY);
    await u.say('nina', 'Sync client crash on startup, what else can I try?', { channelId: 'general' });
    expect((await pulse(u, 2)).resolution).toMatchObject({ resolved: 1, reopened: 1 });
  });

  it('lists questions still unresolved after a week, and never names an opted-out asker', async () => {
    const t = start();
    await t.say('nina', 'Does anyone know why the webhook retries twice?', { channelId: 'help' });
    await t.command('ola', 'privacy', { analytics: 'off' });
    await t.say('ola', 'Why is the invoice page blank?', { channelId: 'help' });
    t.clock.set(T0 + 8 * DAY);
    const m = await computePulse(t.core, t.community, { since: T0 + 7 * DAY, until: T0 + 8 * DAY });
    expect(m.resolution.unresolvedOverAWeek).toBe(1);
    expect(m.lists.unresolvedQuestions).toEqual([expect.objectContaining({ member: 'nina', waitingMs: 8 * DAY })]);
    expect(renderPulseCard(m)).toContain('unresolved over a week 1');
  });

  it('lists the first unresolved questions it may name, up to the limit, in the order asked; counts them all', async () => {
    const t = start();
    await t.say('kim', 'Why does the export time out on large files?', { channelId: 'help' });
    t.clock.advance(HOUR);
    await t.say('nina', 'Does anyone know why the webhook retries twice?', { channelId: 'help' });
    t.clock.advance(HOUR);
    await t.say('sam', 'How do I move a project to another workspace?', { channelId: 'help' });
    // Forgotten, then analytics on again: counted, never named.
    await t.repos.members.forget(t.community, 'kim', T0 + 3 * HOUR);
    await t.repos.members.setAnalyticsOptOut(t.community, 'kim', false);
    t.clock.set(T0 + 8 * DAY);
    const window = { since: T0 + 7 * DAY, until: T0 + 8 * DAY };
    const one = await computePulse(t.core, t.community, window, { listLimit: 1 });
    expect(one.resolution.unresolvedOverAWeek).toBe(3);
    expect(one.lists.unresolvedQuestions.map((q) => q.member)).toEqual(['nina']);
    const all = await computePulse(t.core, t.community, window, { listLimit: 5 });
    expect(all.lists.unresolvedQuestions.map((q) => [q.member, q.waitingMs])).toEqual([
      ['nina', 8 * DAY - HOUR],
      ['sam', 8 * DAY - 2 * HOUR],
    ]);
    // Found as they come, not all listed then cut: once the limit is reached, no more asker is looked at.
    const shapes = await readShapes(t.repos, t.community, window.until - UNRESOLVED_LOOKBACK, window.until, () => true);
    const may = vi.fn((member: string) => member !== 'kim');
    const isQuestion = (i: number) => startsConversation(shapes, i) && (shapes.flags[i] & ASKS) !== 0;
    const stats = { share: () => null, median: () => null };
    const { figures, unresolved } = await resolutionFigures({ messages: shapes, signals: [], moderators: new Set(), isQuestion, textOf: async () => null, listed: { may, limit: 1 } }, window, stats);
    expect(figures.unresolvedOverAWeek).toBe(3);
    expect(unresolved.map((q) => q.member)).toEqual(['nina']);
    expect(may.mock.calls.map(([member]) => member)).toEqual(['kim', 'nina']);
  });
});

describe('resolveThread', () => {
  const msg = (id: string, authorId: string, text: string, createdAt: number, replyTo?: string) => ({ id, authorId, text, createdAt, replyTo });

  it('is not fooled by a question or a "still not working"', () => {
    expect(saysItWorked('did that fix it?')).toBe(false);
    expect(saysItWorked('thanks, but it is still not working')).toBe(false);
    const thread = { messages: [msg('q', 'a', 'how do I X?', 0), msg('r', 'b', 'try Y', 1), msg('f', 'a', 'still not fixed, thanks anyway', 2, 'r')], signals: [] };
    expect(resolveThread(thread)).toBeUndefined();
  });

  it('thanks in advance with nobody else in the thread resolves nothing', () => {
    expect(resolveThread({ messages: [msg('q', 'a', 'how do I X?', 0), msg('t', 'a', 'thanks!', 1)], signals: [] })).toBeUndefined();
  });

  it('the earliest resolution wins, and a moderator closing a thread credits the last answer', () => {
    const messages = [msg('q', 'a', 'how do I X?', 0), msg('r', 'b', 'run the X tool', 1), msg('m', 'mod', 'Marking this as solved', 5)];
    expect(resolveThread({ messages, signals: [] }, { isStaff: (id) => id === 'mod' })).toMatchObject({ how: 'moderator', by: 'member', resolverId: 'b', at: 5 });
    const thanked = { kind: 'thanked', actorId: 'a', subjectId: 'b', messageId: 'r', at: 3 };
    expect(resolveThread({ messages, signals: [thanked] }, { isStaff: (id) => id === 'mod' })).toMatchObject({ how: 'thanked', at: 3 });
  });
});
