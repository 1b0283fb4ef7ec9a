/** Argument parsing the subcommands share. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * `parseArgs`, with the error it throws for an unknown or malformed option returned as its
 * message (each command prints it with its usage and exits 2).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> | string {
  try {
    return parseArgs(config);
  } catch (error) {
    return (error as Error).message;
  }
}
