import { describe, expect, it } from 'vitest';
import { similarProblems } from '../../src/core/samehere/problem';

/** Which same-here reports count together towards an incident (many members, one problem). */
describe('similar problems', () => {
  it('are alike in what is broken, not in "doesn\'t work" or the name addressed', () => {
    expect(similarProblems('sam: it doesnt work', 'the printer doesnt work since the upgrade')).toBe(false);
    expect(similarProblems("leo: still can't", "wifi won't connect, can't get an address")).toBe(false);
    expect(similarProblems("the wifi doesn't work since the upgrade", 'wifi stopped after the upgrade')).toBe(true);
    expect(similarProblems('checkout down?', 'checkout 502')).toBe(true);
  });

  it('are not alike for being addressed to the same member ("sam: ..." or a mention)', () => {
    expect(similarProblems('sam_k: it doesnt work', 'sam_k: try the other kernel then')).toBe(false);
    expect(similarProblems('<@U123> still broken', '<@U123> thanks, that fixed it')).toBe(false);
  });
});

describe('an incident needs a problem report', () => {
  it('five members agreeing with a question that reports nothing broken open no incident (they are still counted)', async () => {
    const { harness } = await import('../helpers/harness');
    const t = harness();
    const q = await t.say('maya', 'which editor do you all use for python?');
    for (const who of ['leo', 'zoe', 'kim', 'ari', 'bo']) await t.say(who, 'same here', { replyTo: q });
    expect(await t.repos.sameHere.count(t.community, q)).toBe(5);
    expect(await t.repos.escalations.list(t.community)).toHaveLength(0);

    const u = harness();
    const p = await u.say('maya', 'the login page fails with a timeout since this morning');
    for (const who of ['leo', 'zoe', 'kim', 'ari', 'bo']) await u.say(who, 'same here', { replyTo: p });
    expect((await u.repos.escalations.list(u.community)).map((e) => e.source)).toEqual(['incident']);
  });
});
