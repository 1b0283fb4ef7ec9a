import { describe, expect, it } from 'vitest';
import { runShellScript } from '../helpers/shell-script';
import { parseDuration } from '../../src/core/clock';
import { parseShellLine } from '../../src/platforms/shell/protocol';

describe('shell: hostile durations', () => {
  it('refuses a duration past any real date instead of breaking the clock for the rest of the session', async () => {
    expect(parseShellLine(':advance 99999999999999999999d').kind).toBe('error');
    expect(() => parseDuration('1e400d')).toThrow(/invalid duration/);
    expect(() => parseDuration('200000w')).toThrow(/too long/);
    expect(parseDuration('3650d')).toBe(3650 * 86_400_000);
    const out = await runShellScript([':advance 99999999999999999999d', ':join maya', '/human my invoice is wrong', ':advance 11m']);
    expect(out[0]).toMatch(/^! :advance: .*too long/);
    const text = out.join('\n');
    expect(text).not.toMatch(/Invalid time value/);
    expect(text).toMatch(/\(time is now 20\d\d-/);
    expect(text).toMatch(/Still unclaimed/);
  });
});

describe('shell: terminal escape sequences', () => {
  it('prints no control character a member typed or an import carried (the terminal would act on it)', async () => {
    const out = await runShellScript([':join maya', '/human my invoice \u001b]0;owned\u0007 is \u001b[2J wrong \u009b31m']);
    const text = out.join('\n');
    expect(text).toMatch(/invoice/);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('\ufffd');
  });
});

describe('shell: hostile member names', () => {
  it("never prints a member's name as a raw mass mention in its own line prefixes", async () => {
    const out = await runShellScript([
      ':as everyone',
      '/welcomer on',
      ':join here',
      '/care-policy',
      ':mod channel',
      ':as channel',
      '/hearth-config moderatorRoles everyone',
      ':as here',
      '/human please',
    ]);
    const text = out.join('\n');
    expect(text).toMatch(/\(only @\u200beveryone sees this\)/);
    expect(text).toMatch(/\[dm @\u200beveryone\]/);
    expect(text).toMatch(/\(only @\u200bhere sees this\)/);
    // A moderator role that would ping the whole community is refused (issue 20, item 6).
    expect(text).toMatch(/would ping the whole community on every escalation/);
    expect(text).not.toMatch(/(^|[^\u200b])@(everyone|here|channel)\b/m);
  });
});
