/**
 * A command definition: the single source for Discord registration, the Slack manifest,
 * the shell's help and the care policy's list of what the companion does.
 */
import type { CoreContext } from '../src/core/context';
import type { CommandInvokedEvent } from '../src/core/events';
import type { InteractionReply } from '../src/core/platform';
import { quote } from '../src/core/text/mentions';

export type OptionType = 'string' | 'integer' | 'boolean' | 'user' | 'channel';

export interface CommandOption {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  choices?: string[];
}

export interface CommandDefinition {
  /** Slash command name: lowercase, digits and dashes (valid on Discord and Slack). */
  name: string;
  description: string;
  options: CommandOption[];
  /** everyone, or moderators only (checked by the core on every platform). */
  access: 'everyone' | 'moderator';
  /** Reply only to the invoker (default) or in the channel. Adapters defer with this. */
  ephemeral?: boolean;
  /**
   * Work that can take seconds (search over a large history, an AI call): platforms with a
   * short reply window acknowledge first, then edit the answer in. Others defer only if slow.
   */
  defer?: boolean;
  /** Also offered as a message action (Discord context menu / Slack message shortcut) with this label. */
  messageAction?: string;
  /**
   * Discord lists at most 5 message context menus per application: `false` keeps this action
   * a Slack shortcut only (on Discord the slash command with a message link does the same).
   */
  discordMenu?: boolean;
  /** The core call it makes. */
  run(core: CoreContext, invocation: CommandInvokedEvent): Promise<InteractionReply>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  if (!NAME.test(definition.name)) throw new Error(`command name "${definition.name}" must be lowercase letters, digits and dashes`);
  if (definition.description.length > 100) throw new Error(`command "${definition.name}": description over 100 characters`);
  for (const option of definition.options) {
    if (!NAME.test(option.name)) throw new Error(`command "${definition.name}": option "${option.name}" has an invalid name`);
  }
  return { ephemeral: true, ...definition };
}

/** What a crew command's `run` gets besides the core: who asked, where, and the state they gave. */
export interface CrewInvocation {
  invocation: CommandInvokedEvent;
  community: string;
  memberId: string;
  /** `on`, `off`, or empty (show where the member stands). */
  state: 'on' | 'off' | '';
}

/**
 * A command by which members join or leave a volunteer crew (`/welcomer`, `/translator`): for
 * everyone, answered only to them, its first option `state` (on, off, or empty to show). Bots
 * get `forBots`; any other state gets the usage (`/<name> <on>` or `/<name> off`), before
 * `run` sees it.
 */
export function defineCrewCommand(definition: {
  name: string;
  description: string;
  stateDescription: string;
  options?: CommandOption[];
  forBots: string;
  /** How to join, after the command's name: `on`, or `on <languages>`. */
  on: string;
  run(core: CoreContext, crew: CrewInvocation): Promise<InteractionReply>;
}): CommandDefinition {
  const { name, description, stateDescription, options = [], forBots, on, run } = definition;
  return defineCommand({
    name,
    description,
    options: [{ name: 'state', type: 'string', description: stateDescription, choices: ['on', 'off'] }, ...options],
    access: 'everyone',
    ephemeral: true,
    async run(core, invocation) {
      const given = invocation.options.state;
      const state = typeof given === 'string' ? given.trim().toLowerCase() : '';
      if (invocation.member.isBot) return { visibility: 'ephemeral', text: forBots };
      if (state !== '' && state !== 'on' && state !== 'off') {
        return { visibility: 'ephemeral', text: `Use \`/${name} ${on}\` or \`/${name} off\` (got "${quote(state, 20)}").` };
      }
      return run(core, { invocation, community: invocation.community, memberId: invocation.member.id, state });
    },
  });
}
