import { describe, expect, it } from 'vitest';
import { allowedMentions, capContent, customId, parseCustomId, renderParts, renderSingle, splitContent } from '../../src/platforms/discord/render';

describe('discord rendering', () => {
  it('allows no mention unless listed, and drops anything that is not a Discord id', () => {
    expect(allowedMentions()).toEqual({ parse: [], users: [], roles: [], repliedUser: false });
    expect(allowedMentions({ users: ['130000000000000002', '130000000000000002', 'everyone', '@here'], roles: ['<@&1>'] })).toEqual({
      parse: [],
      users: ['130000000000000002'],
      roles: [],
      repliedUser: false,
    });
  });

  it('keeps every part within 2000 characters, never splits a surrogate pair, and caps runaway text', () => {
    const emoji = 'a' + '😀'.repeat(3000); // 6001 UTF-16 units, pairs straddling every 2000th unit
    const parts = splitContent(emoji);
    expect(parts).toHaveLength(4);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
    expect(parts.join('')).toBe(emoji);
    const huge = 'word '.repeat(5000);
    const capped = splitContent(huge);
    expect(capped).toHaveLength(4);
    expect(capped[3].endsWith('… (truncated)')).toBe(true);
    expect(capContent('x'.repeat(2500))).toHaveLength(2000);
  });

  it('labels AI output and never sends empty content', () => {
    expect(renderParts({ text: 'draft', label: 'AI draft' })[0].content).toBe('**AI draft**\ndraft');
    expect(renderParts({ text: '   ' })[0].content).toBe('\u200b');
  });

  it('round-trips button ids and refuses ones Discord would reject', () => {
    expect(customId({ action: 'escalation:claim', value: '12' })).toBe('escalation:claim|12');
    expect(parseCustomId('related:more|a|b')).toEqual({ action: 'related:more', value: 'a|b' });
    expect(() => customId({ action: 'x', value: 'v'.repeat(100) })).toThrow(/custom_id over 100/);
  });

  it('lays buttons out five to a row and removes them on an edit without buttons', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ action: 'poll:vote', value: String(i), label: `Option ${i}` }));
    const [part] = renderParts({ text: 'vote', buttons });
    expect(part.components!.map((row) => row.toJSON().components.length)).toEqual([5, 2]);
    expect(renderSingle({ text: 'closed' }).components).toEqual([]);
  });
});

describe('button labels', () => {
  it('a label cut to 80 characters never splits an emoji (a surrogate pair)', () => {
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const [part] = renderParts({ text: 'pick', buttons: [{ action: 'a', value: 'v', label: `x${'😀'.repeat(60)}` }] });
    const label = (part.components![0].toJSON().components[0] as { label: string }).label;
    expect(label.length).toBeLessThanOrEqual(80);
    expect(label).not.toMatch(loneSurrogate);
  });
});
