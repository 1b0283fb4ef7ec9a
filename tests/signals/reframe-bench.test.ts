/**
 * The reframing benchmark's own plumbing, on a tiny chat log written for this test (not from
 * the shared data): candidates are extracted as references, and labels are scored by
 * replaying each exchange through the live pipeline.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { candidates } from '../../bench/reframe/exchanges';
import { main } from '../../bench/reframe/score';
import { tempDir } from '../helpers/temp-dir';

const LOG = [
  '[10:00] <alice> we should rewrite the installer in rust',
  '[10:01] <bob> alice: that is a stupid idea',
  "[10:02] <carol> alice, bob: you both want a reliable installer. why don't we benchmark both on the old laptops?",
  '[10:03] <alice> bob: ok, I can set up the benchmark',
  '[10:20] <dave> how do I mount a usb stick',
  '[10:21] <erin> dave: rtfm, it is in the wiki',
  '[10:22] <dave> erin: wow, thanks for nothing',
].join('\n');

function dataDir(): string {
  const dir = tempDir('hearth-reframe-bench-');
  mkdirSync(join(dir, 'irc-disentanglement', 'dev'), { recursive: true });
  writeFileSync(join(dir, 'irc-disentanglement', 'dev', '2020-01-01_00.ascii.txt'), LOG + '\n');
  return dir;
}

afterEach(() => vi.restoreAllMocks());

describe('reframing benchmark', () => {
  it('extracts heated lines as references (file:line spans), never their text', () => {
    const found = candidates(dataDir());
    expect(found.map((c) => [c.id, c.heatedRef, c.contextFrom, c.contextTo, c.heatedAuthor])).toEqual([
      ['irc:2020-01-01_00:1', '2020-01-01_00:1', '2020-01-01_00:0', '2020-01-01_00:6', 'bob'],
      ['irc:2020-01-01_00:5', '2020-01-01_00:5', '2020-01-01_00:0', '2020-01-01_00:6', 'erin'],
    ]);
  });

  it('scores filled-in labels by replaying each exchange, and says when nothing is labelled yet', async () => {
    const dir = dataDir();
    const labels = join(dir, 'labels.tsv');
    const header = 'id\tsource\tfile\theated_ref\tcontext_from\tcontext_to\tsplit\tlabel\treframer_ref\tlabeller\tnotes';
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));

    writeFileSync(labels, `${header}\nirc:2020-01-01_00:1\tirc\tx\tx\tx\tx\tdev\t\t\t\t\n`);
    expect(await main(['--data', dir, '--labels', labels, '--split', 'all'])).toBe(0);
    expect(out[0]).toMatch(/awaits human labels/);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ candidates: 2, flaggedByDetector: 1, labelled: 0, precision: null });

    out.length = 0;
    writeFileSync(labels, `${header}\nirc:2020-01-01_00:1\tirc\tx\tx\tx\tx\tdev\treframed\t2020-01-01_00:2\tP1\t\nirc:2020-01-01_00:5\tirc\tx\tx\tx\tx\tdev\tnot_reframed\t\tP1\t\n`);
    expect(await main(['--data', dir, '--labels', labels, '--split', 'all'])).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ labelled: 2, goldReframed: 1, precision: 1, recall: 1 });
  });
});
