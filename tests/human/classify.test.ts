import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/classify';
import { tempDir } from '../helpers/temp-dir';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), stdin: new PassThrough() } };
}

function file(lines: string[]): string {
  const path = join(tempDir('classify-'), 'texts.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('hearth classify', () => {
  it('prints one line per input with exactly the contract fields, in order', async () => {
    const c = capture();
    const path = file([
      JSON.stringify({ id: 'a', text: 'I was charged twice and I am furious' }),
      JSON.stringify({ id: 2, text: 'can I talk to a real person?' }),
      JSON.stringify({ id: 'c', text: 'how do I change my avatar?' }),
      JSON.stringify({ id: 'd', text: 'same here, the app is down for me too' }),
    ]);
    expect(await run(['--input', path], c.io)).toBe(0);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { id: 'a', stakes: 'high', categories: ['billing'], wantsHuman: false, sameHere: false, risk: ['anger'] },
      { id: 2, stakes: 'low', categories: [], wantsHuman: true, sameHere: false, risk: [] },
      { id: 'c', stakes: 'low', categories: [], wantsHuman: false, sameHere: false, risk: [] },
      { id: 'd', stakes: 'high', categories: ['outage'], wantsHuman: false, sameHere: true, risk: [] },
    ]);
    expect(Object.keys(rows[0])).toEqual(['id', 'stakes', 'categories', 'wantsHuman', 'sameHere', 'risk']);
    expect(c.err).toEqual([]);
  });

  it('reports bad lines by number, keeps going, and exits 1', async () => {
    const c = capture();
    const path = file(['{"id":"ok","text":"hello"}', 'not json', '{"text":"no id"}', '{"id":"x","text":5}', '', '{"id":"last","text":"my card was stolen"}']);
    expect(await run(['--input', path], c.io)).toBe(1);
    expect(c.out.map((l) => JSON.parse(l).id)).toEqual(['ok', 'last']);
    expect(c.err).toEqual([
      expect.stringMatching(/^classify: line 2: invalid JSON/),
      expect.stringMatching(/^classify: line 3: expected an object with an "id"/),
      expect.stringMatching(/^classify: line 4: "text" must be a string/),
    ]);
  });

  it('needs --input, and says so', async () => {
    const c = capture();
    expect(await run([], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/--input TEXTS.jsonl is required/);
    expect(await run(['--input', '/nonexistent/file.jsonl'], c.io)).toBe(1);
    expect(c.err[1]).toMatch(/cannot read/);
  });

  it('stops quietly when its reader does (`| head -1`), with no EPIPE error', () => {
    const path = file(Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `m${i}`, text: `is anyone else seeing the login page hang? number ${i}` })));
    const result = spawnSync('bash', ['-c', `set -o pipefail; npx tsx src/cli/index.ts classify --input ${path} | head -1`], { encoding: 'utf8', cwd: join(__dirname, '..', '..') });
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ id: 'm0' });
  }, 60_000);

  it('runs as `npm run -s hearth -- classify --input FILE`', () => {
    const path = file([JSON.stringify({ id: 'q', text: 'someone hacked my account, can I speak to a mod?' })]);
    const stdout = execFileSync('npx', ['tsx', 'src/cli/index.ts', 'classify', '--input', path], { encoding: 'utf8', cwd: join(__dirname, '..', '..') });
    expect(JSON.parse(stdout.trim())).toEqual({ id: 'q', stakes: 'high', categories: ['fraud_security'], wantsHuman: true, sameHere: false, risk: [] });
  }, 30_000);
});
