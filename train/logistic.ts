/**
 * Logistic regression over hashed features, trained with AdaGrad and L2, in a seeded order:
 * the same data and seed give the same weights, bit for bit. The model it trains is exactly
 * the core's LinearModel (score = sigmoid(bias + sum(w) / sqrt(count))).
 *
 * With `naiveBayes`, each feature is first scaled by its naive Bayes log-count ratio
 * r = log((p / |p|) / (q / |q|)) (Wang & Manning 2012, "NBSVM"): the regression learns on r·x
 * and the shipped weight is w·r, so the runtime model is unchanged. It helps where positives
 * are few and their vocabulary is telling (GoEmotions' fear, grief, nervousness, sadness).
 */
import { rng } from '../bench/data';
import { extractFeatures } from '../src/core/models/features';

export interface Example {
  text: string;
  parent?: string;
  label: 0 | 1;
  /** Named extra features (the phrase rules' verdict), as the recogniser passes them live. */
  tags?: readonly string[];
}

export interface TrainOptions {
  dim: number;
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  usesParent: boolean;
  /** Weight of a positive example relative to a negative one. */
  positiveWeight: number;
  /** Scale features by their naive Bayes log-count ratio, with this add-alpha smoothing. */
  naiveBayes?: { alpha: number };
}

/** Each feature's naive Bayes log-count ratio (presence per example, add-alpha smoothing); all 1 without naiveBayes. */
function logCountRatios(encoded: { ids: Uint32Array; label: 0 | 1 }[], dim: number, naiveBayes: TrainOptions['naiveBayes']): Float64Array {
  const ratios = new Float64Array(dim).fill(1);
  if (!naiveBayes) return ratios;
  const positive = new Float64Array(dim).fill(naiveBayes.alpha);
  const negative = new Float64Array(dim).fill(naiveBayes.alpha);
  for (const { ids, label } of encoded) {
    const counts = label ? positive : negative;
    for (const id of new Set(ids)) counts[id] += 1;
  }
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (let i = 0; i < dim; i++) {
    positiveTotal += positive[i]!;
    negativeTotal += negative[i]!;
  }
  for (let i = 0; i < dim; i++) ratios[i] = Math.log(positive[i]! / positiveTotal / (negative[i]! / negativeTotal));
  return ratios;
}


export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function trainLogistic(examples: Example[], options: TrainOptions): { weights: Float32Array; bias: number } {
  const mask = options.dim - 1;
  const encoded = examples.map((e) => {
    const f = extractFeatures(e.text, options.usesParent ? e.parent : null, e.tags ?? []);
    const n = options.usesParent && e.parent ? f.length : f.own;
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) ids[i] = f.ids[i]! & mask;
    return { ids, label: e.label };
  });
  const ratios = logCountRatios(encoded, options.dim, options.naiveBayes);
  const weights = new Float64Array(options.dim);
  const squares = new Float64Array(options.dim);
  let bias = 0;
  let biasSquares = 0;
  const random = rng(options.seed);
  const order = encoded.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const index of shuffle(order, random)) {
      const { ids, label } = encoded[index]!;
      const scale = ids.length ? 1 / Math.sqrt(ids.length) : 0;
      let z = bias;
      for (const id of ids) z += weights[id]! * ratios[id]! * scale;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - label) * (label ? options.positiveWeight : 1);
      for (const id of ids) {
        const gi = g * scale * ratios[id]! + options.l2 * weights[id]!;
        squares[id] += gi * gi;
        weights[id] -= (options.learningRate * gi) / Math.sqrt(squares[id]! + 1e-8);
      }
      biasSquares += g * g;
      bias -= (options.learningRate * g) / Math.sqrt(biasSquares + 1e-8);
    }
  }
  return { weights: Float32Array.from(weights, (w, i) => w * ratios[i]!), bias };
}
