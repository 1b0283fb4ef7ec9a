/**
 * The real companion with the real Discord and Slack adapters, killed with SIGKILL at seeded
 * points while it handles requests for a human, then restarted on the same database and the
 * same fake, which kept what the platform took (tests/helpers/platform-kill-round.ts): no
 * acknowledgement lost, no post made twice, no intent key on two messages. The seeds kill it
 * at the first moderator ping, at a command reply, at a typed request's DM acknowledgement
 * (Slack: just before it, at conversations.open) and around the re-pings. A command reply
 * killed before its delivery was recorded: on Discord it is looked up with the interaction
 * token stored with its intent (found: left as it is; none: sent once), so no possible repeat
 * is allowed; Slack cannot look it up, and acknowledges again marked as a possible repeat
 * (counted, allowed).
 * A few rounds here; `npm run bench -- --kill-soak --platform discord|slack` runs 100 or more.
 */
import { describe, expect, it } from 'vitest';
import { platformKillRound, type KillPlatform } from '../helpers/platform-kill-round';

const SEEDS: Record<KillPlatform, number[]> = { discord: [7, 8, 1], slack: [12, 5, 2] };

for (const platform of ['discord', 'slack'] as const) {
  describe(`${platform}: kill -9 at random points, then restart`, () => {
    for (const seed of SEEDS[platform]) {
      it(`seed ${seed}: no acknowledgement lost, no post made twice`, async () => {
        const round = await platformKillRound(platform, seed);
        expect(round.problems, `killed after the fake's request ${round.killedAfterRequest}`).toEqual([]);
        expect(round).toMatchObject({ duplicates: 0, duplicateKeys: 0, lostAcknowledgements: 0 });
        expect(round.requests).toBeGreaterThan(0);
      }, 90_000);
    }
  });
}

describe('slack: killed while handling a typed request, before acknowledging the event', () => {
  it('Slack sends the event again to the restarted process: the request is taken, acknowledged and pinged once', async () => {
    // The fake's 9th request is the typed request's own handling (its author's lookup); Slack
    // events are acknowledged once handled, so the killed process never acknowledged it.
    const round = await platformKillRound('slack', 1, 9);
    expect(round.problems, `killed after the fake's request ${round.killedAfterRequest}`).toEqual([]);
    expect(round).toMatchObject({ requests: 3, duplicates: 0, duplicateKeys: 0, lostAcknowledgements: 0 });
    expect(round.sentAgain).toBeGreaterThanOrEqual(1);
  }, 90_000);
});

describe('discord: killed just after Discord took a /human reply, before Hearth recorded it', () => {
  it('the restart finds the reply with the stored interaction token: no DM, no "possible repeat"', async () => {
    // Killed at the fake's 4th request (seed 11 adds 0-3 ms): before interaction tokens were
    // stored, this round ended with maya seeing her reply and then a "possible repeat" DM.
    const round = await platformKillRound('discord', 11, 4);
    expect(round.problems).toEqual([]);
    expect(round).toMatchObject({ duplicates: 0, duplicateKeys: 0, lostAcknowledgements: 0, markedRepeats: 0 });
  }, 90_000);
});
