/**
 * `npm run train` is reproducible: on a small hand-written fixture (same layout as the public
 * data) it gives the same weights twice, and what it writes loads as the companion loads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../train/index';
import { loadRecognisers, readRecognisers } from '../../src/models/load';
import { tempDir } from '../helpers/temp-dir';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

describe('training', () => {
  const dir = tempDir('hearth-train-');

  it('gives the same weights twice from the same data and seed, and they load', async () => {
    const args = (out: string) => ['--data', join(fixtures, 'train-data'), '--labels', join(fixtures, 'train-labels'), '--out', out, '--dim', '12'];
    const log = console.log;
    console.log = () => {};
    try {
      expect(await main(args(join(dir, 'a.json')))).toBe(0);
      expect(await main(args(join(dir, 'b.json')))).toBe(0);
    } finally {
      console.log = log;
    }
    const a = readFileSync(join(dir, 'a.json'), 'utf8');
    const b = readFileSync(join(dir, 'b.json'), 'utf8');
    expect(a).toBe(b);
    const loaded = readRecognisers(join(dir, 'a.json'));
    expect(Object.keys(loaded.models)).toEqual(['sameHere', 'wantsHuman', 'money', 'distress']);
    const doc = JSON.parse(a);
    expect(doc.provenance.seed).toBe(20261206);
    expect(doc.provenance.dev.sameHere).toHaveProperty('f1');
  });
});
