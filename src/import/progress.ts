/** Import progress: a live line on a terminal, plain periodic log lines otherwise. */
import type { Clock } from '../core/clock';

export interface ImportStats {
  messages: number;
  joins: number;
  duplicates: number;
  edits: number;
  /** Stored messages the source now says were deleted (removed, as live deletes are). */
  deleted: number;
  /** Records that are not conversation (topic changes, pins, joins to a further channel), counted and left out. */
  skipped: number;
  /** Direct-message conversations left out (`--include-dms` imports them). */
  skippedDms: number;
  errors: number;
}

export const emptyStats = (): ImportStats => ({ messages: 0, joins: 0, duplicates: 0, edits: 0, deleted: 0, skipped: 0, skippedDms: 0, errors: 0 });

/** Every record of a source is counted once, whatever its format. */
export const STAT_KEYS = Object.keys(emptyStats()) as (keyof ImportStats)[];

export class Progress {
  private lastDraw = 0;
  private lastLogged = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean },
    private readonly clock: Clock,
    private readonly startedAt = clock.now(),
    private readonly logEvery = 10_000,
    private readonly label = 'import',
  ) {}

  private line(stats: ImportStats): string {
    const seconds = Math.max(0.001, (this.clock.now() - this.startedAt) / 1000);
    const done = stats.messages + stats.joins + stats.duplicates;
    const rate = Math.round(done / seconds);
    const skipped = [
      stats.skipped ? `${stats.skipped.toLocaleString('en')} notices skipped` : '',
      stats.skippedDms ? `${stats.skippedDms} DM conversations skipped (--include-dms)` : '',
    ].filter(Boolean);
    return `${this.label}: ${stats.messages.toLocaleString('en')} new messages, ${stats.joins} joins, ${stats.duplicates.toLocaleString('en')} already present, ${stats.edits} edits, ${stats.deleted} deleted, ${[...skipped, ''].join(', ')}${stats.errors} errors · ${rate.toLocaleString('en')}/s`;
  }

  update(stats: ImportStats): void {
    const now = this.clock.now();
    const done = stats.messages + stats.joins + stats.duplicates;
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(stats)}\x1b[K`);
    } else if (done - this.lastLogged >= this.logEvery) {
      this.lastLogged = done;
      this.stream.write(`${this.line(stats)}\n`);
    }
  }

  finish(stats: ImportStats): void {
    this.stream.write(`${this.stream.isTTY ? '\r' : ''}${this.line(stats)}${this.stream.isTTY ? '\x1b[K' : ''}\n`);
  }
}
