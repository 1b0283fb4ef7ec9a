/**
 * Every command the companion offers. Discord registration, the Slack manifest, the shell's
 * help and the care policy all read this list.
 */
import type { CommandDefinition } from './define';
import hearthConfig from './hearth-config';
import human from './human';
import sameHere from './same-here';
import suggestReply from './suggest-reply';
import summarize from './summarize';
import translate from './translate';
import welcomer from './welcomer';

export const commands: CommandDefinition[] = [human, sameHere, welcomer, summarize, suggestReply, translate, hearthConfig];

export type { CommandDefinition, CommandOption } from './define';
