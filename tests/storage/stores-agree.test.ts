/**
 * The pulse is written once, against the storage port: on the same community, SQLite and
 * PostgreSQL must give the same figures and lists, byte for byte. Random communities with
 * every awkward shape of data (tests/helpers/random-community.ts), fixed seeds. This found
 * requests opened at the same moment listed in another order on each store.
 */
import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { computePulse, type PulseOptions } from '../../src/core/metrics';
import { SettingsService } from '../../src/core/settings';
import type { Repositories } from '../../src/core/storage';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { randomCommunity, writeCommunity, type RandomCase } from '../helpers/random-community';

/** The windows compared: the last 7 days (as /pulse, with every list whole, without resolution), a past week, 28 days, one ending mid-day. */
const windows = (now: number): Array<[string, number, number, PulseOptions]> => [
  ['7 days', now - 7 * DAY, now, {}],
  ['7 days, lists whole', now - 7 * DAY, now, { listLimit: 1000 }],
  ['7 days, no resolution', now - 7 * DAY, now, { resolution: false }],
  ['a past week', now - 14 * DAY, now - 7 * DAY, {}],
  ['28 days, lists whole', now - 28 * DAY, now, { listLimit: 1000 }],
  ['mid-day', now - 3.5 * DAY, now - 0.5 * DAY, { listLimit: 1000 }],
];

async function pulses(repos: Repositories, c: RandomCase): Promise<Record<string, string>> {
  const core = { repos, settings: new SettingsService(repos) };
  const out: Record<string, string> = {};
  for (const community of c.communities) {
    for (const [name, since, until, options] of windows(c.now)) out[`${community}, ${name}`] = JSON.stringify(await computePulse(core, community, { since, until }, options));
  }
  return out;
}

const cases: Array<[number, boolean]> = [
  [1, false],
  [2, false],
  [3, false],
  [15, false], // two requests opened at the same moment
  [10001, true],
  [10002, true],
];

describe.skipIf(!postgresEnabled())('the pulse on SQLite and on PostgreSQL', () => {
  it.each(cases)('is the same, byte for byte, on random community %i (hostile ids: %s)', async (seed, hostile) => {
    const c = randomCommunity(seed, hostile);
    const sqlite = openDatabase(':memory:');
    const postgres = await openTestPostgres();
    try {
      const onSqlite = createRepositories(sqlite);
      await writeCommunity(onSqlite, c);
      await writeCommunity(postgres.repos, c);
      const [a, b] = [await pulses(onSqlite, c), await pulses(postgres.repos, c)];
      expect(b).toEqual(a);
      // What the comparison stands on: questions, lists and requests to compare.
      const figures = Object.values(a).map((json) => JSON.parse(json));
      expect(figures.some((m) => m.firstResponse.questions > 0)).toBe(true);
      expect(figures.some((m) => m.escalations.opened > 0 || m.lists.unansweredNewcomers.length > 0)).toBe(true);
    } finally {
      sqlite.close();
      await postgres.close();
    }
  });
});
