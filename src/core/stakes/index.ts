/**
 * The stakes map: a fast, deterministic, lexical classifier that says whether a message is a
 * moment where a human must lead (outage, billing dispute, fraud or account security, data
 * loss, harassment or safety, distress, legal) and which classes it touches. It never calls
 * a model: it runs on every message before any automated help is considered.
 */
import { STAKES_CLASSES, STAKES_PATTERNS, type StakesClass } from './classes';
import { normalizeForMatching } from './text';

export { STAKES_CLASSES, STAKES_CLASS_LABELS, isStakesClass, type StakesClass } from './classes';
export { wantsHuman } from './wants-human';
export { riskFlags, RISK_FLAGS, type RiskFlagName as RiskFlag } from '../risk/lexicon';
export { normalizeForMatching } from './text';

export interface StakesResult {
  level: 'high' | 'low';
  /** Matched classes, in the order of STAKES_CLASSES (distress first when present). */
  categories: StakesClass[];
}

/** Classify one message. `enabled` limits which classes count (per-community configuration). */
export function classifyStakes(text: string, enabled: readonly StakesClass[] = STAKES_CLASSES): StakesResult {
  const normalized = normalizeForMatching(text ?? '');
  if (!normalized) return { level: 'low', categories: [] };
  const categories = STAKES_CLASSES.filter(
    (c) => enabled.includes(c) && STAKES_PATTERNS[c].some((pattern) => pattern.test(normalized)),
  );
  // Distress outranks everything else: it decides how the member is answered.
  categories.sort((a, b) => Number(b === 'distress') - Number(a === 'distress'));
  return { level: categories.length ? 'high' : 'low', categories };
}
