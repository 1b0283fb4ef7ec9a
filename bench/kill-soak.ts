/**
 * `npm run bench -- --kill-soak [--rounds 100] [--seed 1] [--platform shell|discord|slack|all]`
 * (or `npx tsx bench/kill-soak.ts ...`): the kill test's rounds, many of them. Each round
 * starts the real companion on a fresh database (the shell: tests/helpers/kill-round.ts; Discord
 * and Slack: the real adapter against the local fake kept alive in this process,
 * tests/helpers/platform-kill-round.ts), kills it with SIGKILL at a seeded random point while it
 * handles requests for a human, restarts it, and counts, per stored request, the member's
 * acknowledgements and the moderator pings. Prints one line per failing round (its seed replays
 * it) and a JSON summary per platform: duplicate posts (unmarked, or marked where the platform
 * could have told), lost acknowledgements, posts marked as possible repeats and how many of those
 * the member had in fact seen already (a command reply before the kill); exits 1 on any lost
 * post or duplicate. A soak, not a benchmark of speed: 2 processes a round, so 100 rounds take
 * several minutes (the shell) to about half an hour (Discord, Slack) on 2 cores.
 */
import { parseArgs } from 'node:util';
import { killRound, type KillRoundResult } from '../tests/helpers/kill-round';
import { platformKillRound, type PlatformKillRoundResult } from '../tests/helpers/platform-kill-round';

const PLATFORMS = ['shell', 'discord', 'slack'] as const;
type Platform = (typeof PLATFORMS)[number];

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, platform: { type: 'string', default: 'shell' } } });
  const rounds = Number(values.rounds);
  const first = Number(values.seed);
  const platforms = values.platform === 'all' ? [...PLATFORMS] : [values.platform as Platform];
  if (!platforms.every((p) => PLATFORMS.includes(p)) || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: --kill-soak [--rounds N] [--seed S] [--platform shell|discord|slack|all]');
    return 2;
  }
  let failedAny = false;
  for (const platform of platforms) {
    const started = Date.now();
    let failed = 0;
    const sum = { requests: 0, duplicate_posts: 0, duplicate_keys: 0, lost_acknowledgements: 0, marked_repeats: 0, marked_repeats_seen_twice: 0 };
    const killPoints = new Set<number>();
    for (let seed = first; seed < first + rounds; seed++) {
      const round: KillRoundResult & Partial<PlatformKillRoundResult> = platform === 'shell' ? await killRound(seed) : await platformKillRound(platform, seed);
      sum.requests += round.requests;
      sum.duplicate_posts += round.duplicates;
      sum.duplicate_keys += round.duplicateKeys ?? 0;
      sum.lost_acknowledgements += round.lostAcknowledgements;
      sum.marked_repeats += round.markedRepeats;
      sum.marked_repeats_seen_twice += round.markedDuplicates;
      killPoints.add(round.killedAfterLine);
      if (round.problems.length) {
        failed++;
        console.log(`${platform} seed ${seed} (killed after ${platform === 'shell' ? 'output line' : 'request'} ${round.killedAfterLine}): ${round.problems.join('; ')}`);
      }
      const done = seed - first + 1;
      const summary = () => JSON.stringify({ platform, rounds: done, failed_rounds: failed, ...sum, distinct_kill_points: killPoints.size, seconds: Math.round((Date.now() - started) / 1000) });
      // A running total every 10 rounds (a long soak on a busy machine can be read as it goes).
      if (done === rounds) console.log(summary());
      else if (done % 10 === 0) console.error(`(so far) ${summary()}`);
    }
    if (failed) failedAny = true;
  }
  return failedAny ? 1 : 0;
}

if (process.argv[1]?.endsWith('kill-soak.ts')) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
