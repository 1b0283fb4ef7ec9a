/**
 * Application command registration from `commands/`: one chat-input command per definition
 * and one message context menu per `messageAction`. A PUT replaces the whole list, so
 * deploying is idempotent and removed commands disappear.
 */
import { REST } from '@discordjs/rest';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  Routes,
  type APIApplicationCommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition, CommandOption } from '../../../commands';

const OPTION_TYPES: Record<CommandOption['type'], ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
  channel: ApplicationCommandOptionType.Channel,
};

/**
 * Shown to Discord as a hint; the core checks `access` on every invocation regardless. An
 * integer bit set, as Discord's API description types it (discord-api-types says a string).
 */
export const MODERATOR_PERMISSIONS = Number(PermissionFlagsBits.ManageGuild);

/** Discord lists at most 25 fixed choices (and 25 autocomplete suggestions at a time). */
export const MAX_CHOICES = 25;

/** Options with more choices than Discord can list are offered through autocomplete instead. */
export const usesAutocomplete = (o: CommandOption) => (o.choices?.length ?? 0) > MAX_CHOICES;

/** Longest choice name and string value Discord accepts. */
const CHOICE_MAX = 100;

/**
 * A choice as Discord takes it, fixed or suggested: name 1-100 characters, a string value of
 * at most 100, an integer option's value a number (Discord rejects a string there, and one
 * bad choice fails the whole registration or autocomplete answer).
 */
export function discordChoice(o: CommandOption, choice: string): { name: string; value: string | number } {
  return { name: choice, value: o.type === 'integer' ? Number(choice) : choice };
}

/** Throws, naming the command, for a choice Discord cannot list (checked when registering). */
function checkChoices(definition: CommandDefinition, o: CommandOption): void {
  for (const choice of o.choices ?? []) {
    const problem =
      !choice.trim() ? 'is empty'
      : choice.length > CHOICE_MAX ? `is over ${CHOICE_MAX} characters`
      : o.type === 'integer' && !/^-?\d+$/.test(choice) ? 'is not an integer'
      : undefined;
    if (problem) throw new Error(`command "${definition.name}", option "${o.name}": choice "${choice.slice(0, 40)}" ${problem}`);
  }
}

function option(o: CommandOption): APIApplicationCommandOption {
  const choices = usesAutocomplete(o) ? undefined : o.choices?.map((c) => discordChoice(o, c));
  return {
    type: OPTION_TYPES[o.type],
    name: o.name,
    description: o.description.slice(0, 100),
    required: Boolean(o.required),
    ...(choices ? { choices } : {}),
    ...(usesAutocomplete(o) ? { autocomplete: true } : {}),
  } as APIApplicationCommandOption;
}

/**
 * Suggestions while a member types an autocomplete option: the choices containing what they
 * typed (those starting with it first), at most 25. The core still checks the value sent.
 */
export function suggestions(o: CommandOption, typed: string): string[] {
  const needle = typed.trim().toLowerCase();
  const matching = (o.choices ?? []).filter((c) => c.toLowerCase().includes(needle));
  const starts = matching.filter((c) => c.toLowerCase().startsWith(needle));
  return [...starts, ...matching.filter((c) => !starts.includes(c))].slice(0, MAX_CHOICES);
}

/** Discord's limit on message context menu commands per application (and per guild). */
const MAX_MESSAGE_MENUS = 5;

/** The full registration list for `commands` (what `deploy-commands` PUTs). */
export function registrationBody(commands: CommandDefinition[]): RESTPutAPIApplicationCommandsJSONBody {
  const common = (definition: CommandDefinition) => ({
    default_member_permissions: (definition.access === 'moderator' ? MODERATOR_PERMISSIONS : null) as unknown as string | null,
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  });
  const body: RESTPutAPIApplicationCommandsJSONBody = [];
  for (const definition of commands) {
    for (const o of definition.options) checkChoices(definition, o);
    // Discord requires required options first.
    const options = [...definition.options].sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)));
    body.push({
      type: ApplicationCommandType.ChatInput,
      name: definition.name,
      description: definition.description,
      options: options.map(option),
      ...common(definition),
    });
  }
  const labels = new Set<string>();
  for (const definition of commands) {
    if (!definition.messageAction || definition.discordMenu === false) continue;
    const label = definition.messageAction;
    if (label.length > 32) throw new Error(`command "${definition.name}": message action "${label}" is over 32 characters`);
    if (labels.has(label.toLowerCase())) throw new Error(`message action "${label}" is defined twice`);
    labels.add(label.toLowerCase());
    body.push({ type: ApplicationCommandType.Message, name: label, ...common(definition) });
  }
  if (labels.size > MAX_MESSAGE_MENUS) throw new Error(`Discord allows ${MAX_MESSAGE_MENUS} message context menus, ${labels.size} are defined: mark one discordMenu: false`);
  return body;
}

export interface DeployOptions {
  token: string;
  /** Found from the token when not given. */
  applicationId?: string;
  /** Register to this guild only (instant; development). Global otherwise. */
  guildId?: string;
  /** DISCORD_API_URL, for tests against a local fake. */
  apiUrl?: string;
  rest?: REST;
}

export interface DeployResult {
  scope: 'guild' | 'global';
  applicationId: string;
  guildId?: string;
  count: number;
}

export async function deployCommands(commands: CommandDefinition[], options: DeployOptions): Promise<DeployResult> {
  const body = registrationBody(commands);
  const rest = options.rest ?? new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const applicationId =
    options.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = options.guildId
    ? Routes.applicationGuildCommands(applicationId, options.guildId)
    : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body })) as unknown[];
  return {
    scope: options.guildId ? 'guild' : 'global',
    applicationId,
    ...(options.guildId ? { guildId: options.guildId } : {}),
    count: Array.isArray(saved) ? saved.length : body.length,
  };
}
