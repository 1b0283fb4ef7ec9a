/**
 * `npx tsx bench/kill-soak.ts [--rounds 100] [--seed 1]`: the kill test's rounds
 * (tests/helpers/kill-round.ts), many of them. Each round starts the real companion on a fresh
 * database, kills it with SIGKILL at a seeded random point while it handles requests, restarts
 * it, and counts, per stored request, the member's acknowledgements and the moderator pings.
 * Prints one line per failing round (its seed replays it) and a JSON summary with the
 * duplicate posts (marked as a possible repeat or not) and lost acknowledgements; exits 1 on
 * any lost post or any duplicate. A soak, not a benchmark of speed: about 2 processes a round,
 * so 100 rounds take several minutes on 2 cores.
 */
import { parseArgs } from 'node:util';
import { killRound } from '../tests/helpers/kill-round';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } } });
const rounds = Number(values.rounds);
const first = Number(values.seed);

async function main(): Promise<number> {
  const started = Date.now();
  let failed = 0;
  let requests = 0;
  let markedRepeats = 0;
  let duplicates = 0;
  let lostAcknowledgements = 0;
  const killPoints = new Set<number>();
  for (let seed = first; seed < first + rounds; seed++) {
    const round = await killRound(seed);
    requests += round.requests;
    markedRepeats += round.markedRepeats;
    duplicates += round.duplicates;
    lostAcknowledgements += round.lostAcknowledgements;
    killPoints.add(round.killedAfterLine);
    if (round.problems.length) {
      failed++;
      console.log(`seed ${seed} (killed after line ${round.killedAfterLine}): ${round.problems.join('; ')}`);
    }
  }
  console.log(JSON.stringify({ platform: 'shell', rounds, failed_rounds: failed, requests, duplicate_posts: duplicates, lost_acknowledgements: lostAcknowledgements, marked_repeats: markedRepeats, distinct_kill_points: killPoints.size, seconds: Math.round((Date.now() - started) / 1000) }));
  return failed ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
