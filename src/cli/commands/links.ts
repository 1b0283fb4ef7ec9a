/**
 * `hearth links --input MESSAGES.jsonl`: who answered whom. Prints, for every valid input
 * line in order, `{"id", "replyTo": ID or null}` (null: the message starts a conversation).
 * Explicit replies are echoed; everything else is inferred by `src/core/threads` from the
 * earlier messages of the same channel only, exactly as the live companion does.
 * Bad lines are skipped on stdout, reported on stderr, and make the exit code 1.
 */
import { parseArgs } from 'node:util';
import { ReplyLinker } from '../../core/threads';
import { readJsonLines, type CliIo } from '../io';
import { parseMessageLine } from '../message-lines';

export const description = 'Infer reply links (who answered whom) for a JSONL file of messages';

const USAGE = 'Usage: npm run -s hearth -- links --input MESSAGES.jsonl   ("-" reads stdin)';

export async function run(args: string[], io: CliIo): Promise<number> {
  let input: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { input: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    input = values.input;
  } catch (error) {
    io.err(`links: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!input) {
    io.err(`links: --input is required\n${USAGE}`);
    return 2;
  }

  const linker = new ReplyLinker();
  // id -> id as written, so numeric ids come back as numbers.
  const seen = new Map<string, string | number>();
  let bad = 0;
  try {
    for await (const { line, value, error } of readJsonLines(input, io.stdin)) {
      if (error) {
        bad++;
        io.err(`links: ${error}`);
        continue;
      }
      try {
        const message = parseMessageLine(value);
        if (seen.has(message.id)) throw new Error(`duplicate id "${message.id}"`);
        seen.set(message.id, message.rawId);
        const parent = linker.link(message.channel, message);
        const echoed = parent === null ? null : parent === message.replyTo ? message.rawReplyTo : seen.get(parent) ?? parent;
        io.out(JSON.stringify({ id: message.rawId, replyTo: echoed }));
      } catch (problem) {
        bad++;
        io.err(`links: line ${line}: ${(problem as Error).message}`);
      }
    }
  } catch (error) {
    io.err(`links: cannot read ${input}: ${(error as Error).message}`);
    return 1;
  }
  if (bad > 0) io.err(`links: ${bad} bad line${bad === 1 ? '' : 's'} skipped`);
  return bad > 0 ? 1 : 0;
}
