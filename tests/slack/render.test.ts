import { describe, expect, it } from 'vitest';
import { emojiFromSlack, slackEmojiName } from '../../src/platforms/slack/emoji';
import { escapeSlack, fromSlackText, mentionedIds, toMrkdwn } from '../../src/platforms/slack/mrkdwn';

describe('core text -> Slack mrkdwn', () => {
  it('converts the markdown subset', () => {
    expect(toMrkdwn('**Stakes:** high, see [the thread](https://x.test/a?b=1&c=2)')).toBe(
      '*Stakes:* high, see <https://x.test/a?b=1&amp;c=2|the thread>',
    );
    expect(toMrkdwn('_italic_ and `code`')).toBe('_italic_ and `code`');
  });

  it('escapes special mentions and user groups that reach it raw (second line of defence)', () => {
    const out = toMrkdwn('<!channel> <!here|here> <!everyone> <!subteam^S1|@devs> a < b > c & d');
    expect(out).toBe('&lt;!channel&gt; &lt;!here|here&gt; &lt;!everyone&gt; &lt;!subteam^S1|@devs&gt; a &lt; b &gt; c &amp; d');
    expect(out).not.toMatch(/<!/);
  });

  it('keeps only allowed user mentions live; others become inert names', () => {
    const names: Record<string, string> = { U2: 'mod' };
    const out = toMrkdwn('<@U1> was helped by <@U2> and <@U3|x>', { mentionUsers: ['U1'], nameOf: (id) => names[id] });
    expect(out).toBe('<@U1> was helped by @mod and @U3');
  });

  it('keeps channel links, which never ping', () => {
    expect(toMrkdwn('see <#C0HELP> and <#C0HELP|help>')).toBe('see <#C0HELP> and <#C0HELP|help>');
    expect(toMrkdwn('<#C1|x> <!here>')).toBe('<#C1|x> &lt;!here&gt;');
  });

  it('refuses links that are not web links and labels that would break the link', () => {
    expect(toMrkdwn('[click](javascript:alert(1))')).not.toContain('<javascript');
    expect(toMrkdwn('[a|b](https://x.test)')).toBe('<https://x.test|a¦b>');
  });

  it('cannot be tricked by a link label into producing a special mention', () => {
    const out = toMrkdwn('[<!channel>](https://x.test) [x](https://x.test/<!here>)');
    expect(out).not.toMatch(/<!/);
  });

  it('survives hostile text', () => {
    const huge = '<!channel>'.repeat(5000) + '\u0000\u202e' + '**'.repeat(1000);
    expect(() => toMrkdwn(huge)).not.toThrow();
    expect(toMrkdwn(huge)).not.toMatch(/<!/);
    expect(escapeSlack('&<>')).toBe('&amp;&lt;&gt;');
  });
});

describe('Slack text -> core text', () => {
  it('unescapes entities and flattens channel links and URLs, keeping user mentions', () => {
    expect(fromSlackText('a &lt;b&gt; &amp;amp; <#C1|help> <https://x.test|site> <https://y.test> <@U1>')).toBe(
      'a <b> &amp; #help site (https://x.test) https://y.test <@U1>',
    );
    expect(mentionedIds('hi <@U1> and <@U2|bob> and <@U1>')).toEqual(['U1', 'U2']);
  });

  it('maps emoji names both ways', () => {
    expect(emojiFromSlack('heavy_plus_sign')).toBe('➕');
    expect(emojiFromSlack('+1::skin-tone-3')).toBe('👍');
    expect(emojiFromSlack('partyparrot')).toBe('partyparrot');
    expect(slackEmojiName('➕')).toBe('heavy_plus_sign');
    expect(slackEmojiName(':tada:')).toBe('tada');
    expect(slackEmojiName('❤')).toBe('heart');
  });
});

describe('long messages', () => {
  it('split into sections Slack accepts without cutting an escape or a mention', async () => {
    const { chunks } = await import('../../src/platforms/slack/platform');
    const body = toMrkdwn(Array.from({ length: 900 }, (_, i) => `<@U${i}> & <b>`).join(' '), { mentionUsers: Array.from({ length: 900 }, (_, i) => `U${i}`) });
    const parts = chunks(body, 3000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(body);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(3000);
      expect(part).not.toMatch(/&[a-z]{0,3}$/);
      expect(part.lastIndexOf('<')).toBeLessThan(part.lastIndexOf('>') + 1);
    }
    expect(chunks('x'.repeat(7000), 3000).map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });

  it('never splits an emoji (a surrogate pair) between two sections', async () => {
    const { chunks } = await import('../../src/platforms/slack/platform');
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const body = `x${'😀'.repeat(4000)}`;
    const parts = chunks(body, 3000);
    expect(parts.join('')).toBe(body);
    for (const part of parts) expect(part).not.toMatch(loneSurrogate);
  });
});
