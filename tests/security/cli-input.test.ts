/**
 * The operator CLIs validate their input: an unknown flag or a missing required one is a
 * usage error (exit 2), an unreadable file is one clear line (exit 1), and nothing prints a
 * stack trace or throws out of `run`. Stray lines in a file are skipped and named.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, readJsonLines, type CliCommand, type CliIo } from '../../src/cli/io';
import { Readable } from 'node:stream';
import { tempDir } from '../helpers/temp-dir';

const CLIS = ['backfill', 'classify', 'commands', 'deploy-commands', 'import', 'links', 'pulse', 'related-eval', 'slack-manifest'];

async function cli(name: string, args: string[]) {
  const { run } = (await import(`../../src/cli/commands/${name}.ts`)) as CliCommand;
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: process.stdin };
  const code = await run(args, io);
  expect(err.join('\n'), `${name} printed a stack trace`).not.toMatch(/\n\s+at \S+ \(|\bat file:\/\//);
  return { code, out, err: err.join('\n') };
}

// Removed after all the tests of this file.
const dir = tempDir('hearth-cli-');
const saved = { ...process.env };
beforeAll(() => {
  // Start-up checks read tokens from the environment: none here, so nothing is called.
  for (const key of ['DISCORD_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']) delete process.env[key];
});
afterAll(() => {
  Object.assign(process.env, saved);
});

describe('operator CLIs', () => {
  it.each(CLIS)('%s: a usage error shows the usage line', async (name) => {
    const { code, err } = await cli(name, ['--no-such-flag']);
    expect(code).toBe(2);
    expect(err).toMatch(/usage:/i);
  });

  it.each(CLIS)('%s: an unknown flag is a usage error naming it', async (name) => {
    const { code, err } = await cli(name, ['--no-such-flag']);
    expect(code).toBe(2);
    expect(err).toContain("'--no-such-flag'");
  });

  it.each([
    ['classify', []],
    ['links', []],
    ['pulse', []],
    ['related-eval', ['--corpus', 'c.jsonl']],
    ['import', ['--community', 'x']],
  ])('%s: a missing required input is a usage error', async (name, args) => {
    const { code, err } = await cli(name, args);
    expect(code).toBe(2);
    expect(err).toMatch(/required|usage/i);
  });

  it.each([
    ['classify', (p: string) => ['--input', p]],
    ['links', (p: string) => ['--input', p]],
    ['pulse', (p: string) => ['--input', p]],
    ['related-eval', (p: string) => ['--corpus', p, '--queries', p]],
    ['import', (p: string) => [p, '--community', 'x', '--db', ':memory:']],
  ])('%s: a missing file or a directory is one clear line, exit 1', async (name, args) => {
    for (const path of [join(dir, 'missing.jsonl'), dir]) {
      const { code, err } = await cli(name, args(path));
      expect(code).toBe(1);
      expect(err).toContain(path);
      expect(err.split('\n').length).toBeLessThanOrEqual(3);
    }
  });

  it('bad lines are named and skipped, the rest is still used', async () => {
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', channel: 'general', author: 'maya', text: 'How do I export my data?', at: '2026-01-05T09:00:00Z' }),
        '{not json',
        JSON.stringify({ id: 'b', channel: 'general', author: 7, text: 'Settings then Export', at: 'yesterday' }),
        JSON.stringify({ id: 'c', channel: 'general', author: 'sam', text: 'Settings then Export', at: '2026-01-05T09:05:00Z', replyTo: 'a' }),
      ].join('\n'),
    );
    const links = await cli('links', ['--input', file]);
    expect(links.code).toBe(1);
    expect(links.err).toContain('line 2');
    expect(links.err).toContain('line 3');
    expect(links.out).toHaveLength(2);
  });

  it('each run starts from nothing: one input never shows up in the next run (related-eval, pulse)', async () => {
    const line = (id: string, text: string, author = 'sam') => JSON.stringify({ id, channel: 'help', author, text, at: '2026-01-05T09:00:00Z' });
    const alpha = join(dir, 'alpha.jsonl');
    const bravo = join(dir, 'bravo.jsonl');
    const queries = join(dir, 'queries.jsonl');
    writeFileSync(alpha, [line('alpha-1', 'How do I reset my password when the reset email never arrives?'), line('alpha-2', 'Password reset email lands in spam', 'lee')].join('\n'));
    writeFileSync(bravo, line('bravo-1', 'Where do I change the billing address on invoices?'));
    writeFileSync(queries, JSON.stringify({ id: 'q', text: 'password reset email missing' }));
    const first = await cli('related-eval', ['--corpus', alpha, '--queries', queries]);
    expect(first.out.join()).toContain('alpha-1');
    const second = await cli('related-eval', ['--corpus', bravo, '--queries', queries]);
    expect(second.code).toBe(0);
    expect(second.out.join()).not.toContain('alpha');

    const alone = await cli('pulse', ['--input', bravo]);
    await cli('pulse', ['--input', alpha]);
    const after = await cli('pulse', ['--input', bravo]);
    expect(after.out).toEqual(alone.out);
  });
});

describe('times outside what a date can hold', () => {
  // JavaScript dates end at ±8.64e15 ms (year 275760): a later "at" is no time at all.
  const far = [1e17, 8.64e15 + 1, '+275761-01-01T00:00:00Z'];

  it.each(['links', 'pulse'])('%s: a line with such a time is named and skipped, the rest still used', async (name) => {
    const file = join(dir, `far-${name}.jsonl`);
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', channel: 'general', author: 'maya', text: 'How do I export my data?', at: '2026-01-05T09:00:00Z' }),
        ...far.map((at, i) => JSON.stringify({ id: `f${i}`, channel: 'general', author: 'zed', text: 'from the far future', at })),
      ].join('\n'),
    );
    // Before: pulse counted every day up to year 3e6 (it never finished), links took them.
    const { out, err } = await cli(name, ['--input', file]);
    expect(out.join('\n')).toContain(name === 'pulse' ? '"humanMessages":1' : '"a"');
    for (const line of [2, 3, 4]) expect(err).toContain(`line ${line}`);
  });

  it('import: such a line is an error naming the line, and the member export still works afterwards', async () => {
    const file = join(dir, 'far-import.jsonl');
    const db = join(dir, 'far.db');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', channel: 'general', author: 'maya', text: 'How do I export my data?', at: '2026-01-05T09:00:00Z' }),
        JSON.stringify({ id: 'b', channel: 'general', author: 'zed', text: 'from the far future', at: 1e17 }),
      ].join('\n'),
    );
    const imported = await cli('import', [file, '--community', 'shell:far', '--db', db]);
    expect(imported.err).toMatch(/far-import\.jsonl:2/);
    const exported = await cli('export', ['members', '--format', 'csv', '--community', 'shell:far', '--db', db]);
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.out.join('\n')).toContain('maya');
  });
});

describe('import: a community id or name the core would refuse', () => {
  it('is one usage error before anything is imported, not an error for every line', async () => {
    const file = join(dir, 'ok.jsonl');
    writeFileSync(file, [1, 2, 3].map((i) => JSON.stringify({ id: `m${i}`, channel: 'general', author: 'maya', text: `hello ${i}`, at: '2026-01-05T09:00:00Z' })).join('\n'));
    for (const args of [
      ['--community', 'shell:a<@&1>'],
      ['--community', ' x'.repeat(150)],
      ['--community', 'x', '--name', 'n'.repeat(201)],
    ]) {
      const { code, err } = await cli('import', [file, ...args, '--db', join(dir, 'refused.db')]);
      expect(code, args.join(' ')).toBe(2);
      expect(err.split('\n').length, err).toBeLessThanOrEqual(3);
      expect(err).toMatch(/--(community|name)/);
    }
  });
});

describe('JSON lines: a huge line', () => {
  it('is reported and skipped without being held, and the lines around it are read', async () => {
    const path = join(dir, 'huge-line.jsonl');
    const good = (id: string) => JSON.stringify({ id, text: 'can I talk to a human please?' });
    writeFileSync(path, `${good('a')}\n${JSON.stringify({ id: 'huge', text: 'x'.repeat(MAX_LINE_CHARS + 10) })}\r\n${good('b')}`);
    const { code, out, err } = await cli('classify', ['--input', path]);
    expect(out.map((l) => JSON.parse(l).id)).toEqual(['a', 'b']);
    expect(err).toMatch(/line 2: longer than 1,000,000 characters \(1,000,\d{3}\), skipped/);
    expect(code).toBe(1);
  });

  it('lines split across chunks, \r\n endings, multi-byte characters and a missing last newline', async () => {
    const chunks = ['{"a":"é', 'ü"}\r', '\n\n{"b":', '"😀"}\n{"c":1}'];
    const read: unknown[] = [];
    for await (const row of readJsonLines('-', Readable.from(chunks.map((c) => Buffer.from(c))), 12)) read.push(row.value ?? row.error);
    expect(read).toEqual([{ a: 'éü' }, { b: '😀' }, { c: 1 }]);
    const long: unknown[] = [];
    for await (const row of readJsonLines('-', Readable.from(['{"a":1}\n', '{"b":"0123456789"}\n', '{"c":2}']), 12)) long.push(row.value ?? row.error);
    expect(long).toEqual([{ a: 1 }, 'line 2: longer than 12 characters (18), skipped', { c: 2 }]);
  });
});
