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

describe('CRM webhooks', () => {
  it('a webhook URL needs a signing secret of at least 16 characters', () => {
    expect(() => parseConfig({ HEARTH_WEBHOOK_URL: 'https://crm.example.com/hooks' })).toThrow(/HEARTH_WEBHOOK_SECRET: required when HEARTH_WEBHOOK_URL is set/);
    expect(() => parseConfig({ HEARTH_WEBHOOK_URL: 'https://crm.example.com/hooks', HEARTH_WEBHOOK_SECRET: 'short' })).toThrow(/HEARTH_WEBHOOK_SECRET: too short/);
    expect(() => parseConfig({ HEARTH_WEBHOOK_URL: 'not a url', HEARTH_WEBHOOK_SECRET: '0123456789abcdef' })).toThrow(/HEARTH_WEBHOOK_URL/);
    const config = parseConfig({ HEARTH_WEBHOOK_URL: 'https://crm.example.com/hooks', HEARTH_WEBHOOK_SECRET: ' "0123456789abcdef" ' });
    expect(config.HEARTH_WEBHOOK_SECRET).toBe('0123456789abcdef');
    expect(parseConfig({}).HEARTH_WEBHOOK_URL).toBeUndefined();
  });
});

describe('HubSpot', () => {
  it('the sync schedule must be a cron expression; the token is a secret kept out of logs', () => {
    expect(parseConfig({}).HUBSPOT_SYNC_SCHEDULE).toBe('7 * * * *');
    expect(() => parseConfig({ HUBSPOT_SYNC_SCHEDULE: 'hourly' })).toThrow(/HUBSPOT_SYNC_SCHEDULE: must be a cron expression/);
    expect(parseConfig({ HUBSPOT_ACCESS_TOKEN: ' "pat-na1-abc" ' }).HUBSPOT_ACCESS_TOKEN).toBe('pat-na1-abc');
  });
});

describe('Discord sharding', () => {
  it('takes DISCORD_SHARD_ID and DISCORD_SHARD_COUNT together, the id below the count', () => {
    expect(parseConfig({ DISCORD_SHARD_ID: '1', DISCORD_SHARD_COUNT: '3' })).toMatchObject({ DISCORD_SHARD_ID: 1, DISCORD_SHARD_COUNT: 3 });
    expect(parseConfig({}).DISCORD_SHARD_COUNT).toBeUndefined();
    expect(() => parseConfig({ DISCORD_SHARD_ID: '1' })).toThrow(/DISCORD_SHARD_COUNT: set DISCORD_SHARD_ID and DISCORD_SHARD_COUNT together/);
    expect(() => parseConfig({ DISCORD_SHARD_ID: '3', DISCORD_SHARD_COUNT: '3' })).toThrow(/DISCORD_SHARD_ID: must be below DISCORD_SHARD_COUNT \(3\)/);
    expect(() => parseConfig({ DISCORD_SHARD_ID: '-1', DISCORD_SHARD_COUNT: '3' })).toThrow(/DISCORD_SHARD_ID/);
  });
});
