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
    const { ids, length } = features;
    const used = withParent ? length : features.own;
    let sum = 0;
    for (let i = 0; i < used; i++) sum += this.weights[ids[i]! & this.mask]!;
    const z = this.bias + (used ? sum / Math.sqrt(used) : 0);
    return 1 / (1 + Math.exp(-z));
  }
}
