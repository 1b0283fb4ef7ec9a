/**
 * What the spec checks saw in one test file: how many requests, responses and events were
 * validated per route, what the descriptions do not cover, and the failures. A failure fails
 * the test that caused it (hooks.ts); the counts are written per file and summed once per run
 * (summary.ts), so parallel forks never share state.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CheckKind = 'request' | 'response' | 'event';

export interface Ledger {
  /** Route (e.g. 'discord POST /channels/{channel_id}/messages') -> kind -> count. */
  checked: Record<string, Partial<Record<CheckKind, number>>>;
  /** What the description does not cover -> how often it was seen. */
  unchecked: Record<string, number>;
}

let ledger: Ledger = { checked: {}, unchecked: {} };
let failures: string[] = [];

export function countChecked(route: string, kind: CheckKind): void {
  const counts = (ledger.checked[route] ??= {});
  counts[kind] = (counts[kind] ?? 0) + 1;
}

export function countUnchecked(what: string): void {
  ledger.unchecked[what] = (ledger.unchecked[what] ?? 0) + 1;
}

export function recordSpecFailure(message: string): void {
  failures.push(message);
}

/** Failures recorded since the last call (a test that provokes one on purpose takes it). */
export function takeSpecFailures(): string[] {
  const taken = failures;
  failures = [];
  return taken;
}

/** Throws every failure recorded since the last check, naming route and schema path. */
export function assertSpecClean(): void {
  const taken = takeSpecFailures();
  if (taken.length) throw new Error(`The platform API description rejects what the test exchanged:\n- ${taken.join('\n- ')}`);
}

/** Writes this file's counts to `dir` (one JSON file per test file) and starts afresh. */
export function flushLedger(dir: string): void {
  if (!Object.keys(ledger.checked).length && !Object.keys(ledger.unchecked).length) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`), JSON.stringify(ledger));
  ledger = { checked: {}, unchecked: {} };
}

export function mergeLedgers(ledgers: Ledger[]): Ledger {
  const total: Ledger = { checked: {}, unchecked: {} };
  for (const one of ledgers) {
    for (const [route, counts] of Object.entries(one.checked)) {
      const sum = (total.checked[route] ??= {});
      for (const [kind, n] of Object.entries(counts) as [CheckKind, number][]) sum[kind] = (sum[kind] ?? 0) + n;
    }
    for (const [what, n] of Object.entries(one.unchecked)) total.unchecked[what] = (total.unchecked[what] ?? 0) + n;
  }
  return total;
}

export function formatSummary(total: Ledger): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = ['API description checks (../shared/specs): validated per route'];
  for (const route of Object.keys(total.checked).sort()) {
    const counts = total.checked[route];
    const parts = (['request', 'response', 'event'] as const).filter((k) => counts[k]).map((k) => plural(counts[k]!, k));
    lines.push(`  ${route}: ${parts.join(', ')}`);
  }
  const unchecked = Object.keys(total.unchecked).sort();
  if (unchecked.length) {
    lines.push('Unchecked (not covered by the description):');
    for (const what of unchecked) lines.push(`  ${what} (seen ${total.unchecked[what]}x)`);
  }
  return lines.join('\n');
}
