import { expect, it } from 'vitest';
import { splitContent } from '../../src/platforms/discord/render';

it('never splits a masked link, a mention or a custom emoji across two messages', () => {
  const link = '[the full thread with all its replies](https://discord.com/channels/1/2/3)';
  const mention = '<@130000000000000002>';
  const emoji = '<:party_parrot:140000000000000001>';
  for (const [token, lead] of [[link, 1975], [mention, 1990], [emoji, 1985]] as const) {
    const before = 'word '.repeat(lead / 5);
    const text = `${before}${token} and more words after it`;
    const parts = splitContent(text);
    expect(parts.length).toBe(2);
    expect(parts.some((p) => p.includes(token))).toBe(true);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  }
  // A token with no space anywhere near the limit is not cut either.
  const dense = 'x'.repeat(1990) + mention + 'y'.repeat(50);
  const parts = splitContent(dense);
  expect(parts.some((p) => p.includes(mention))).toBe(true);
  for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
});
