/**
 * The weights document (`models/recognisers.json`): what `npm run train` writes and the
 * recognisers read. Weights are int8-quantised per model (a scale restores them), base64
 * encoded; decoding checks every length and number so a damaged file fails loudly at start-up
 * instead of classifying messages with garbage.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FEATURE_VERSION } from './features';
import { LinearModel } from './linear';

export const RECOGNISERS = ['sameHere', 'wantsHuman', 'money', 'distress'] as const;
export type RecogniserName = (typeof RECOGNISERS)[number];

const modelSchema = z.object({
  bias: z.number().finite(),
  scale: z.number().finite().positive(),
  usesParent: z.boolean(),
  /** Default decision threshold, chosen on the development split (settable per community). */
  threshold: z.number().min(0).max(1),
  weights: z.string().min(1),
});

export const weightsDocumentSchema = z.object({
  format: z.literal('hearth-linear-v1'),
  featureVersion: z.number().int(),
  dim: z.number().int().positive(),
  /** sha256 of the concatenated decoded weight bytes, in RECOGNISERS order (checked by the loader). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  models: z.object({ sameHere: modelSchema, wantsHuman: modelSchema, money: modelSchema, distress: modelSchema }),
  provenance: z.record(z.string(), z.unknown()),
});
export type WeightsDocument = z.infer<typeof weightsDocumentSchema>;

export interface Recognisers {
  models: Record<RecogniserName, LinearModel>;
  thresholds: Record<RecogniserName, number>;
  /** The quantised bytes, for the loader's checksum. */
  bytes: Uint8Array[];
  /**
   * Names these models' decisions (weights, biases, scales, thresholds): what was decided with
   * other models is decided again (the pulse's stored text verdicts).
   */
  identity: string;
}

/** Decode a parsed weights document; throws an Error that says what is wrong. */
export function decodeWeights(document: unknown): Recognisers {
  const parsed = weightsDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`not a Hearth weights document (${issue.path.join('.') || 'root'}: ${issue.message})`);
  }
  const doc = parsed.data;
  if (doc.featureVersion !== FEATURE_VERSION) {
    throw new Error(`weights were trained for feature version ${doc.featureVersion}, this code extracts version ${FEATURE_VERSION}: run npm run train`);
  }
  const models = {} as Record<RecogniserName, LinearModel>;
  const thresholds = {} as Record<RecogniserName, number>;
  const bytes: Uint8Array[] = [];
  for (const name of RECOGNISERS) {
    const m = doc.models[name];
    const raw = Buffer.from(m.weights, 'base64');
    if (raw.length !== doc.dim) throw new Error(`model ${name} has ${raw.length} weights, expected ${doc.dim}`);
    // Kept as codes: LinearModel reads code * scale as float32, the same weights as decoding them all.
    const int8 = new Int8Array(raw.buffer, raw.byteOffset, raw.length);
    models[name] = new LinearModel({ codes: int8, scale: m.scale }, m.bias, m.usesParent);
    thresholds[name] = m.threshold;
    bytes.push(new Uint8Array(raw.buffer, raw.byteOffset, raw.length));
  }
  const identity = createHash('sha256').update(JSON.stringify(doc.models)).digest('hex');
  return { models, thresholds, bytes, identity };
}

/** Quantise float weights for the document (training side). */
export function quantise(weights: Float32Array): { scale: number; base64: string } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 127 : 1;
  const int8 = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) int8[i] = Math.max(-127, Math.min(127, Math.round(weights[i]! / scale)));
  return { scale, base64: Buffer.from(int8.buffer).toString('base64') };
}
