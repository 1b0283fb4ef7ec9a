/** What a CLI subcommand gets: output functions (so tests can capture them) and stdin. */
import { createReadStream, openSync, closeSync, fstatSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadableStream;
  /** The time, for commands that describe "now" (tests inject one; default: the system clock). */
  now?: () => number;
}

export interface CliCommand {
  description: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function processIo(): CliIo {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    stdin: process.stdin,
  };
}

export interface JsonLine<T> {
  line: number;
  value?: T;
  error?: string;
}

/**
 * Read a JSON-lines file (or stdin for "-") line by line. Bad lines are reported with their
 * line number instead of stopping the read; blank lines are skipped.
 */
export async function* readJsonLines<T = unknown>(path: string, stdin?: NodeJS.ReadableStream): AsyncGenerator<JsonLine<T>> {
  const input = path === '-' ? stdin ?? process.stdin : createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line += 1;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) as T };
    } catch (error) {
      yield { line, error: `line ${line}: invalid JSON (${(error as Error).message})` };
    }
  }
}

/**
 * Why a JSON-lines input cannot be read ("-" is stdin, always fine), or undefined. Checked up
 * front so a typo in a path is one clear line, not a stack trace halfway through the work.
 */
export function unreadableInput(path: string): string | undefined {
  if (path === '-') return undefined;
  try {
    const fd = openSync(path, 'r');
    try {
      if (fstatSync(fd).isDirectory()) return 'it is a directory';
    } finally {
      closeSync(fd);
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
