import { defineConfig } from 'vitest/config';

/**
 * The feature files that run on PostgreSQL too (the `postgres` project re-runs them with
 * HEARTH_TEST_STORE=postgres: the harness opens an empty PostgreSQL database per store). They
 * are the ones that lean on storage most; the storage contract (tests/storage) runs on both
 * stores in every run already.
 */
export const POSTGRES_FEATURE_FILES = [
  'tests/welcome/welcome.test.ts', // welcomes, rotation, welcomer load
  'tests/welcome/batching.test.ts', // bursts of joins, fractional times
  'tests/same-here/feature.test.ts', // counting, incidents, restarts
  'tests/human/lifecycle.test.ts', // escalations: claim, resolve, restart
  'tests/human/follow-ups.test.ts', // re-pings and second tier from durable steps
  'tests/human/private-channels.test.ts',
  'tests/related/search.test.ts', // ranking, index upkeep, private channels
  'tests/signals/privacy.test.ts', // analytics off, forget-me, retention
  'tests/metrics/pulse-command.test.ts',
  'tests/metrics/weeks.test.ts', // closed weeks kept in the store (pulse_weeks)
  'tests/metrics/recent.test.ts', // the last 7 days kept, computed again in the background (async reads interleave)
  'tests/metrics/verdicts.test.ts', // verdicts on words stored with the messages
  'tests/metrics/shapes.test.ts', // four weeks read a day at a time, as columns
  'tests/metrics/threads.test.ts', // first responses and resolution over thread and discussion links
  'tests/import/import.test.ts',
  'tests/crm/link-command.test.ts', // link codes: hashed, single use, across communities
  'tests/durability/stored-not-handled.test.ts', // an event stored by a handler that died: acted on once
];

const shared = {
  environment: 'node',
  testTimeout: 20_000,
  hookTimeout: 20_000,
  // better-sqlite3 and local fake servers are happiest in forked workers.
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    // Run once for both projects: a throwaway PostgreSQL cluster (fails loudly without
    // PostgreSQL) and the summary of the requests the fake servers checked.
    globalSetup: ['tests/fakes/spec/summary.ts', 'tests/setup/postgres.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['tests/**/*.test.ts'],
          // Every test scores with the committed recogniser weights, as the companion does. The fake
          // Discord and Slack servers check all traffic against the platforms' published API
          // descriptions (../shared/specs): failures fail the test, counts are summed once per run.
          setupFiles: ['tests/setup/models.ts', 'tests/fakes/spec/hooks.ts'],
        },
      },
      // Left out only when the run says so (HEARTH_TEST_POSTGRES=off, announced by the setup).
      ...(process.env.HEARTH_TEST_POSTGRES === 'off' ? [] : [{
        test: {
          ...shared,
          name: 'postgres',
          include: POSTGRES_FEATURE_FILES,
          env: { HEARTH_TEST_STORE: 'postgres' },
          setupFiles: ['tests/setup/models.ts', 'tests/setup/harness-postgres.ts'],
        },
      }]),
    ],
  },
});
