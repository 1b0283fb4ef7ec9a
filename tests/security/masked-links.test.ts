/**
 * A markdown link in member text never becomes a masked link in the companion's own posts:
 * quoted, `[label](url)` would render as "label" leading to url on Discord, and the Slack
 * adapter would turn it into `<url|label>`, with the companion's authority.
 */
import { describe, expect, it } from 'vitest';
import { quote } from '../../src/core/text/mentions';
import { toMrkdwn } from '../../src/platforms/slack/mrkdwn';
import { harness } from '../helpers/harness';

const PHISH = 'my refund never came, please use the [Refund form](https://evil.example/refund) to check';

describe('masked links in quoted member text', () => {
  it('quote leaves the address readable but no label linking to it', () => {
    const quoted = quote(PHISH);
    expect(quoted).not.toContain('](');
    expect(quoted).toContain('https://evil.example/refund');
    expect(toMrkdwn(quoted)).not.toContain('|Refund form>');
    expect(toMrkdwn(quoted)).not.toMatch(/<https:\/\/evil\.example\/refund\|/);
  });

  it('a quoted title cannot close the companion\'s own link label early', () => {
    const title = 'Exports](https://evil.example) [ignore';
    const line = `[${quote(title, 100)}](https://chat.test/help/1)`;
    expect(toMrkdwn(line)).not.toContain('<https://evil.example|');
  });

  it('the moderator ping for a request quoting a masked link carries no masked link', async () => {
    const t = harness();
    await t.say('nina', `can I talk to a human please? ${PHISH}`, { channelId: 'help' });
    const pings = t.platform.of('notifyModerators');
    expect(pings.length).toBeGreaterThan(0);
    for (const ping of pings) {
      expect(ping.message.text).toContain('evil.example');
      expect(ping.message.text).not.toMatch(/\[Refund form\]\(/);
      expect(toMrkdwn(ping.message.text)).not.toMatch(/<https:\/\/evil\.example\/refund\|/);
    }
  });
});
