/** Time comes from here, never from Date.now() in core code, so jobs and metrics are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: tests and the shell's `:advance`. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The latest time (epoch ms) a JavaScript date holds, year 275760 (its negation: the earliest). */
export const MAX_TIME = 8.64e15;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** Parse "15m", "1h30m", "2d", "90s" into milliseconds; throws a clear error otherwise. */
export function parseDuration(input: string): number {
  const text = input.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?\s*(ms|s|m|h|d|w)\s*)+$/.test(text)) {
    throw new Error(`invalid duration "${input}": use a number and a unit, e.g. 30s, 15m, 2h, 1d`);
  }
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/g)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  // Past this, now + duration is no longer a date (Date's range ends in the year 275760):
  // a clock moved there, or a task due then, breaks every later date and schedule.
  if (!(total <= MAX_DURATION_MS)) throw new Error(`invalid duration "${input}": too long (at most ${MAX_DURATION_MS / DAY}d)`);
  return total;
}

/** The longest duration accepted: 100 years. */
export const MAX_DURATION_MS = 36_500 * DAY;
