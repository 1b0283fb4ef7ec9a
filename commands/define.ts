/**
 * A command definition: the single source for Discord registration, the Slack manifest,
 * the shell's help and the care policy's list of what the companion does.
 */
import type { CoreContext } from '../src/core/context';
import type { CommandInvokedEvent } from '../src/core/events';
import type { InteractionReply } from '../src/core/platform';

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
