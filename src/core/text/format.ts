/** Small formatting and statistics helpers shared by core features. */
import { DAY, HOUR, MINUTE } from '../clock';

/** "45 seconds", "12 minutes", "3 hours", "2 days". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (abs < MINUTE) return unit(Math.round(abs / 1000), 'second');
  if (abs < HOUR) return unit(Math.round(abs / MINUTE), 'minute');
  if (abs < DAY) return unit(Math.round(abs / HOUR), 'hour');
  return unit(Math.round(abs / DAY), 'day');
}

/** "2 days ago", "just now". */
export function formatAge(ms: number): string {
  return ms < MINUTE ? 'just now' : `${formatDuration(ms)} ago`;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}
