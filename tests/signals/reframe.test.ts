import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { renderPulseCard } from '../../src/core/metrics/card';
import { isReframe } from '../../src/core/features/signals/detect';
import { harness, type Harness } from '../helpers/harness';

const reframes = async (t: Harness) =>
  (await t.repos.signals.list(t.community, { kind: 'reframed_debate' })).map((s) => ({ actor: s.actorId, subject: s.subjectId, message: s.messageId }));

/** sam and nina clash over tabs and spaces in #dev; returns nina's heated reply. */
async function debate(t: Harness): Promise<string> {
  const claim = await t.say('sam', 'We should switch the whole repo to tabs this sprint', { channelId: 'dev' });
  t.clock.advance(MINUTE);
  const heated = await t.say('nina', 'That is a stupid idea and you always push it', { replyTo: claim, channelId: 'dev' });
  t.clock.advance(MINUTE);
  await t.say('sam', 'wtf, you never read the proposal', { replyTo: heated, channelId: 'dev' });
  t.clock.advance(5 * MINUTE);
  return heated;
}

// The core is the same on every platform; the community id (and so the stored rows) differs.
describe.each(['discord', 'slack', 'shell'])('reframed_debate on %s', (platformName) => {
  it('a third member who reframes a heated exchange that then cools is recorded, once per member of the exchange', async () => {
    const t = harness({ platformName });
    await debate(t);
    const reframe = await t.say('kim', 'You both want the diffs to stay readable. Why don\'t we try both on one module and compare the review times?', { channelId: 'dev' });
    expect(await reframes(t)).toEqual([]); // not yet: the exchange has not cooled
    t.clock.advance(10 * MINUTE);
    await t.say('sam', 'ok, I can set up the tabs half on the parser module', { channelId: 'dev' });
    expect(await reframes(t)).toEqual([
      { actor: 'kim', subject: 'nina', message: reframe },
      { actor: 'kim', subject: 'sam', message: reframe },
    ]);
    // nina cooling too changes nothing: one reframe, counted once.
    await t.say('nina', 'fine, I will take the spaces half', { channelId: 'dev' });
    expect(await reframes(t)).toHaveLength(2);

    const m = await computePulse(t.core, t.community, { since: t.clock.now() - DAY, until: t.clock.now() + 1 });
    expect(m.reframes).toEqual({ count: 1, who: [{ member: 'kim', name: 'kim', reframes: 1 }] });
    expect(m.lists.toThank).toContainEqual({ member: 'kim', name: 'kim', helps: 0, reframes: 1 });
    expect(renderPulseCard(m)).toContain('1 debate reframed (by <@kim>)');
  });

  it('no reframe when the exchange heats up again afterwards', async () => {
    const t = harness({ platformName });
    const heated = await debate(t);
    await t.say('kim', 'This isn\'t personal: what problem are we actually trying to solve with the switch?', { channelId: 'dev' });
    t.clock.advance(MINUTE);
    await t.say('nina', 'shut up sam, nobody asked', { replyTo: heated, mentions: ['sam'], channelId: 'dev' });
    t.clock.advance(10 * MINUTE);
    await t.say('sam', 'I will write it up properly tomorrow', { channelId: 'dev' });
    expect(await reframes(t)).toEqual([]);
  });

  it('a derailing joke and a moderator\'s scripted warning are not reframes', async () => {
    const t = harness({ platformName });
    await debate(t);
    await t.say('kim', 'you both want the same thing: a tabs vs spaces cage match lol 😂', { channelId: 'dev' });
    await t.say('mod', 'Reminder: keep it civil and follow the server rules. This is your final warning.', { channelId: 'dev' });
    t.clock.advance(10 * MINUTE);
    await t.say('sam', 'ok, moving on', { channelId: 'dev' });
    expect(await reframes(t)).toEqual([]);
  });

  it('a moderator who reframes (rather than warns) counts like anyone', async () => {
    const t = harness({ platformName });
    await debate(t);
    const reframe = await t.say('mod', 'Let\'s focus on the trade-offs: could we run a small benchmark on review time?', { channelId: 'dev' });
    await t.say('nina', 'sure, I will pick the files', { channelId: 'dev' });
    expect((await reframes(t)).map((r) => r.message)).toEqual([reframe, reframe]);
  });

  it('opted-out and forgotten members are never recorded nor listed', async () => {
    const t = harness({ platformName });
    await t.command('kim', 'privacy', { analytics: 'off' });
    await debate(t);
    await t.say('kim', 'You both want readable diffs; let\'s test both on one module', { channelId: 'dev' });
    await t.say('lee', 'You both want readable diffs. A quick experiment would settle it', { channelId: 'dev' });
    await t.say('sam', 'fair, let us try it', { channelId: 'dev' });
    expect(await reframes(t)).toEqual([
      { actor: 'lee', subject: 'nina', message: expect.any(String) },
      { actor: 'lee', subject: 'sam', message: expect.any(String) },
    ]);
    await t.core.features.signals.privacy.forget(t.community, 'nina');
    expect(await reframes(t)).toEqual([{ actor: 'lee', subject: 'sam', message: expect.any(String) }]);
    const m = await computePulse(t.core, t.community, { since: t.clock.now() - DAY, until: t.clock.now() + 1 });
    expect(m.reframes.who.map((w) => w.member)).toEqual(['lee']);
  });
});

describe('isReframe', () => {
  it.each([
    'You both want the release to be safe, you just disagree on when',
    'Sounds like you both care about uptime here',
    'alice wants speed while bob wants safety, and both are fair',
    'This is not personal, it is about the design',
    'I think you disagree with the approach, not with each other',
    'Where exactly do you disagree?',
    'What would change your mind?',
    "Why don't we benchmark both and look at the numbers",
    'A quick experiment would settle this',
  ])('reframes: "%s"', (text) => expect(isReframe(text)).toBe(true));

  it.each([
    'lol you both want a cage match',
    'Please keep it civil, this is a warning',
    'Read the rules, rule #3: no personal attacks',
    'you both are idiots',
    'I want coffee and I want tea',
    'let me know when the build is done',
  ])('does not: "%s"', (text) => expect(isReframe(text)).toBe(false));
});
