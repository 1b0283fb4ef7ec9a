/**
 * Every command the companion offers. Discord registration, the Slack manifest, the shell's
 * help and the care policy all read this list.
 */
import type { CommandDefinition } from './define';
import hearthConfig from './hearth-config';
import forgetMe from './forget-me';
import human from './human';
import privacy from './privacy';
import pulse from './pulse';
import thanks from './thanks';

export const commands: CommandDefinition[] = [human, thanks, privacy, forgetMe, pulse, hearthConfig];

export type { CommandDefinition, CommandOption } from './define';
