import { describe, expect, it } from 'vitest';
import { messageIdFrom } from '../../src/core/features/assist/messages';
import { messageIdFromLink as discordLink } from '../../src/platforms/discord/ids';
import { ShellPlatform } from '../../src/platforms/shell/platform';
import { SlackPlatform } from '../../src/platforms/slack/platform';

describe('message links are read by the platform that made them', () => {
  it('Discord: .../channels/GUILD/CHANNEL/MESSAGE', () => {
    const discord = { messageIdFromLink: discordLink };
    expect(messageIdFrom('https://discord.com/channels/1/2/3', discord)).toBe('3');
    expect(messageIdFrom('<https://canary.discord.com/channels/1/2/345>', discord)).toBe('345');
    expect(messageIdFrom('https://example.com/channels/1/2/3', discord)).toBeUndefined();
  });

  it('Slack: .../archives/CHANNEL/p + ts without its dot', () => {
    const slack = { messageIdFromLink: (link: string) => SlackPlatform.prototype.messageIdFromLink.call(undefined, link) };
    // Hearth's id of a Slack message is its channel and ts (a ts is unique within a channel only).
    expect(messageIdFrom('https://acme.slack.com/archives/C0HELP/p1700000000123456', slack)).toBe('C0HELP/1700000000.123456');
    expect(messageIdFrom('https://acme.slack.com/archives/C0HELP/p1700000000123456?thread_ts=1.2', slack)).toBe('C0HELP/1700000000.123456');
    expect(messageIdFrom('https://acme.slack.com/archives/C0HELP', slack)).toBeUndefined();
  });

  it('the shell: shell://CHANNEL/ID; bare ids pass; unknown links and junk do not', () => {
    const shell = new ShellPlatform({ write: () => {} }, 'x-');
    expect(messageIdFrom('shell://general/x-m4', shell)).toBe('x-m4');
    expect(messageIdFrom('m12', shell)).toBe('m12');
    expect(messageIdFrom('https://discord.com/channels/1/2/3', shell)).toBeUndefined();
    expect(messageIdFrom('not an id at all', shell)).toBeUndefined();
    expect(messageIdFrom('https://x.test/a', {})).toBeUndefined();
  });
});
