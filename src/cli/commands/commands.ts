/** `hearth commands`: list the companion's commands as JSON (what adapters register). */
import { commands } from '../../../commands';
import { parseArgs } from 'node:util';
import type { CliIo } from '../io';

export const description = 'List the slash commands and message actions defined in commands/ (JSON)';

export async function run(args: string[], io: CliIo): Promise<number> {
  try {
    parseArgs({ args, options: {}, strict: true });
  } catch (error) {
    io.err(`commands: ${(error as Error).message}\nusage: npm run -s hearth -- commands`);
    return 2;
  }
  const list = commands.map(({ name, description: text, options, access, ephemeral, messageAction }) => ({
    name,
    description: text,
    options,
    access,
    ephemeral,
    ...(messageAction ? { messageAction } : {}),
  }));
  io.out(JSON.stringify(list, null, 2));
  return 0;
}
