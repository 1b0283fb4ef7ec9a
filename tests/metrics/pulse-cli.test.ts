import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/pulse';
import { run as runImport } from '../../src/cli/commands/import';
import { openTestPostgres, postgresEnabled } from '../helpers/postgres';
import { tempDir } from '../helpers/temp-dir';

async function pulse(lines: string[], extra: string[] = []) {
  const dir = tempDir('hearth-pulse-');
  const file = join(dir, 'messages.jsonl');
  writeFileSync(file, lines.join('\n'));
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(['--input', file, ...extra], { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough() });
  return { code, out, err };
}

const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe('hearth pulse --input', () => {
  it('prints the metrics as one JSON object, with the window covering the data', async () => {
    const { code, out, err } = await pulse([
      line({ id: 'j1', channel: 'general', author: 'nina', text: '', at: '2026-01-05T09:00:00Z', kind: 'join' }),
      line({ id: 1, channel: 'general', author: 'nina', text: 'How do I reset my password?', at: '2026-01-05T09:05:00Z' }),
      line({ id: 2, channel: 'general', author: 'sam', text: 'Settings, then Security, then Reset', at: '2026-01-05T09:15:00Z', replyTo: 1 }),
      line({ id: 3, channel: 'general', author: 'nina', text: 'thanks sam!', at: Date.parse('2026-01-05T09:16:00Z'), replyTo: '2' }),
      line({ id: 4, channel: 'general', author: 'bot', text: 'Is this a question?', at: '2026-01-05T10:00:00Z', authorIsBot: true }),
      line({ id: 5, channel: 'general', author: 'ola', text: 'anyone know why the build fails?', at: '2026-01-05T10:00:00Z', threadId: '5' }),
      line({ id: 6, channel: 'general', author: 'kim', text: 'ok', at: '2026-01-05T10:30:00Z', kind: 'system' }),
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const metrics = JSON.parse(out[0]);
    expect(metrics.window).toMatchObject({ since: '2026-01-05T09:00:00.000Z', until: '2026-01-05T10:30:00.001Z' });
    expect(metrics.humanMessages).toBe(4);
    expect(metrics.firstResponse).toEqual({ questions: 2, answered: 1, unanswered: 1, unansweredShare: 0.5, p50Ms: 600_000, p90Ms: 600_000 });
    expect(metrics.welcome).toMatchObject({ newcomers: 1 });
    expect(metrics.helping).toMatchObject({ helps: 1, helpers: 1, absenceFactor: 1 });
    expect(metrics.thanks).toEqual({ count: 1 });
    for (const key of ['newcomerReturn', 'returningHelpers', 'mentorship', 'repair', 'burnout', 'escalations', 'lists']) expect(metrics).toHaveProperty(key);
    // nina's question was resolved by sam's thanked answer 11 minutes later; ola's is open.
    expect(metrics.resolution).toMatchObject({ questions: 2, resolvedByMember: 1, resolvedByStaff: 0, selfResolved: 0, medianTimeToResolveMs: 660_000, reopened: 0 });
    expect(metrics.reframes).toEqual({ count: 0, who: [] });
  });

  it('reports a reframed debate from history in its JSON object', async () => {
    const { code, out } = await pulse([
      line({ id: 1, channel: 'dev', author: 'sam', text: 'We should move the repo to tabs', at: '2026-01-05T09:00:00Z' }),
      line({ id: 2, channel: 'dev', author: 'nina', text: 'that is a stupid idea', at: '2026-01-05T09:01:00Z', replyTo: 1 }),
      line({ id: 3, channel: 'dev', author: 'kim', text: 'You both want readable diffs: why don\'t we test both on one module?', at: '2026-01-05T09:05:00Z' }),
      line({ id: 4, channel: 'dev', author: 'sam', text: 'ok, I will set it up', at: '2026-01-05T09:10:00Z' }),
    ]);
    expect(code).toBe(0);
    const metrics = JSON.parse(out[0]);
    expect(metrics.reframes).toEqual({ count: 1, who: [{ member: 'kim', name: 'kim', reframes: 1 }] });
  });

  it('counts a greeting that mentions the newcomer in its text as a welcome, as live does', async () => {
    const { code, out } = await pulse([
      line({ id: 'j1', channel: 'general', author: 'nina', text: '', at: '2026-01-05T09:00:00Z', kind: 'join' }),
      line({ id: 1, channel: 'lobby', author: 'sam', text: 'everyone say hi to <@nina>, she builds synths', at: '2026-01-05T09:20:00Z' }),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out[0]).welcome).toMatchObject({ newcomers: 1, welcomedWithin24h: 1, ratio: 1, timeToFirstWelcomeP50Ms: 20 * 60_000 });
  });

  it('reports bad lines on stderr by line number and counts the rest', async () => {
    const { code, out, err } = await pulse([
      line({ id: 1, channel: 'c', author: 'nina', text: 'How do I start?', at: '2026-01-05T09:00:00Z' }),
      'not json',
      line({ id: 2, channel: 'c', author: 'sam', at: '2026-01-05T09:01:00Z' }),
      line({ id: 3, channel: 'c', author: 'sam', text: 'x', at: 'yesterday' }),
      line({ id: 4, channel: 'c', author: 'sam', text: 'x', at: '2026-01-05T09:02:00Z', kind: 'reaction' }),
      '',
      line({ id: 5, channel: 'c', author: 'sam', text: 'Read the getting started guide first', at: '2026-01-05T09:03:00Z', replyTo: 1 }),
    ]);
    expect(code).toBe(0);
    expect(err).toEqual([
      expect.stringMatching(/^pulse: line 2: invalid JSON/),
      'pulse: line 3: "text" must be a string',
      'pulse: line 4: "at" must be an ISO date string or epoch milliseconds',
      'pulse: line 5: "kind" must be "message", "join" or "system"',
      'pulse: 4 bad lines skipped',
    ]);
    expect(JSON.parse(out[0]).firstResponse).toMatchObject({ questions: 1, answered: 1 });
  });

  it('fails clearly without --input, with an unknown time zone, or with no valid line', async () => {
    const none = await run([], { out: () => {}, err: () => {}, stdin: new PassThrough() });
    expect(none).toBe(2);
    expect((await pulse([line({ id: 1, channel: 'c', author: 'a', text: 'hi', at: 1 })], ['--timezone', 'Mars/Olympus'])).code).toBe(2);
    const empty = await pulse(['{}']);
    expect(empty.code).toBe(1);
    expect(empty.err.at(-1)).toBe('pulse: no valid message lines');
  });
});

describe.each(['sqlite', 'postgres'] as const)('hearth pulse --db (a database, e.g. after an import): %s', (store) => {
  it.skipIf(store === 'postgres' && !postgresEnabled())('reads the stored community, its window ending at its last message, over all of it or the last --days', async () => {
    const dir = tempDir('hearth-pulse-db-');
    const file = join(dir, 'history.jsonl');
    let db = join(dir, 'hearth.db');
    if (store === 'postgres') {
      // An empty migrated database; the CLI opens it by its postgres:// URL like the other commands.
      const pg = await openTestPostgres();
      db = pg.url;
      await pg.close();
    }
    writeFileSync(
      file,
      [
        line({ id: 1, channel: 'general', author: 'nina', text: 'How do I reset my password?', at: '2022-03-01T09:00:00Z' }),
        line({ id: 2, channel: 'general', author: 'sam', text: 'Settings, then Security, then Reset', at: '2022-03-01T09:10:00Z', replyTo: 1 }),
        line({ id: 3, channel: 'general', author: 'ola', text: 'why does the export fail?', at: '2026-01-05T10:00:00Z' }),
      ].join('\n'),
    );
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), stdin: new PassThrough() } };
    };
    const imported = io();
    expect(await runImport([file, '--community', 'acme', '--db', db], imported.io)).toBe(0);

    const all = io();
    expect(await run(['--db', db, '--community', 'shell:acme'], all.io)).toBe(0);
    const metrics = JSON.parse(all.out[0]);
    expect(metrics.window).toMatchObject({ since: '2022-03-01T09:00:00.000Z', until: '2026-01-05T10:00:00.001Z' });
    expect(metrics.firstResponse).toMatchObject({ questions: 2, answered: 1 });

    const recent = io();
    expect(await run(['--db', db, '--community', 'shell:acme', '--days', '30', '--card'], recent.io)).toBe(0);
    expect(recent.out.join('\n')).toMatch(/^\*\*Community pulse\*\* — last 30 days \(to 2026-01-05 10:00 UTC\)/);
    expect(recent.out.join('\n')).toContain('unanswered 100% of 1 question');

    const unknown = io();
    expect(await run(['--db', db, '--community', 'shell:nope'], unknown.io)).toBe(1);
    expect(unknown.err).toEqual(['pulse: no messages stored for community "shell:nope" in ' + db]);
    const both = io();
    expect(await run(['--db', db, '--input', file, '--community', 'shell:acme'], both.io)).toBe(2);
  });
});

it('pulse --db names a SQLite file that does not exist, and leaves none behind', async () => {
  const missing = join(tempDir('hearth-pulse-missing-'), 'typo.db');
  const err: string[] = [];
  expect(await run(['--db', missing, '--community', 'shell:acme'], { out: () => undefined, err: (l) => err.push(l), stdin: new PassThrough() })).toBe(1);
  expect(err).toEqual([`pulse: no database at ${missing}`]);
  expect(existsSync(missing)).toBe(false);
});
