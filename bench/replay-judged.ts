/**
 * A person's reading of each message the replay benchmark (bench/replay.ts) escalated: did it
 * need staff? Keyed by message id (`<log file>:<line>`, or `goemotions:<comment id>`). The
 * texts stay in the data set; only the verdict and a short reason live here.
 */
export interface Judgement {
  needsStaff: boolean;
  note: string;
}

export const JUDGED: Record<string, Judgement> = {};
