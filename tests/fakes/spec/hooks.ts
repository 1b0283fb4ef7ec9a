/**
 * Loaded before every test file (vitest setupFiles): a request, answer or event the published
 * API description rejects fails the test that caused it, and the file's counts go to the
 * run's summary (summary.ts).
 */
import { afterAll, afterEach, inject } from 'vitest';
import { assertSpecClean, flushLedger } from './ledger';

afterEach(() => assertSpecClean());

afterAll(() => {
  flushLedger(inject('specLedgerDir'));
  assertSpecClean(); // anything that arrived after the last test ended
});
