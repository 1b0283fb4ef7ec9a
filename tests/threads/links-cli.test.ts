import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/links';
import { tempDir } from '../helpers/temp-dir';

async function links(lines: string[]) {
  const dir = tempDir('hearth-links-');
  const input = join(dir, 'messages.jsonl');
  writeFileSync(input, lines.join('\n') + '\n');
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(['--input', input], { out: (l) => out.push(l), err: (l) => err.push(l), stdin: process.stdin });
  return { code, out: out.map((l) => JSON.parse(l) as Record<string, unknown>), err };
}

const line = (fields: Record<string, unknown>) => JSON.stringify({ channel: 'general', kind: 'message', ...fields });

describe('hearth links --input', () => {
  it('prints {id, replyTo} for every line in order, per channel, echoing explicit replies', async () => {
    const { code, out, err } = await links([
      line({ id: 'a', author: 'maya', text: 'how do I export my data?', at: '2026-01-05T09:00:00Z' }),
      line({ id: 'b', author: 'sam', text: 'maya: Settings > Export', at: Date.parse('2026-01-05T09:01:00Z') }),
      line({ id: 'c', author: 'lee', text: 'lee joined', at: '2026-01-05T09:01:30Z', kind: 'join' }),
      line({ id: 'd', channel: 'random', author: 'lee', text: 'maya: hi', at: '2026-01-05T09:02:00Z' }),
      line({ id: 'e', author: 'maya', text: 'thanks!', at: '2026-01-05T09:03:00Z', replyTo: 'b' }),
      line({ id: 7, author: 'kim', text: 'sam: nice one', at: '2026-01-05T09:04:00Z', authorIsBot: false }),
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toEqual([
      { id: 'a', replyTo: null },
      { id: 'b', replyTo: 'a' },
      { id: 'c', replyTo: null },
      { id: 'd', replyTo: null }, // another channel: maya never spoke there
      { id: 'e', replyTo: 'b' },
      { id: 7, replyTo: 'b' },
    ]);
  });

  it('skips malformed lines on stdout, names them on stderr and exits 1 at the end', async () => {
    const { code, out, err } = await links([
      line({ id: 'a', author: 'maya', text: 'hello', at: '2026-01-05T09:00:00Z' }),
      '{not json',
      line({ id: 'b', author: 'sam', text: 'hi', at: 'yesterday-ish' }),
      line({ id: 'c', author: 'sam', text: 'maya: hi', at: '2026-01-05T09:01:00Z', kind: 'shout' }),
      line({ id: 'a', author: 'sam', text: 'dup', at: '2026-01-05T09:01:00Z' }),
      line({ id: 'd', author: 'sam', text: 'maya: welcome!', at: '2026-01-05T09:02:00Z' }),
    ]);
    expect(code).toBe(1);
    expect(out).toEqual([
      { id: 'a', replyTo: null },
      { id: 'd', replyTo: 'a' },
    ]);
    expect(err.join('\n')).toMatch(/line 2: invalid JSON/);
    expect(err.join('\n')).toMatch(/line 3: "at" must be an ISO date string or epoch milliseconds/);
    expect(err.join('\n')).toMatch(/line 4: "kind" must be/);
    expect(err.join('\n')).toMatch(/line 5: duplicate id "a"/);
    expect(err.at(-1)).toMatch(/4 bad lines skipped/);
  });

  it('asks for --input', async () => {
    const err: string[] = [];
    expect(await run([], { out: () => {}, err: (l) => err.push(l), stdin: process.stdin })).toBe(2);
    expect(err[0]).toMatch(/--input is required/);
  });
});
