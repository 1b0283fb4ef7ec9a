/**
 * The four recognisers as yes/no decisions, rules and model together, exactly as the live
 * features call them: what training measures on the development split, what the benchmark
 * replays, what the `classify` CLI reports.
 */
import { recognizeSameHere } from '../samehere/recognize';
import { classifyStakes, moneyPatterns, riskFlags, wantsHuman } from '../stakes';
import type { RecogniserName } from './weights';

export type Decision = (text: string, threshold?: number | null, parent?: string | null) => boolean;

export const recognisersDecide: Record<RecogniserName, Decision> = {
  sameHere: (text, threshold, parent) => recognizeSameHere(text, { threshold, parent }).sameHere,
  wantsHuman: (text, threshold) => wantsHuman(text, threshold),
  money: (text, threshold) => classifyStakes(text, undefined, { money: threshold }).categories.some((c) => c === 'billing' || c === 'fraud_security'),
  distress: (text, threshold) => riskFlags(text, { distress: threshold }).includes('distress'),
};

/** The phrase rules alone (the model never fires above a threshold of 2), for comparison. */
export const rulesAloneDecide: Record<RecogniserName, (text: string, parent?: string | null) => boolean> = {
  sameHere: (text, parent) => recognisersDecide.sameHere(text, 2, parent),
  wantsHuman: (text) => recognisersDecide.wantsHuman(text, 2),
  money: (text) => moneyPatterns(text).length > 0,
  distress: (text) => recognisersDecide.distress(text, 2),
};
