/**
 * `hearth classify --input TEXTS.jsonl`: classify messages the way the companion does.
 * Reads `{"id", "text"}` lines (optionally `"parent"`: the message it answers, which the
 * same-here model reads) (or stdin with `--input -`) and prints one JSON line per input:
 * `{"id", "stakes": "high"|"low", "categories": [...], "wantsHuman": bool, "sameHere": bool, "risk": [...]}`.
 * Bad lines are reported on stderr with their line number and skipped; the exit code is 1
 * when any line was bad.
 */
import { parseArgs } from 'node:util';
import { classifyStakes, riskFlags, wantsHuman } from '../../core/stakes';
import { readJsonLines, type CliIo } from '../io';
import { recognizeSameHere } from '../../core/samehere/recognize';

export const description = 'Classify {"id","text"} JSON lines: stakes, categories, wantsHuman, sameHere, risk flags';

export interface Classification {
  id: string | number;
  stakes: 'high' | 'low';
  categories: string[];
  wantsHuman: boolean;
  sameHere: boolean;
  risk: string[];
}

/** `parent`: the message this one answers, when the input line gives it (same-here context). */
export function classify(id: string | number, text: string, parent?: string | null): Classification {
  const stakes = classifyStakes(text);
  return {
    id,
    stakes: stakes.level,
    categories: stakes.categories,
    wantsHuman: wantsHuman(text),
    // The live same-here recogniser: a "same here, but I fixed it by ..." counts too (it validates and answers).
    sameHere: recognizeSameHere(text, { parent }).sameHere,
    risk: riskFlags(text),
  };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let input: string | undefined;
  try {
    ({ values: { input } } = parseArgs({ args, options: { input: { type: 'string', short: 'i' } }, strict: true }));
  } catch (error) {
    io.err(`classify: ${(error as Error).message}\nusage: npm run -s hearth -- classify --input TEXTS.jsonl   ("-" reads stdin)`);
    return 2;
  }
  if (!input) {
    io.err('classify: --input TEXTS.jsonl is required (use "-" for stdin)');
    return 2;
  }
  let bad = 0;
  try {
    for await (const line of readJsonLines<unknown>(input, io.stdin)) {
      if (line.error) {
        bad++;
        io.err(`classify: ${line.error}`);
        continue;
      }
      const value = line.value as { id?: unknown; text?: unknown; parent?: unknown } | null;
      const id = value && typeof value === 'object' ? value.id : undefined;
      if (typeof id !== 'string' && typeof id !== 'number') {
        bad++;
        io.err(`classify: line ${line.line}: expected an object with an "id" (string or number) and a "text" string`);
        continue;
      }
      if (typeof value!.text !== 'string') {
        bad++;
        io.err(`classify: line ${line.line}: "text" must be a string (id ${JSON.stringify(id)})`);
        continue;
      }
      const parent = typeof value!.parent === 'string' ? value!.parent : null;
      io.out(JSON.stringify(classify(id, value!.text, parent)));
    }
  } catch (error) {
    io.err(`classify: cannot read ${input}: ${(error as Error).message}`);
    return 1;
  }
  return bad ? 1 : 0;
}
