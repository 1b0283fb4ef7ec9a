/**
 * The shell's line protocol, parsed without side effects (so it can be fuzzed):
 *   :join NAME            a new member joins
 *   :as NAME              speak as that member
 *   :in CHANNEL [private] switch channel (creating a private one with `private`)
 *   :react EMOJI          react to the last message in this channel
 *   :reply TEXT           reply to the last message in this channel
 *   :action LABEL         run a message action ("Same here", "Ask a human about this") on the last message
 *   :press ACTION VALUE   press a button the companion showed (e.g. :press escalation:claim 1)
 *   :mod NAME             make NAME a moderator
 *   :advance DURATION     move the clock (15m, 2h, 1d) and run the jobs that fall due
 *   :help                 this list
 *   /command ARGS         a slash command
 *   anything else         a message from the current member in the current channel
 */
import { parseDuration } from '../../core/clock';

export type ShellLine =
  | { kind: 'join'; name: string }
  | { kind: 'as'; name: string }
  | { kind: 'in'; channel: string; private: boolean }
  | { kind: 'react'; emoji: string }
  | { kind: 'reply'; text: string }
  | { kind: 'action'; label: string }
  | { kind: 'press'; action: string; value: string }
  | { kind: 'mod'; name: string }
  | { kind: 'advance'; ms: number }
  | { kind: 'help' }
  | { kind: 'command'; name: string; args: string }
  | { kind: 'message'; text: string }
  | { kind: 'empty' }
  | { kind: 'error'; message: string };

export const SHELL_HELP = `Shell community commands:
  :join NAME            a new member joins
  :as NAME              speak as that member
  :in CHANNEL [private] switch channel (private creates a private channel)
  :react EMOJI          react to the last message in this channel
  :reply TEXT           reply to the last message in this channel
  :action LABEL         message action on the last message (e.g. :action Same here)
  :press ACTION VALUE   press a button (e.g. :press escalation:claim 1)
  :mod NAME             make NAME a moderator
  :advance DURATION     move the clock (e.g. 15m, 2h) and run due jobs
  /command ARGS         run a slash command (/human, /hearth-config, ...)
  anything else         a message from the current member`;

const NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

function name(arg: string, what: string): string | { error: string } {
  const value = arg.trim().replace(/^[@#]/, '');
  if (!NAME.test(value)) return { error: `${what} must be 1-64 letters, digits, dots, dashes or underscores (got "${arg.trim().slice(0, 40)}")` };
  return value;
}

export function parseShellLine(raw: string): ShellLine {
  const line = raw.replace(/\r$/, '');
  const trimmed = line.trim();
  if (!trimmed) return { kind: 'empty' };
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) {
    const m = trimmed.match(/^\/(\S+)\s*([\s\S]*)$/);
    if (!m) return { kind: 'message', text: line };
    return { kind: 'command', name: m[1].toLowerCase(), args: m[2] };
  }
  if (!trimmed.startsWith(':') || trimmed.startsWith('::') || /^:\S*:/.test(trimmed)) {
    // Plain text (emoji shortcodes like ":tada: hi" are text too).
    return { kind: 'message', text: line };
  }
  const m = trimmed.match(/^:(\w+)\s*([\s\S]*)$/);
  if (!m) return { kind: 'message', text: line };
  const [, verb, rest] = m;
  const err = (message: string): ShellLine => ({ kind: 'error', message });
  switch (verb) {
    case 'join':
    case 'as':
    case 'mod': {
      const n = name(rest, 'a member name');
      return typeof n === 'string' ? { kind: verb, name: n } : err(`:${verb}: ${n.error}`);
    }
    case 'in': {
      const [channelArg = '', flag] = rest.split(/\s+/);
      const n = name(channelArg, 'a channel name');
      if (typeof n !== 'string') return err(`:in: ${n.error}`);
      if (flag && flag !== 'private') return err(`:in: unknown option "${flag}" (only "private")`);
      return { kind: 'in', channel: n, private: flag === 'private' };
    }
    case 'react':
      return rest.trim() ? { kind: 'react', emoji: rest.trim().slice(0, 64) } : err(':react needs an emoji, e.g. :react 👍');
    case 'reply':
      return rest.trim() ? { kind: 'reply', text: rest } : err(':reply needs some text');
    case 'action':
      return rest.trim() ? { kind: 'action', label: rest.trim() } : err(':action needs a label, e.g. :action Same here');
    case 'press': {
      const [action, value] = rest.trim().split(/\s+/);
      return action && value ? { kind: 'press', action, value } : err(':press needs an action and a value, e.g. :press escalation:claim 1');
    }
    case 'advance':
      try {
        return { kind: 'advance', ms: parseDuration(rest) };
      } catch (error) {
        return err(`:advance: ${(error as Error).message}`);
      }
    case 'help':
      return { kind: 'help' };
    default:
      return err(`unknown shell command ":${verb}" (try :help)`);
  }
}
