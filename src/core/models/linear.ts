/**
 * A logistic-regression model over hashed features: the score is
 * sigmoid(bias + sum of the weights of the message's features, each scaled by 1/sqrt(count)).
 * Small (one float, or one byte of the weights file, per bucket), fast (one table read per feature) and fully explainable.
 */
import type { ExtractedFeatures } from './features';

/** Weights as the weights file holds them: weight = code * scale (as float32). */
export interface QuantisedWeights {
  codes: Int8Array;
  scale: number;
}

export class LinearModel {
  private readonly mask: number;
  /** Float weights, or null for quantised ones (read as values[code + 128]). */
  private floats: Float32Array | null;
  private readonly codes: Int8Array | null;
  private readonly values: Float32Array | null;

  constructor(
    weights: Float32Array | QuantisedWeights,
    readonly bias: number,
    /** Whether the model reads the features of the message being answered (same-here only). */
    readonly usesParent: boolean,
  ) {
    const length = weights instanceof Float32Array ? weights.length : weights.codes.length;
    if (length === 0 || (length & (length - 1)) !== 0) {
      throw new Error(`a linear model needs a power-of-two number of weights, got ${length}`);
    }
    this.mask = length - 1;
    if (weights instanceof Float32Array) {
      this.floats = weights;
      this.codes = null;
      this.values = null;
    } else {
      // Each code's weight, computed and stored as a float weight would be: the same values,
      // so the same sums bit for bit, from a byte per bucket (a quarter of the memory: the four
      // models' weights stay in cache beside the rest of a message's work).
      this.floats = null;
      this.codes = weights.codes;
      this.values = new Float32Array(256);
      for (let code = -128; code < 128; code++) this.values[code + 128] = code * weights.scale;
    }
  }

  /** The weight of every bucket. */
  get weights(): Float32Array {
    if (!this.floats) {
      const floats = new Float32Array(this.codes!.length);
      for (let i = 0; i < floats.length; i++) floats[i] = this.values![this.codes![i]! + 128]!;
      this.floats = floats;
    }
    return this.floats;
  }

  /** Probability in [0, 1]. */
  score(features: ExtractedFeatures, withParent: boolean): number {
    const used = withParent ? features.length : features.own;
    return this.probability(this.add(0, features.ids, used), used);
  }

  /**
   * The score of a text's own features followed by a context (contextFeatures): the same sum,
   * in the same order, as the score of withContext(text, ...), without building it.
   */
  scoreInContext(text: ExtractedFeatures, context: ExtractedFeatures, withParent: boolean): number {
    const extra = withParent ? context.length : context.own;
    return this.probability(this.add(this.add(0, text.ids, text.own), context.ids, extra), text.own + extra);
  }

  private add(sum: number, ids: Uint32Array, count: number): number {
    const { codes, values, mask } = this;
    if (codes && values) {
      for (let i = 0; i < count; i++) sum += values[codes[ids[i]! & mask]! + 128]!;
      return sum;
    }
    const weights = this.floats!;
    for (let i = 0; i < count; i++) sum += weights[ids[i]! & mask]!;
    return sum;
  }

  private probability(sum: number, used: number): number {
    const z = this.bias + (used ? sum / Math.sqrt(used) : 0);
    return 1 / (1 + Math.exp(-z));
  }
}
