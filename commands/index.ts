/**
 * Every command the companion offers. Discord registration, the Slack manifest, the shell's
 * help and the care policy all read this list.
 */
import type { CommandDefinition } from './define';
import carePolicy from './care-policy';
import dashboard from './dashboard';
import forgetMe from './forget-me';
import hearthConfig from './hearth-config';
import human from './human';
import link from './link';
import privacy from './privacy';
import pulse from './pulse';
import related from './related';
import resolve from './resolve';
import sameHere from './same-here';
import suggestReply from './suggest-reply';
import summarize from './summarize';
import thanks from './thanks';
import transcribe from './transcribe';
import translate from './translate';
import translator from './translator';
import welcomer from './welcomer';

export const commands: CommandDefinition[] = [
  human,
  carePolicy,
  related,
  sameHere,
  thanks,
  welcomer,
  translator,
  summarize,
  translate,
  transcribe,
  suggestReply,
  privacy,
  forgetMe,
  link,
  pulse,
  dashboard,
  resolve,
  hearthConfig,
];

export type { CommandDefinition, CommandOption } from './define';
