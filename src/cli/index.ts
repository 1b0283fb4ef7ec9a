/**
 * `npm run hearth -- <subcommand> [options]`: operator tasks. Each subcommand is a module in
 * `src/cli/commands/<name>.ts` exporting `description` and `run(args, io)`; adding one needs
 * no registration here.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliCommand } from './io';
import { processIo } from './io';
import { loadRecognisers } from '../models/load';

const here = dirname(fileURLToPath(import.meta.url));
const commandsDir = join(here, 'commands');

function available(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(name: string): Promise<CliCommand> {
  return (await import(pathToFileURL(join(commandsDir, `${name}.ts`)).href)) as CliCommand;
}

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [name, ...args] = argv;
  const names = available();
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out('Usage: npm run -s hearth -- <command> [options]\n\nCommands:');
    for (const n of names) io.out(`  ${n.padEnd(18)} ${(await load(n)).description}`);
    return name ? 0 : 2;
  }
  if (!names.includes(name)) {
    io.err(`hearth: unknown command "${name}". Commands: ${names.join(', ')}`);
    return 2;
  }
  try {
    loadRecognisers();
  } catch (error) {
    io.err(`hearth: ${(error as Error).message}`);
    return 1;
  }
  return (await load(name)).run(args, io);
}

// A reader that stops early (`| head`) closes the pipe: what is left unread is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`hearth: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
