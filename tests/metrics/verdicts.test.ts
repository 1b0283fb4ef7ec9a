import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { ASKS, currentVerdicts, textVerdicts, verdictFlags, verdictsTag } from '../../src/core/metrics/verdicts';
import { THREAD_TEXT } from '../../src/core/resolution';
import { harness, type Harness } from '../helpers/harness';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const pulse = (t: Harness) => computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
const stored = (t: Harness) => t.core.repos.messages.shapesInWindow(t.community, T0, T0 + DAY, { judgedWith: verdictsTag() });

/** A question answered and thanked, one the asker solved alone, a request for a human, chat. */
async function community() {
  const t = harness();
  t.clock.set(T0);
  const q = await t.say('nina', 'How do I reset my password?', { channelId: 'help' });
  t.clock.advance(10 * MINUTE);
  const a = await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q, channelId: 'help' });
  t.clock.advance(5 * MINUTE);
  await t.say('nina', 'that worked, thanks sam!', { replyTo: a, channelId: 'help' });
  t.clock.advance(HOUR);
  const q2 = await t.say('ola', 'Why does the build fail with exit code 137?', { channelId: 'help' });
  t.clock.advance(20 * MINUTE);
  await t.say('ola', 'nvm, I figured it out: out of memory', { replyTo: q2, channelId: 'help' });
  await t.say('kim', 'can I talk to a human please?', { channelId: 'general' });
  await t.say('lee', 'good morning everyone', { channelId: 'general' });
  return { t, q };
}

describe("the pulse's stored verdicts on messages' words", () => {
  it('are what the rules say of the text, with the tag of the rules and models that said it', () => {
    const asks = textVerdicts('How do I reset my password?');
    expect(verdictFlags(asks) & ASKS).toBe(ASKS);
    expect(currentVerdicts(asks)).toBe(true);
    expect(verdictFlags(textVerdicts('can I talk to a human please?')) & ASKS).toBe(0); // a request for a person waits for a moderator
    expect(verdictFlags(textVerdicts('that worked, thanks sam!'))).toBe(THREAD_TEXT.worked | THREAD_TEXT.namesFix);
    expect(verdictFlags(textVerdicts('still broken again after the update')) & THREAD_TEXT.relapse).toBe(THREAD_TEXT.relapse);
    expect(currentVerdicts(null)).toBe(false);
    expect(currentVerdicts(((verdictsTag() ^ 1) << 8) | ASKS)).toBe(false);
  });

  it('are judged on the first pulse, stored, and read instead of the words from then on: the same figures', async () => {
    const { t } = await community();
    expect((await stored(t)).every((m) => m.verdicts === null && m.text !== null)).toBe(true);
    const first = await pulse(t);
    expect(first.firstResponse.questions).toBe(2);
    expect(first.resolution).toMatchObject({ questions: 2, resolved: 2, resolvedByMember: 1, selfResolved: 1 });
    const after = await stored(t);
    expect(after.every((m) => currentVerdicts(m.verdicts) && m.text === null)).toBe(true);
    expect(await pulse(t)).toEqual(first);
  });

  it('given by other rules or models, or forgotten with an edit, are judged again from the words', async () => {
    const { t, q } = await community();
    const first = await pulse(t);
    // Verdicts of another tag that say the opposite of the words: never believed.
    const shapes = await t.core.repos.messages.shapesInWindow(t.community, T0, T0 + DAY);
    const texts = new Map((await t.core.repos.messages.inWindow(t.community, T0, T0 + DAY)).map((m) => [m.rowId, m.text]));
    const otherTag = (verdictsTag() ^ 1) << 8;
    await t.core.repos.messages.setVerdicts(
      t.community,
      shapes.map((m) => ({ rowId: m.rowId, text: texts.get(m.rowId)!, verdicts: otherTag | (~verdictFlags(m.verdicts ?? 0) & 0x3f) })),
    );
    expect(await pulse(t)).toEqual(first);
    // The question edited into a statement: no longer a question.
    await t.edit(q, 'I reset my password, all good', 'help');
    const edited = await pulse(t);
    expect(edited.firstResponse.questions).toBe(1);
    expect(edited.resolution.questions).toBe(1);
  });

  it('go with the text: none is left of a purged message', async () => {
    const { t } = await community();
    await pulse(t);
    await t.core.repos.messages.purgeTextBefore(t.community, T0 + DAY);
    const rows = await t.core.repos.messages.inWindow(t.community, T0, T0 + DAY);
    expect(rows.every((m) => m.text === null && m.verdicts === null)).toBe(true);
  });
});
