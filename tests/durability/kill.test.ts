/**
 * The real process killed with SIGKILL at seeded random points while it handles requests,
 * then restarted (tests/helpers/kill-round.ts): no acknowledgement lost, no post made twice
 * (a repeat marked as a possible repeat counts as twice). Seeds 3 and 4 killed it between a
 * post and its record before the shell kept a record of its keyed posts.
 * A few rounds here; `npx tsx bench/kill-soak.ts` runs 100 or more.
 */
import { describe, expect, it } from 'vitest';
import { killRound } from '../helpers/kill-round';

const SEEDS = [1, 2, 3, 4];

describe('kill -9 at random points, then restart', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: no acknowledgement lost, no post made twice`, async () => {
      const round = await killRound(seed);
      expect(round.problems, `killed after output line ${round.killedAfterLine}`).toEqual([]);
      expect(round).toMatchObject({ duplicates: 0, lostAcknowledgements: 0 });
      expect(round.requests).toBeGreaterThan(0);
    }, 90_000);
  }
});
