/** `hearth commands`: list the companion's commands as JSON (what adapters register). */
import { commands } from '../../../commands';
import type { CliIo } from '../io';

export const description = 'List the slash commands and message actions defined in commands/ (JSON)';

export async function run(_args: string[], io: CliIo): Promise<number> {
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
