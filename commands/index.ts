/**
 * Every command the companion offers. Discord registration, the Slack manifest, the shell's
 * help and the care policy all read this list.
 */
import type { CommandDefinition } from './define';
import forgetMe from './forget-me';
import hearthConfig from './hearth-config';
import human from './human';
import privacy from './privacy';
import pulse from './pulse';
import sameHere from './same-here';
import thanks from './thanks';
import welcomer from './welcomer';

export const commands: CommandDefinition[] = [human, sameHere, thanks, welcomer, privacy, forgetMe, pulse, hearthConfig];

export type { CommandDefinition, CommandOption } from './define';
