/**
 * The real process killed with SIGKILL at seeded random points while it handles requests,
 * then restarted (tests/helpers/kill-round.ts): no acknowledgement lost, no ping posted twice.
 * A few rounds here; `npx tsx bench/kill-soak.ts` runs 100 or more.
 */
import { describe, expect, it } from 'vitest';
import { killRound } from '../helpers/kill-round';

const SEEDS = [1, 2, 3, 4];

describe('kill -9 at random points, then restart', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every request acknowledged once, every ping posted once`, async () => {
      const round = await killRound(seed);
      expect(round.problems, `killed after output line ${round.killedAfterLine}`).toEqual([]);
      expect(round.markedRepeats).toBe(0);
    }, 60_000);
  }
});
