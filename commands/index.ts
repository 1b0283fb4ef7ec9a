/**
 * Every command the companion offers. Discord registration, the Slack manifest, the shell's
 * help and the care policy all read this list.
 */
import type { CommandDefinition } from './define';
import carePolicy from './care-policy';
import hearthConfig from './hearth-config';
import human from './human';
import resolve from './resolve';

export const commands: CommandDefinition[] = [human, carePolicy, resolve, hearthConfig];

export type { CommandDefinition, CommandOption } from './define';
