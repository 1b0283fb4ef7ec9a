/**
 * Parse a command's text arguments into options: used by the shell and by Slack, whose
 * slash commands arrive as one string. Discord sends typed options and skips this.
 *
 * Rules, in order: `name:value` pairs set options explicitly; a `user` option takes the next
 * mention (`@maya`, `<@U123>`, `<@U123|maya>`); integers and booleans take the next token;
 * the last string option takes the rest of the text.
 */
import type { CommandDefinition } from './define';
import type { OptionValue } from '../src/core/events';

export function parseCommandText(definition: CommandDefinition, input: string): Record<string, OptionValue | undefined> {
  const options: Record<string, OptionValue | undefined> = {};
  let rest = input.trim();

  // Explicit name:value pairs (value may be quoted).
  const names = definition.options.map((o) => o.name).join('|');
  if (names) {
    const explicit = new RegExp(`(?:^|\\s)(${names}):(?:"([^"]*)"|(\\S+))`, 'g');
    rest = rest.replace(explicit, (_m, name: string, quoted?: string, bare?: string) => {
      options[name] = coerce(definition, name, quoted ?? bare ?? '');
      return ' ';
    });
    rest = rest.trim();
  }

  const pending = definition.options.filter((o) => options[o.name] === undefined);
  const lastString = [...pending].reverse().find((o) => o.type === 'string');
  for (const option of pending) {
    if (!rest) break;
    if (option === lastString) continue;
    const token = rest.match(/^(\S+)\s*/);
    if (!token) break;
    const value = coerceToken(option.type, token[1]);
    if (value === undefined) continue;
    options[option.name] = value;
    rest = rest.slice(token[0].length);
  }
  if (lastString && rest) options[lastString.name] = rest;
  return options;
}

function coerce(definition: CommandDefinition, name: string, raw: string): OptionValue | undefined {
  const option = definition.options.find((o) => o.name === name);
  return option ? (coerceToken(option.type, raw) ?? raw) : raw;
}

function coerceToken(type: CommandDefinition['options'][number]['type'], token: string): OptionValue | undefined {
  switch (type) {
    case 'user': {
      const m = token.match(/^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/) ?? token.match(/^@(.+)$/);
      return m ? m[1] : undefined;
    }
    case 'channel': {
      const m = token.match(/^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$/) ?? token.match(/^#(.+)$/);
      return m ? m[1] : undefined;
    }
    case 'integer':
      return /^-?\d+$/.test(token) ? Number(token) : undefined;
    case 'boolean':
      return /^(true|yes|on)$/i.test(token) ? true : /^(false|no|off)$/i.test(token) ? false : undefined;
    default:
      return token;
  }
}
