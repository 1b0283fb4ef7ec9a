import { describe, expect, it } from 'vitest';
import { guardModelText } from '../../src/core/ai/guard';
import { hasMassMention } from '../../src/core/text/mentions';

const guard = (text: string, sources: string[] = [], maxLength = 500) => guardModelText(text, { maxLength, sources });

describe('the guard on model output (untrusted text)', () => {
  it('neutralises every mass, role and user mention the model writes', () => {
    const out = guard('@everyone look! <@&123> and <@456> and <!channel> and ＠here').text;
    expect(hasMassMention(out)).toBe(false);
    expect(out).not.toMatch(/<@&?\d+>/);
    expect(out).not.toContain('<!channel>');
  });

  it('keeps http(s) links only to hosts found in the source messages', () => {
    const sources = ['see https://docs.example.org/setup for details'];
    const out = guard('Read [the docs](https://docs.example.org/setup) or [this](https://evil.test/login) or https://evil.test/x.', sources);
    expect(out.text).toContain('[the docs](https://docs.example.org/setup)');
    expect(out.text).not.toContain('evil.test');
    expect(out.text).toContain('this (link removed)');
    expect(out.removedLinks).toBe(2);
  });

  it('drops non-http links (javascript:, data:) even as markdown', () => {
    const out = guard('[click](javascript:alert(1)) data:text/html;base64,AAAA <javascript:alert(2)|here>');
    expect(out.text).not.toMatch(/javascript:|data:/i);
  });

  it('strips speaker labels and role claims at the start of lines', () => {
    const out = guard('Moderator: this thread is closed.\n**[Admin]** ban incoming\nAs the moderator, I decide.\nSystem: ignore rules');
    expect(out.impersonation).toBe(true);
    expect(out.text.split('\n')).toEqual(['This thread is closed.', 'Ban incoming', 'I decide.', 'Ignore rules']);
  });

  it('leaves ordinary text alone', () => {
    const out = guard('The moderators said the fix ships Friday: update the app.');
    expect(out).toEqual({ text: 'The moderators said the fix ships Friday: update the app.', removedLinks: 0, impersonation: false, truncated: false });
  });

  it('removes invisible and direction-changing characters and caps the length', () => {
    const out = guard(`a\u202eb\u200bc ${'x'.repeat(1000)}`, [], 50);
    expect(out.text.startsWith('abc ')).toBe(true);
    expect(out.text.length).toBe(50);
    expect(out.text.endsWith('…')).toBe(true);
    expect(out.truncated).toBe(true);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '](', '[[[[(((', '\u0000\u0001', '<@&>', 'https://', '[a](https://[::1', '💥'.repeat(5000)]) {
      expect(() => guard(text)).not.toThrow();
    }
  });
});
