/**
 * A time no JavaScript date can hold (past ±8.64e15 ms, year 275760) is refused at the core's
 * front door: stored, it made every later member export of the community throw
 * (`RangeError: Invalid time value`) and a pulse over the stored data count days for ever.
 * Import formats other than Hearth's own lines (Slack exports, DiscordChatExporter, backfill)
 * reach the core without the CLI's line check.
 */
import { describe, expect, it } from 'vitest';
import { memberHealth } from '../../src/core/health/member-health';
import { harness } from '../helpers/harness';

describe('times beyond what a date holds', () => {
  it('a message or a join at such a time is rejected, naming the field; the community stays readable', async () => {
    const t = harness();
    const now = t.clock.now();
    await t.say('ana', 'hello there');
    for (const at of [1e17, 8.64e15 + 1]) {
      const posted = await t.companion.handle({
        community: t.community,
        at,
        type: 'message_posted',
        message: { id: `far-${at}`, channel: t.channel(), author: t.member('zed'), text: 'from the far future', at },
      });
      expect(posted).toMatchObject({ ok: false, error: expect.stringMatching(/^malformed message_posted event: (at|message\.at): /) });
      const joined = await t.companion.handle({ community: t.community, at, type: 'member_joined', member: t.member('zed') });
      expect(joined).toMatchObject({ ok: false });
    }
    expect(await t.repos.messages.get(t.community, 'far-1e+17')).toBeUndefined();
    const records = await memberHealth(t.core, t.community, { now });
    expect(records.map((r) => r.memberId)).toEqual(['ana']);
  });

  it('the latest time a date holds is still taken', async () => {
    const t = harness();
    const posted = await t.companion.handle({ community: t.community, at: 1_700_000_000_000, type: 'message_posted', message: { id: 'm', channel: t.channel(), author: t.member('ana'), text: 'hi', at: 1_700_000_000_000, editedAt: 8.64e15 } });
    expect(posted).toMatchObject({ ok: true });
  });
});
