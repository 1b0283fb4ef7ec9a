/**
 * vitest globalSetup: gives the workers a directory for their per-file counts and, once the
 * run is over, prints how many requests were validated per route and what went unchecked.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { formatSummary, mergeLedgers, type Ledger } from './ledger';

declare module 'vitest' {
  export interface ProvidedContext {
    specLedgerDir: string;
  }
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-spec-'));
  project.provide('specLedgerDir', dir);
  return () => {
    const ledgers = readdirSync(dir).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Ledger);
    rmSync(dir, { recursive: true, force: true });
    if (ledgers.length) console.log(`\n${formatSummary(mergeLedgers(ledgers))}\n`);
  };
}
