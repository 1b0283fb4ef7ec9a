/**
 * `npm run deploy-commands`: register the slash commands and message actions from
 * `commands/` with Discord. Per guild when DISCORD_GUILD_ID (or --guild) is set: instant,
 * for development. Globally otherwise (production; Discord may take a while to show them).
 * A PUT replaces the whole list, so running it again changes nothing.
 */
import { parseArgs } from 'node:util';
import { commands } from '../../../commands';
import { ConfigError, loadConfig } from '../../config';
import { deployCommands, registrationBody } from '../../platforms/discord/commands';
import type { CliIo } from '../io';

export const description = 'Register the commands from commands/ with Discord (per guild with DISCORD_GUILD_ID, else global)';

const USAGE = 'usage: deploy-commands [--guild ID | --global] [--dry-run]';

export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { guild: { type: 'string' }, global: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    io.err(`deploy-commands: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.guild && values.global) {
    io.err(`deploy-commands: --guild and --global exclude each other\n${USAGE}`);
    return 2;
  }
  if (values['dry-run']) {
    io.out(JSON.stringify(registrationBody(commands), null, 2));
    return 0;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`deploy-commands: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (!config.DISCORD_TOKEN) {
    io.err('deploy-commands: DISCORD_TOKEN is not set (see .env.example)');
    return 1;
  }
  const guildId = values.global ? undefined : (values.guild ?? config.DISCORD_GUILD_ID);
  try {
    const result = await deployCommands(commands, {
      token: config.DISCORD_TOKEN,
      applicationId: config.DISCORD_APPLICATION_ID,
      guildId,
      apiUrl: config.DISCORD_API_URL,
    });
    const where = result.scope === 'guild' ? `in guild ${result.guildId}` : 'globally (may take up to an hour to appear)';
    io.out(`Registered ${result.count} Discord commands ${where} for application ${result.applicationId}.`);
    return 0;
  } catch (error) {
    io.err(`deploy-commands: Discord refused the registration: ${(error as Error).message}`);
    return 1;
  }
}
