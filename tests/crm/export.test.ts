/**
 * `hearth export members`: the member health record of a community built through the real
 * Companion (tests/crm/fixture.ts), written as JSON lines and CSV through the CLI's `run`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/export';
import { csvField } from '../../src/cli/csv';
import { MEMBER_HEALTH_FIELDS, memberHealth } from '../../src/core/health/member-health';
import { openDatabase } from '../../src/db/connection';
import { harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';
import { buildCommunities, NOW, T0, ZOE_NAME } from './fixture';

async function exportMembers(args: string[], now = NOW) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough(), now: () => now });
  return { code, out, err };
}

const jsonl = async (file: string, extra: string[] = []) => {
  const result = await exportMembers(['members', '--format', 'jsonl', '--db', file, ...extra]);
  expect(result.err).toEqual([]);
  expect(result.code).toBe(0);
  return result.out.map((line) => JSON.parse(line) as Record<string, unknown>);
};
const ids = (records: Record<string, unknown>[]) => records.map((r) => `${r.communityId}/${r.memberId}`);

let file: string;
beforeAll(async () => {
  file = join(tempDir('hearth-export-'), 'hearth.db');
  await buildCommunities(file);
});

describe('export members --format jsonl', () => {
  it('writes one exact record per member, one JSON object a line', async () => {
    const records = await jsonl(file, ['--community', 'test:c1']);
    expect(ids(records)).toEqual(['test:c1/kim', 'test:c1/mod', 'test:c1/nina', 'test:c1/ola', 'test:c1/pia', 'test:c1/rita', 'test:c1/sam']);
    const nina = records.find((r) => r.memberId === 'nina');
    expect(nina).toEqual({
      communityId: 'test:c1',
      platform: 'test',
      memberId: 'nina',
      displayName: 'nina',
      email: 'nina@example.org', // given at her join; later events without one keep it
      joinedAt: '2026-01-05T09:00:00.000Z',
      firstSeenAt: '2026-01-05T09:00:00.000Z',
      lastActiveAt: '2026-01-05T15:00:00.000Z', // her request for a human
      welcomed: true,
      welcomedAt: '2026-01-05T09:02:00.000Z',
      welcomedBy: 'ola', // ola's "same here" reply came before sam's answer
      welcomedByName: 'ola',
      timeToWelcomeMs: 2 * 60_000,
      welcomesGiven: 0,
      helpsGiven: 0,
      helpsReceived: 1,
      thanksGiven: 1,
      thanksReceived: 0,
      sameHeresGiven: 0,
      sameHeresReceived: 1,
      humanRequests: 1,
      humanRequestsOpen: 0,
      humanRequestClaimP50Ms: 4 * 60_000,
      newcomerReturned: true, // asked again 3 hours after her first post
      recentHelps: 0,
      helperLoadShare: 0,
      burnoutRisk: false,
      burnoutReasons: [],
      wentQuiet: false,
      personId: 'test:c1/nina', // one account: test:c2's nina is another person (no email)
      accounts: ['test:c1/nina'],
    });
    expect(Object.keys(nina!)).toEqual([...MEMBER_HEALTH_FIELDS]);
    expect(records.find((r) => r.memberId === 'sam')).toMatchObject({
      joinedAt: null,
      welcomed: null,
      welcomesGiven: 3,
      helpsGiven: 3,
      thanksReceived: 1,
      recentHelps: 3,
      helperLoadShare: 1,
      burnoutRisk: true,
      burnoutReasons: ['large_share'],
      lastActiveAt: '2026-01-05T11:05:00.000Z',
    });
    expect(records.find((r) => r.memberId === 'kim')).toMatchObject({
      welcomed: true,
      welcomedBy: 'sam',
      timeToWelcomeMs: 125 * 60_000,
      helpsReceived: 1,
      humanRequests: 1,
      humanRequestsOpen: 1,
      humanRequestClaimP50Ms: null,
      newcomerReturned: null, // posted once, less than 7 days ago: not known yet
    });
    expect(records.find((r) => r.memberId === 'ola')).toMatchObject({ sameHeresGiven: 1, helpsReceived: 1, welcomedBy: 'sam', newcomerReturned: null });
    expect(records.find((r) => r.memberId === 'rita')).toMatchObject({ wentQuiet: true, lastActiveAt: '2025-11-26T09:04:00.000Z' });
    expect(records.filter((r) => r.wentQuiet).map((r) => r.memberId)).toEqual(['rita']);
  });

  it('never exports, counts or names a member with analytics off or a forgotten member', async () => {
    const result = await exportMembers(['members', '--format', 'jsonl', '--db', file]);
    expect(result.code).toBe(0);
    const text = result.out.join('\n');
    for (const hidden of ['omar', 'fred', 'forgotten member']) expect(text).not.toContain(hidden);
    // omar's stray welcome of kim came first (2h01) but neither counts nor names him.
    const kim = result.out.map((l) => JSON.parse(l)).find((r) => r.memberId === 'kim');
    expect(kim).toMatchObject({ welcomedBy: 'sam', welcomedAt: new Date(T0 + 125 * 60_000).toISOString() });
    // fred answered ola before sam did; forgotten, he is no longer counted as her helper.
    expect(result.out.map((l) => JSON.parse(l)).find((r) => r.memberId === 'ola')).toMatchObject({ helpsReceived: 1, welcomedBy: 'sam' });
    // His welcome of pia since then counts, but never names him.
    expect(result.out.map((l) => JSON.parse(l)).find((r) => r.memberId === 'pia')).toMatchObject({
      welcomed: true,
      welcomedAt: new Date(T0 + 9 * 3_600_000 + 3 * 60_000).toISOString(),
      timeToWelcomeMs: 3 * 60_000,
      welcomedBy: null,
      welcomedByName: null,
    });
  });

  it('a member who opts out later is left out of the next export', async () => {
    const own = join(tempDir('hearth-export-'), 'hearth.db');
    await buildCommunities(own);
    expect(ids(await jsonl(own, ['--community', 'test:c1']))).toContain('test:c1/nina');
    const database = openDatabase(own);
    try {
      const t = harness({ database, community: 'test:c1' });
      t.clock.set(NOW);
      await t.command('nina', 'privacy', { analytics: 'off' });
    } finally {
      database.close();
    }
    const after = await jsonl(own, ['--community', 'test:c1']);
    expect(ids(after)).not.toContain('test:c1/nina');
    expect(JSON.stringify(after)).not.toContain('nina');
  });
});

describe('export members --format csv', () => {
  it('writes a header row and the same records, quoted as RFC 4180 says', async () => {
    const csv = await exportMembers(['members', '--format', 'csv', '--db', file]);
    expect(csv.err).toEqual([]);
    expect(csv.code).toBe(0);
    expect(csv.out[0]).toBe(MEMBER_HEALTH_FIELDS.join(','));
    const rows = parse(csv.out.join('\n'), { columns: true }) as Record<string, string>[];
    const records = await jsonl(file);
    expect(rows).toHaveLength(records.length);
    // Every cell is the record's value: empty for null, `;` between list items.
    rows.forEach((row, i) => {
      const expected = Object.fromEntries(
        MEMBER_HEALTH_FIELDS.map((f) => {
          const v = records[i][f];
          return [f, v === null ? '' : Array.isArray(v) ? v.join(';') : String(v)];
        }),
      );
      expect(row).toEqual(expected);
    });
    const zoe = rows.find((r) => r.memberId === 'zoe')!;
    expect(zoe).toMatchObject({ displayName: ZOE_NAME, email: 'zoe@example.org', welcomed: 'false', helperLoadShare: '' });
    expect(csv.out.find((l) => l.includes('zoe'))).toContain('"Zoe ""Z"", Admin"');
    expect(rows.find((r) => r.memberId === 'sam' && r.communityId === 'test:c1')).toMatchObject({ burnoutRisk: 'true', burnoutReasons: 'large_share' });
  });

  it('fields: commas, quotes and line breaks are quoted; a formula-like text stays text', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@alice')).toBe("'@alice");
    expect(csvField(null)).toBe('');
    expect(csvField(['large_share', 'off_hours'])).toBe('large_share;off_hours');
    expect(csvField(0)).toBe('0');
  });
});

describe('export members: which members', () => {
  it('--community keeps to one community; without it, every community in the database', async () => {
    const two = await jsonl(file, ['--community', 'test:c2']);
    expect(ids(two)).toEqual(['test:c2/nina', 'test:c2/sam', 'test:c2/zoe']);
    // The other community's nina and sam are other people: nothing of test:c1 counts for them.
    expect(two[0]).toMatchObject({ helpsReceived: 0, thanksGiven: 0, sameHeresReceived: 0, humanRequests: 0, email: null, newcomerReturned: null });
    expect(two[1]).toMatchObject({ helpsGiven: 0, welcomesGiven: 0, thanksReceived: 0, helperLoadShare: null, burnoutRisk: false });
    expect(ids(await jsonl(file, ['--community', 'test:c1']))).not.toContain('test:c2/zoe');
    expect(ids(await jsonl(file))).toEqual([
      'test:c1/kim', 'test:c1/mod', 'test:c1/nina', 'test:c1/ola', 'test:c1/pia', 'test:c1/rita', 'test:c1/sam', 'test:c2/nina', 'test:c2/sam', 'test:c2/zoe',
    ]);
  });

  it('--since keeps members active since that date or time', async () => {
    expect(ids(await jsonl(file, ['--since', '2025-12-20', '--community', 'test:c1']))).toEqual(['test:c1/kim', 'test:c1/mod', 'test:c1/nina', 'test:c1/ola', 'test:c1/pia', 'test:c1/sam']);
    // 10:30 UTC: ola (last active 10:00) and test:c2 (10:00) drop out; the records are unchanged.
    const late = await jsonl(file, ['--since', '2026-01-05T10:30:00Z']);
    expect(ids(late)).toEqual(['test:c1/kim', 'test:c1/mod', 'test:c1/nina', 'test:c1/pia', 'test:c1/sam']);
    expect(late.find((r) => r.memberId === 'sam')).toMatchObject({ helpsGiven: 3, welcomesGiven: 3 });
    // A date-time without an offset is UTC.
    expect(ids(await jsonl(file, ['--since', '2026-01-05T10:30']))).toEqual(ids(late));
  });
});

describe('export members: usage errors', () => {
  it.each([
    [[], /what to export is missing/],
    [['contacts', '--format', 'csv'], /unknown export "contacts"/],
    [['members'], /--format is required/],
    [['members', '--format', 'xml'], /--format must be csv or jsonl/],
    [['members', '--format', 'csv', '--since', 'yesterday'], /--since must be an ISO date/],
    [['members', '--format', 'csv', '--since', '2026-02-30'], /--since must be an ISO date/],
    [['members', '--format', 'csv', '--community', 'test:nope'], /no community "test:nope".*stored: test:c1, test:c2/],
    [['members', 'extra', '--format', 'csv'], /unexpected argument "extra"/],
    [['members', '--format', 'csv', '--bogus'], /Unknown option '--bogus'/],
  ])('%j exits 2 with a clear message and the usage', async (args, message) => {
    const result = await exportMembers([...args, '--db', file]);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err.join('\n')).toMatch(message);
    expect(result.err.join('\n')).toContain('Usage: npm run -s hearth -- export members');
  });

  it('a missing database file is an error, and no empty database is left behind', async () => {
    const missing = join(tempDir('hearth-export-'), 'nope.db');
    const result = await exportMembers(['members', '--format', 'csv', '--db', missing]);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain(`no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('one member’s record (the dashboard’s member page)', () => {
  it('is that member’s record of the whole export, read from their own signals and the narrow rows of who counts', async () => {
    const database = openDatabase(file);
    try {
      for (const community of ['test:c1', 'test:c2']) {
        const t = harness({ database, community });
        const all = await memberHealth(t.core, community, { now: NOW });
        const pairs = vi.spyOn(t.repos.signals, 'countByPair');
        const members = vi.spyOn(t.repos.members, 'list');
        for (const id of [...all.map((r) => r.memberId), 'omar', 'fred', 'nobody']) {
          expect(await memberHealth(t.core, community, { now: NOW, member: id }), id).toEqual(all.filter((r) => r.memberId === id));
        }
        expect(pairs).not.toHaveBeenCalled();
        expect(members).not.toHaveBeenCalled();
      }
    } finally {
      database.close();
    }
  });
});

describe('export members: documented', () => {
  it('README and docs/metrics.md define every field', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const metrics = readFileSync(join(__dirname, '../../docs/metrics.md'), 'utf8');
    for (const field of MEMBER_HEALTH_FIELDS) {
      expect(readme, field).toContain(`\`${field}\``);
      expect(metrics, field).toContain(`\`${field}\``);
    }
  });
});
