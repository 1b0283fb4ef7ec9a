/**
 * `hearth dashboard` opens the configured store, as README "PostgreSQL" says of every process:
 * HEARTH_DB_PATH is ignored while HEARTH_DATABASE_URL is set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/dashboard';
import type { CliIo } from '../../src/cli/io';
import { tempDir } from '../helpers/temp-dir';

function captureIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => void lines.push(l), err: (l) => void errors.push(l), stdin: process.stdin };
}

afterEach(() => void vi.unstubAllEnvs());

describe('hearth dashboard', () => {
  it('uses HEARTH_DATABASE_URL when set, never a SQLite file at HEARTH_DB_PATH', async () => {
    const file = join(tempDir('hearth-dashboard-cli-'), 'hearth.db');
    vi.stubEnv('HEARTH_DB_PATH', file);
    // Nothing listens on port 1: the PostgreSQL store is tried and refused at once.
    vi.stubEnv('HEARTH_DATABASE_URL', 'postgres://hearth:s3cret-pw@127.0.0.1:1/hearth');
    vi.stubEnv('HEARTH_LOG_LEVEL', 'silent');
    // Not 0 (off stops it before any store is opened); never bound, as the store fails first.
    vi.stubEnv('HEARTH_DASHBOARD_PORT', '8786');
    const io = captureIo();
    expect(await run([], io)).toBe(1);
    expect(io.errors.join('\n')).toContain('HEARTH_DATABASE_URL');
    expect(io.errors.join('\n')).not.toContain('s3cret-pw');
    expect(existsSync(file)).toBe(false);
  });
});
