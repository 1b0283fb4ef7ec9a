/**
 * Reads one JSON object from text chunks, handing over its top-level fields as they end and
 * the elements of chosen array fields one by one, so a file of a million messages is never
 * held whole (DiscordChatExporter writes a channel as one object with a `messages` array).
 * Each value is parsed with JSON.parse; broken or truncated JSON is a JsonSyntaxError that
 * says on which line of the file it broke.
 */

export type JsonEvent =
  | { kind: 'field'; key: string; value: unknown }
  /** An element of a streamed array field; `index` counts from 1. */
  | { kind: 'element'; key: string; index: number; value: unknown };

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`invalid JSON (${reason})`);
    this.name = 'JsonSyntaxError';
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);
/** Inside a string: the characters that end a run of plain text. */
const STRING_STOP = /["\\\u0000-\u001f]/g;

type State = 'start' | 'key' | 'keyString' | 'colon' | 'value' | 'array' | 'capture' | 'end';

export async function* streamJsonObject(chunks: AsyncIterable<string>, streamed: ReadonlySet<string>): AsyncGenerator<JsonEvent> {
  let state: State = 'start';
  let needComma = false;
  let key = '';
  let inArray = false; // the value being captured is an element of a streamed array
  let index = 0;
  // The value (or key) being captured: its text so far, nesting, and string state.
  let parts: string[] = [];
  let captureFrom = 0;
  let captureLine = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let primitive = false;
  let done = false;
  // Lines: `lineBase` is the line the current chunk starts on; lineAt counts forward in it.
  let chunk = '';
  let lineBase = 1;
  let countedTo = 0;
  let countedLine = 1;
  const lineAt = (i: number) => {
    if (i < countedTo) {
      countedTo = 0;
      countedLine = lineBase;
    }
    for (let nl = chunk.indexOf('\n', countedTo); nl !== -1 && nl < i; nl = chunk.indexOf('\n', nl + 1)) countedLine++;
    countedTo = i;
    return countedLine;
  };
  const fail = (reason: string, i: number): never => {
    throw new JsonSyntaxError(reason, lineAt(i));
  };
  const startCapture = (i: number, code: number) => {
    parts = [];
    captureFrom = i;
    captureLine = lineAt(i);
    depth = 0;
    inString = false;
    escaped = false;
    primitive = code !== 0x7b && code !== 0x5b && code !== 0x22; // { [ "
    done = false;
  };
  /** Scan the captured value from `i`; returns where it ended (`done`) or the chunk's end. */
  const scan = (i: number): number => {
    const n = chunk.length;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        STRING_STOP.lastIndex = i;
        const stop = STRING_STOP.exec(chunk);
        if (!stop) return n;
        i = stop.index;
        const c = chunk.charCodeAt(i);
        if (c === 0x5c) escaped = true;
        else if (c !== 0x22) fail('a line break inside a text: the text is cut off', i);
        else inString = false;
        i++;
        if (!inString && depth === 0) {
          done = true;
          return i;
        }
        continue;
      }
      const code = chunk.charCodeAt(i);
      if (primitive) {
        if (code === 0x2c || code === 0x5d || code === 0x7d || WHITESPACE.has(code)) {
          done = true;
          return i; // the delimiter is read by the next state
        }
        i++;
        continue;
      }
      i++;
      if (code === 0x22) inString = true;
      else if (code === 0x7b || code === 0x5b) depth++;
      else if ((code === 0x7d || code === 0x5d) && --depth === 0) {
        done = true;
        return i;
      }
    }
    return n;
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      const at = /position (\d+)/.exec((error as Error).message);
      const line = captureLine + (at ? text.slice(0, Number(at[1])).split('\n').length - 1 : 0);
      throw new JsonSyntaxError((error as Error).message, line);
    }
  };

  for await (const next of chunks) {
    chunk = next;
    countedTo = 0;
    countedLine = lineBase;
    captureFrom = 0;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (state === 'capture' || state === 'keyString') {
        i = scan(i);
        if (!done) break;
        parts.push(chunk.slice(captureFrom, i));
        const value = parse(parts.join(''));
        parts = [];
        if (state === 'keyString') {
          key = String(value);
          state = 'colon';
        } else {
          yield inArray ? { kind: 'element', key, index: ++index, value } : { kind: 'field', key, value };
          state = inArray ? 'array' : 'key';
          needComma = true;
        }
        continue;
      }
      const code = chunk.charCodeAt(i);
      if (WHITESPACE.has(code)) {
        i++;
        continue;
      }
      switch (state) {
        case 'start':
          if (code !== 0x7b) fail('expected a JSON object', i);
          state = 'key';
          needComma = false;
          i++;
          break;
        case 'key':
          if (code === 0x7d) {
            state = 'end';
            i++;
          } else if (needComma) {
            if (code !== 0x2c) fail('expected , or } between fields', i);
            needComma = false;
            i++;
          } else if (code === 0x22) {
            startCapture(i, code);
            state = 'keyString';
          } else fail('expected a field name', i);
          break;
        case 'colon':
          if (code !== 0x3a) fail('expected : after a field name', i);
          state = 'value';
          i++;
          break;
        case 'value':
          if (code === 0x5b && streamed.has(key)) {
            state = 'array';
            inArray = true;
            needComma = false;
            index = 0;
            i++;
          } else {
            inArray = false;
            startCapture(i, code);
            state = 'capture';
          }
          break;
        case 'array':
          if (code === 0x5d) {
            state = 'key';
            inArray = false;
            needComma = true;
            i++;
          } else if (needComma) {
            if (code !== 0x2c) fail('expected , or ] between elements', i);
            needComma = false;
            i++;
          } else {
            startCapture(i, code);
            state = 'capture';
          }
          break;
        case 'end':
          fail('text after the end of the object', i);
      }
    }
    if (state === 'capture' || state === 'keyString') parts.push(chunk.slice(captureFrom));
    lineBase = lineAt(n);
  }
  if (state !== 'end') fail('the file ends early: truncated?', chunk.length);
}
