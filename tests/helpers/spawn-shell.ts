/**
 * Spawns the real companion process (`src/main.ts`, the shell community) with a database
 * file, so restart and signal behaviour is tested on the real thing.
 * Call it inside a test: the process is killed when the test finishes if it is still running.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { onTestFinished } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

export interface SpawnedShell {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves with the first stdout line (past or future) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnShell(dbPath: string, extraEnv: Record<string, string> = {}): SpawnedShell {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEARTH_DB_PATH: dbPath, HEARTH_LOG_LEVEL: 'warn', HEARTH_DASHBOARD_PORT: '0', ...extraEnv };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: 'pipe' });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let index: number;
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  // A test that fails before the process exits must not leave it running on the database:
  // stop it when the test finishes, before the test's temp directory (made earlier) is removed.
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    child,
    lines,
    exited,
    send: (line) => void child.stdin.write(`${line}\n`),
    waitFor(pattern, timeoutMs = 30_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise<string>((ok, fail) => {
        // A safety net against a hung child, not a timing assumption.
        const timer = setTimeout(() => fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), ok(l)) });
        void exited.then(() => {
          clearTimeout(timer);
          const late = lines.find((l) => pattern.test(l));
          if (late) ok(late);
          else fail(new Error(`process exited before ${pattern}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        });
      });
    },
  };
}
