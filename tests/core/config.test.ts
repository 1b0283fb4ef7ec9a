import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, selectPlatforms } from '../../src/config';

describe('HEARTH_PLATFORMS', () => {
  it('accepts platform names in any case, as operators type them', () => {
    expect(selectPlatforms(parseConfig({ HEARTH_PLATFORMS: 'Discord, SLACK' }))).toEqual(['discord', 'slack']);
  });
  it('names an unknown platform in a ConfigError', () => {
    expect(() => selectPlatforms(parseConfig({ HEARTH_PLATFORMS: 'discrod' }))).toThrow(ConfigError);
  });
});

describe('tokens and ids pasted with stray whitespace or quotes', () => {
  it('are trimmed and unquoted (docker --env-file and pasted values keep them literally)', () => {
    const config = parseConfig({
      DISCORD_TOKEN: ' MTIz.abc.def\n',
      SLACK_BOT_TOKEN: '"xoxb-1-2-3"',
      SLACK_APP_TOKEN: "'xapp-1-A-2' ",
      SLACK_SIGNING_SECRET: '\tabc123def456\r',
      OPENAI_API_KEY: ' "sk-test-123" ',
      DISCORD_GUILD_ID: '100000000000000001 ',
    });
    expect(config.DISCORD_TOKEN).toBe('MTIz.abc.def');
    expect(config.SLACK_BOT_TOKEN).toBe('xoxb-1-2-3');
    expect(config.SLACK_APP_TOKEN).toBe('xapp-1-A-2');
    expect(config.SLACK_SIGNING_SECRET).toBe('abc123def456');
    expect(config.OPENAI_API_KEY).toBe('sk-test-123');
    expect(config.DISCORD_GUILD_ID).toBe('100000000000000001');
  });
  it('a value of only quotes counts as unset', () => {
    expect(parseConfig({ DISCORD_TOKEN: '""' }).DISCORD_TOKEN).toBeUndefined();
  });
});
