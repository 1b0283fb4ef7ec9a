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
});
