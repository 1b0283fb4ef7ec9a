/**
 * Run the shell community over a script of protocol lines (fresh in-memory database,
 * manual clock) and return the transcript lines it printed.
 */
import { PassThrough } from 'node:stream';
import { parseConfig } from '../../src/config';
import type { AiPort } from '../../src/core/ai/port';
import { ManualClock } from '../../src/core/clock';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { silentLogger } from '../../src/log';
import { runShell } from '../../src/platforms/shell';

export async function runShellScript(lines: string[], options: { env?: Record<string, string>; ai?: (config: ReturnType<typeof parseConfig>) => AiPort | undefined } = {}): Promise<string[]> {
  const database = openDatabase(':memory:');
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c) => chunks.push(String(c)));
  input.end(lines.join('\n') + '\n');
  const config = parseConfig(options.env ?? {});
  try {
    await runShell({ config, repos: createRepositories(database), log: silentLogger, ai: options.ai?.(config), input, output, interactive: false, clock: new ManualClock() });
  } finally {
    database.close();
  }
  return chunks.join('').split('\n').filter(Boolean);
}
