/**
 * The real process killed with SIGKILL at seeded random points while it handles requests,
 * then restarted (tests/helpers/kill-round.ts): no acknowledgement lost, no ping posted twice
 * (a post whose fate the kill left unknown may be repeated, marked as such).
 * A few rounds here; `npx tsx bench/kill-soak.ts` runs 100 or more.
 */
import { describe, expect, it } from 'vitest';
import { killRound } from '../helpers/kill-round';

const SEEDS = [1, 2, 3, 4];

describe('kill -9 at random points, then restart', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: no acknowledgement lost, no ping posted twice`, async () => {
      const round = await killRound(seed);
      expect(round.problems, `killed after output line ${round.killedAfterLine}`).toEqual([]);
      expect(round.requests).toBeGreaterThan(0);
    }, 90_000);
  }
});
