/**
 * A fresh directory under the OS temp dir that is removed again when the caller is done:
 * called inside a test (or a beforeEach hook) it goes when that test finishes, after its
 * afterEach hooks; called at file or describe level it goes after that file or describe
 * block. Removal is `rm -rf`, so a database or other files left inside are no problem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // onTestFinished hooks run in reverse order of registration, so anything registered
    // later in the test (e.g. stopping a child process that uses the directory) runs first.
    onTestFinished(remove);
  } catch {
    // Not inside a test: vitest throws "can only be called inside a test".
    afterAll(remove);
  }
  return dir;
}
