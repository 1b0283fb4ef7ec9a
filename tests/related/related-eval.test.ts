import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/related-eval';
import { tempDir } from '../helpers/temp-dir';

function files(corpus: unknown[], queries: unknown[], extra: { corpusText?: string } = {}) {
  const dir = tempDir('related-eval-');
  const corpusPath = join(dir, 'corpus.jsonl');
  const queriesPath = join(dir, 'queries.jsonl');
  writeFileSync(corpusPath, corpus.map((l) => JSON.stringify(l)).join('\n') + '\n' + (extra.corpusText ?? ''));
  writeFileSync(queriesPath, queries.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return { corpusPath, queriesPath };
}

async function evaluate(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => void out.push(l), err: (l) => void err.push(l), stdin: process.stdin });
  return { code, out, err, lines: out.map((l) => JSON.parse(l)) };
}

const T = Date.UTC(2025, 0, 1);
const CORPUS = [
  { id: 'd1', channel: 'help', author: 'maya', text: 'The reset email never arrives when I reset my password', title: 'Password reset email missing', at: T },
  { id: 'd1r1', channel: 'help', author: 'sam', text: 'Look in the spam folder', at: T + 1000, threadId: 'd1', replyTo: 'd1' },
  { id: 'd1r2', channel: 'help', author: 'maya', text: 'That worked, thanks!', at: T + 2000, threadId: 'd1', replyTo: 'd1r1' },
  { id: 'd2', channel: 'help', author: 'lee', text: 'Which pizza place delivers to the office?', title: 'Pizza', at: T + 3000 },
  { id: 'd3', channel: 'help', author: 'kim', text: 'Password manager recommendations for the team?', title: 'Password managers', at: T + 4000 },
  { id: 'b1', channel: 'help', author: 'bot', text: 'Password reset email guide', title: 'Bot guide', at: T + 5000, authorIsBot: true },
];

describe('hearth related-eval (contract)', () => {
  it('ranks exactly the given candidates, each once, best first, with id/score/surface', async () => {
    const { corpusPath, queriesPath } = files(CORPUS, [
      { id: 'q1', text: 'my password reset email does not arrive', title: 'reset email', candidates: ['d2', 'd3', 'd1', 'b1', 'nope'] },
    ]);
    const { code, lines, err } = await evaluate(['--corpus', corpusPath, '--queries', queriesPath]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(Object.keys(line)).toEqual(['query', 'results']);
    expect(line.query).toBe('q1');
    for (const r of line.results) {
      expect(Object.keys(r)).toEqual(['id', 'score', 'surface']);
      expect(typeof r.score).toBe('number');
      expect(typeof r.surface).toBe('boolean');
    }
    const ids = line.results.map((r: { id: string }) => r.id);
    expect([...ids].sort()).toEqual(['b1', 'd1', 'd2', 'd3', 'nope']);
    expect(ids[0]).toBe('d1');
    expect(line.results[0].surface).toBe(true);
    const scores = line.results.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A bot-only discussion and an unknown id are never shown, and come last with score 0.
    expect(line.results.filter((r: { id: string }) => r.id === 'b1' || r.id === 'nope')).toEqual([
      expect.objectContaining({ score: 0, surface: false }),
      expect.objectContaining({ score: 0, surface: false }),
    ]);
  });

  it('without candidates returns the top of the corpus (at most 10), never bots', async () => {
    const { corpusPath, queriesPath } = files(CORPUS, [{ id: 'q2', text: 'password' }, { id: 'q3', text: 'underwater basket weaving' }]);
    const { lines } = await evaluate(['--corpus', corpusPath, '--queries', queriesPath]);
    expect(lines[0].results.map((r: { id: string }) => r.id).sort()).toEqual(['d1', 'd3']);
    expect(lines[1]).toEqual({ query: 'q3', results: [] });
  });

  it('reports bad lines with their number, skips them, and still answers', async () => {
    const { corpusPath, queriesPath } = files(CORPUS, [{ id: 'q1', text: 'password reset' }, { text: 'no id' }], {
      corpusText: '{not json\n{"id":"x","channel":"help","author":"a","at":1}\n',
    });
    const { code, lines, err } = await evaluate(['--corpus', corpusPath, '--queries', queriesPath]);
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(err.join('\n')).toMatch(/corpus line 7: invalid JSON/);
    expect(err.join('\n')).toMatch(/corpus line 8: text/);
    expect(err.join('\n')).toMatch(/queries line 2: id/);
  });

  it('explains its usage when a file is missing', async () => {
    const { code, err } = await evaluate(['--corpus', 'only.jsonl']);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/Usage: hearth related-eval --corpus CORPUS.jsonl --queries QUERIES.jsonl/);
  });
});
