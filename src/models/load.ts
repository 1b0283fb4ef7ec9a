/**
 * Reads the recognisers' weights file from disk, checks it whole (JSON, schema, lengths,
 * checksum) and installs it into the core's models port. A missing or damaged file is a
 * start-up error that names the file and the fix; it never degrades silently.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWeights, installRecognisers, recognisersInstalled, RECOGNISERS } from '../core/models';
import type { Recognisers } from '../core/models';

/** The committed weights (written by `npm run train`). */
export const DEFAULT_WEIGHTS_PATH = fileURLToPath(new URL('../../models/recognisers.json', import.meta.url));

export class WeightsError extends Error {}

export function readRecognisers(path: string = DEFAULT_WEIGHTS_PATH): Recognisers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new WeightsError(`cannot read the recogniser weights at ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): restore models/recognisers.json from git or run npm run train`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new WeightsError(`the recogniser weights at ${path} are not valid JSON (${(error as Error).message}): restore models/recognisers.json from git or run npm run train`);
  }
  let recognisers: Recognisers;
  try {
    recognisers = decodeWeights(document);
  } catch (error) {
    throw new WeightsError(`the recogniser weights at ${path} are damaged: ${(error as Error).message}`);
  }
  const hash = createHash('sha256');
  for (const bytes of recognisers.bytes) hash.update(bytes);
  const expected = (document as { sha256: string }).sha256;
  if (hash.digest('hex') !== expected) {
    throw new WeightsError(`the recogniser weights at ${path} are damaged: checksum mismatch over ${RECOGNISERS.join(', ')}`);
  }
  return recognisers;
}

/** Load and install the weights once per process (HEARTH_MODELS_PATH overrides the file). */
export function loadRecognisers(path: string = process.env.HEARTH_MODELS_PATH?.trim() || DEFAULT_WEIGHTS_PATH): void {
  if (recognisersInstalled() && path === DEFAULT_WEIGHTS_PATH) return;
  installRecognisers(readRecognisers(path));
}
