/** What a CLI subcommand gets: output functions (so tests can capture them) and stdin. */
import { createReadStream, openSync, closeSync, fstatSync } from 'node:fs';

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
 * The longest line read, in characters: a message is at most 40,000 characters (its JSON a
 * little more). A longer line is skipped unread, so one huge line cannot take the memory.
 */
export const MAX_LINE_CHARS = 1_000_000;

/**
 * Read a JSON-lines file (or stdin for "-") line by line. Bad lines (invalid JSON, longer than
 * MAX_LINE_CHARS) are reported with their line number instead of stopping the read; blank
 * lines are skipped.
 */
export async function* readJsonLines<T = unknown>(path: string, stdin?: NodeJS.ReadableStream, maxLine = MAX_LINE_CHARS): AsyncGenerator<JsonLine<T>> {
  const input = path === '-' ? stdin ?? process.stdin : createReadStream(path, { encoding: 'utf8' });
  let line = 0;
  for await (const text of boundedLines(input, maxLine)) {
    line += 1;
    if (typeof text !== 'string') {
      yield { line, error: `line ${line}: longer than ${maxLine.toLocaleString('en')} characters (${text.tooLong.toLocaleString('en')}), skipped` };
      continue;
    }
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) as T };
    } catch (error) {
      yield { line, error: `line ${line}: invalid JSON (${(error as Error).message})` };
    }
  }
}

/**
 * The lines of `input` (\n or \r\n), each at most `max` characters: a longer one is not kept
 * but counted as it streams by, and given as `{ tooLong }`.
 */
async function* boundedLines(input: NodeJS.ReadableStream, max: number): AsyncGenerator<string | { tooLong: number }> {
  (input as NodeJS.ReadableStream & { setEncoding?: (e: BufferEncoding) => unknown }).setEncoding?.('utf8');
  let kept: string[] = [];
  let length = 0;
  let tooLong = false;
  const take = (piece: string) => {
    length += piece.length;
    if (length > max) {
      tooLong = true;
      kept = [];
    } else if (!tooLong) kept.push(piece);
  };
  const line = (): string | { tooLong: number } => {
    const out = tooLong ? { tooLong: length } : kept.join('').replace(/\r$/, '');
    kept = [];
    length = 0;
    tooLong = false;
    return out;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      take(text.slice(start, end));
      yield line();
      start = end + 1;
    }
    take(text.slice(start));
  }
  if (length > 0 || tooLong) yield line();
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
