/**
 * The four recognisers as yes/no decisions, rules and model together, exactly as the live
 * features call them: what training measures on the development split, what the benchmark
 * replays, what the `classify` CLI reports.
 */
import { recognizeSameHere } from '../samehere/recognize';
import { classifyStakes, riskFlags, wantsHuman } from '../stakes';
import type { RecogniserName } from './weights';

export type Decision = (text: string, threshold?: number | null, parent?: string | null) => boolean;

export const recognisersDecide: Record<RecogniserName, Decision> = {
  sameHere: (text, threshold, parent) => recognizeSameHere(text, { threshold, parent }).sameHere,
  wantsHuman: (text, threshold) => wantsHuman(text, threshold),
  money: (text, threshold) => classifyStakes(text, undefined, { money: threshold }).categories.some((c) => c === 'billing' || c === 'fraud_security'),
  distress: (text, threshold) => riskFlags(text, { distress: threshold }).includes('distress'),
};
