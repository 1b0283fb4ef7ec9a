import { expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import { SlackPlatform } from '../../src/platforms/slack/platform';

it('an edit longer than one section block keeps all its text (split into sections, never cut)', async () => {
  const updates: { text: string; blocks: { type: string; text?: { text: string } }[] }[] = [];
  const client = { chat: { update: async (args: never) => void updates.push(args) } };
  const directory = { knownName: () => undefined, user: async () => undefined };
  const platform = new SlackPlatform({ client: client as never, directory: directory as never, repos: {} as never, log: silentLogger, selfId: 'U0BOT' });
  const note = `${'Refund sent & confirmed by the bank. '.repeat(100)}THE END`;
  await platform.edit('slack:T1', { channelId: 'C1', messageId: 'C1/1700000000.000100' }, { text: `Resolved by the team: ${note}` });
  const [update] = updates;
  expect(update.blocks.length).toBeGreaterThan(1);
  const shown = update.blocks.map((b) => b.text?.text ?? '').join('');
  expect(shown.endsWith('THE END')).toBe(true);
  for (const block of update.blocks) {
    expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    expect(block.text!.text).not.toMatch(/&(a|am|amp)?$/); // never cut inside an entity
  }
});
