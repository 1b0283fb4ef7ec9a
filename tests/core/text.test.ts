import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse';
import human from '../../commands/human';
import hearthConfig from '../../commands/hearth-config';
import { parseConfig, ConfigError } from '../../src/config';
import { parseDuration } from '../../src/core/clock';
import { hasMassMention, neutralizeMentions } from '../../src/core/text/mentions';

describe('mention neutralising', () => {
  it.each([
    '@everyone look',
    'hey @here',
    '＠everyone',
    '<!channel> now',
    '<!here|here>',
    '<!subteam^S123|@oncall> wake up',
    'ping <@&123456>',
  ])('makes %s inert', (text) => {
    expect(hasMassMention(neutralizeMentions(text))).toBe(false);
  });

  it('turns user mentions into plain names', () => {
    expect(neutralizeMentions('thanks <@U123|maya> and <@!42>')).toBe('thanks @\u200bmaya and @\u200buser');
  });
});

describe('command text parsing', () => {
  it('gives the rest of the line to the last string option', () => {
    expect(parseCommandText(human, 'my invoice is wrong')).toEqual({ reason: 'my invoice is wrong' });
  });
  it('takes one token for earlier options and honours name:value', () => {
    expect(parseCommandText(hearthConfig, 'welcomeMode dm')).toEqual({ setting: 'welcomeMode', value: 'dm' });
    expect(parseCommandText(hearthConfig, 'value:"30m" setting:firstQuestionWait')).toEqual({ setting: 'firstQuestionWait', value: '30m' });
  });
});

describe('config', () => {
  it('defaults to the shell with no tokens', () => {
    expect(parseConfig({}).HEARTH_DB_PATH).toBe('./data/hearth.db');
  });
  it('explains each bad value on its own line', () => {
    try {
      parseConfig({ SLACK_MODE: 'carrier-pigeon', OPENAI_BASE_URL: 'not a url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const lines = (error as ConfigError).problems;
      expect(lines.some((l) => l.startsWith('SLACK_MODE:'))).toBe(true);
      expect(lines.some((l) => l.startsWith('OPENAI_BASE_URL:'))).toBe(true);
    }
  });
  it('parses durations', () => {
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(() => parseDuration('10 parsecs')).toThrow(/invalid duration/);
  });
});
