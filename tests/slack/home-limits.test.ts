/**
 * Slack rejects a whole view (views.publish: invalid_arguments) when one section's text is
 * over 3000 characters. The care policy and the pulse are longer than that.
 */
import { afterEach, expect, it } from 'vitest';
import { IDS, slackHarness, type SlackHarness } from './harness';

let t: SlackHarness;
afterEach(async () => {
  await t?.close();
});

it('App Home sections stay within Slack\'s 3000-character section limit and keep all the text', async () => {
  t = await slackHarness('socket');
  await t.event({ type: 'app_home_opened', user: IDS.mod, channel: 'D0MOD', tab: 'home' });
  const view = await t.eventually(() => {
    const found = t.fake.views.find((v) => v.user_id === IDS.mod);
    expect(found).toBeDefined();
    return found!.view as { blocks: { type: string; text?: { text: string } }[] };
  });
  const sections = view.blocks.filter((b) => b.type === 'section');
  for (const block of sections) expect(block.text!.text.length).toBeLessThanOrEqual(3000);
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  const all = sections.map((b) => b.text!.text).join('\n');
  // The care policy's last part (the command list) is still there.
  expect(all).toContain('/hearth-config');
  expect(all).toContain('/human');
});
