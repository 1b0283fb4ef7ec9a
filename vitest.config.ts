import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // better-sqlite3 and local fake servers are happiest in forked workers.
    pool: 'forks',
    // Every test scores with the committed recogniser weights, as the companion does. The fake
    // Discord and Slack servers check all traffic against the platforms' published API
    // descriptions (../shared/specs): failures fail the test, counts are summed once per run.
    setupFiles: ['tests/setup/models.ts', 'tests/fakes/spec/hooks.ts'],
    // A throwaway PostgreSQL cluster for the suites that run on both stores (fails loudly without PostgreSQL).
    globalSetup: ['tests/fakes/spec/summary.ts', 'tests/setup/postgres.ts'],
  },
});
