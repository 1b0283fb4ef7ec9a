/**
 * A logistic-regression model over hashed features: the score is
 * sigmoid(bias + sum of the weights of the message's features, each scaled by 1/sqrt(count)).
 * Small (one float per bucket), fast (one table read per feature) and fully explainable.
 */
import type { ExtractedFeatures } from './features';

export class LinearModel {
  private readonly mask: number;

  constructor(
    readonly weights: Float32Array,
    readonly bias: number,
    /** Whether the model reads the features of the message being answered (same-here only). */
    readonly usesParent: boolean,
  ) {
    if (weights.length === 0 || (weights.length & (weights.length - 1)) !== 0) {
      throw new Error(`a linear model needs a power-of-two number of weights, got ${weights.length}`);
    }
    this.mask = weights.length - 1;
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
    for (let i = 0; i < count; i++) sum += this.weights[ids[i]! & this.mask]!;
    return sum;
  }

  private probability(sum: number, used: number): number {
    const z = this.bias + (used ? sum / Math.sqrt(used) : 0);
    return 1 / (1 + Math.exp(-z));
  }
}
