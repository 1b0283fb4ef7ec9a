/**
 * A real pino logger (the production redaction rules included) writing into memory, so a test
 * can read every line that would have reached stderr.
 */
import { createLogger, type Logger } from '../../src/log';

export interface LogBuffer {
  log: Logger;
  /** Every line written so far, raw JSON text. */
  lines: string[];
  /** All lines as one string (for "never contains" checks). */
  text(): string;
  /** Parsed lines whose `msg` includes the given text. */
  find(msg: string): Record<string, unknown>[];
}

export function logBuffer(level = 'debug', secrets?: string[]): LogBuffer {
  const lines: string[] = [];
  const log = createLogger(level, { destination: { write: (line: string) => void lines.push(line) }, secrets });
  return {
    log,
    lines,
    text: () => lines.join(''),
    find: (msg) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.msg ?? '').includes(msg)),
  };
}
