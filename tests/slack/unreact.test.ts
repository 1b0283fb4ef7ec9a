import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDS, slackHarness, type SlackHarness } from './harness';

describe('Slack adapter: taking a reaction back', () => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  it('maps reaction_removed to the core', async () => {
    t = await slackHarness('socket');
    const handle = vi.spyOn(t.service.companion, 'handle');
    const ts = await t.say(IDS.maya, 'the app is down', { channel: IDS.help });
    await t.event({ type: 'reaction_removed', user: IDS.mod, reaction: 'heavy_plus_sign', item: { type: 'message', channel: IDS.help, ts }, event_ts: `${ts}1` });
    const event = await t.eventually(() => {
      const found = handle.mock.calls.map(([e]) => e as { type: string }).find((e) => e.type === 'reaction_removed');
      expect(found).toBeDefined();
      return found;
    });
    expect(event).toMatchObject({ community: t.community, channelId: IDS.help, messageId: t.id(IDS.help, ts), emoji: '➕', member: { id: IDS.mod } });
  });
});
