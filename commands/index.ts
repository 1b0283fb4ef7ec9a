/**
 * Every command the companion offers. Discord registration, the Slack manifest, the shell's
 * help and the care policy all read this list.
 */
import type { CommandDefinition } from './define';
import hearthConfig from './hearth-config';
import human from './human';
import related from './related';

export const commands: CommandDefinition[] = [human, related, hearthConfig];

export type { CommandDefinition, CommandOption } from './define';
