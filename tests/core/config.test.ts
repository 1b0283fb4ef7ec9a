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
