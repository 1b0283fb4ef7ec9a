/** The weights file is checked whole: a damaged one is refused with a reason, never used. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS_PATH, readRecognisers, WeightsError } from '../../src/models/load';
import { tempDir } from '../helpers/temp-dir';

const original = () => JSON.parse(readFileSync(DEFAULT_WEIGHTS_PATH, 'utf8'));

function attempt(document: unknown): Error {
  const dir = tempDir('hearth-weights-');
  const path = join(dir, 'w.json');
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document));
  try {
    readRecognisers(path);
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsError);
    return error as Error;
  }
  throw new Error('a damaged weights file was accepted');
}

describe('weights file', () => {
  it('the committed file loads, with a threshold per recogniser', () => {
    const loaded = readRecognisers();
    for (const name of ['sameHere', 'wantsHuman', 'money', 'distress'] as const) {
      expect(loaded.thresholds[name]).toBeGreaterThan(0);
      expect(loaded.thresholds[name]).toBeLessThan(1);
    }
  });

  it('refuses a file that is not JSON', () => {
    expect(attempt('{"format": "hearth-linear-v1", "mod').message).toMatch(/not valid JSON/);
  });

  it('refuses a file with a model missing', () => {
    const doc = original();
    delete doc.models.money;
    expect(attempt(doc).message).toMatch(/damaged: not a Hearth weights document \(models\.money/);
  });

  it('refuses truncated weights', () => {
    const doc = original();
    doc.models.distress.weights = doc.models.distress.weights.slice(0, 1000);
    expect(attempt(doc).message).toMatch(/model distress has \d+ weights, expected \d+/);
  });

  it('refuses weights changed after training (checksum)', () => {
    const doc = original();
    const bytes = Buffer.from(doc.models.wantsHuman.weights, 'base64');
    bytes[12345] = (bytes[12345]! + 1) % 256;
    doc.models.wantsHuman.weights = bytes.toString('base64');
    expect(attempt(doc).message).toMatch(/checksum mismatch/);
  });

  it('refuses weights trained for other features', () => {
    const doc = original();
    doc.featureVersion = 999;
    expect(attempt(doc).message).toMatch(/feature version 999/);
  });
});
