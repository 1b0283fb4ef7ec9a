import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

describe('escalation lifecycle', () => {
  it('acknowledges only after the row and its follow-up steps are stored', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    const [row] = await t.repos.escalations.list(t.community);
    for (const step of ['ping', 'reping', 'second_tier']) {
      expect(await t.repos.tasks.get(t.community, `escalation:${row.id}:${step}`)).toMatchObject({ status: 'pending' });
    }
    expect(row.acknowledgedAt).toBe(t.clock.now());
  });

  it('a crash between the write and the ping loses nothing: the restarted companion pings once', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1; // the process "dies" before the ping leaves
    await t.command('maya', 'human', { reason: 'my data is gone' });
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(1));
    const pings = restarted.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).toMatch(/^<@maya> asked for a human \(request #1, command\)/);
    expect(pings[0].message.text).toContain('(data loss)');
    await restarted.advance(t.minutes(5));
    expect(restarted.platform.of('notifyModerators')).toHaveLength(1);
    // Claiming edits the ping the restarted companion posted.
    await restarted.press('mod', 'escalation:claim', '1');
    expect(restarted.platform.of('edit')[0].target.messageId).toBe(pings[0].id);
  });

  it('keeps retrying a failing first ping with back-off, then reaches moderators exactly once', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 3;
    await t.command('maya', 'human', {});
    await t.advance(t.minutes(1)); // attempt at +1 fails: next at +3
    await t.advance(t.minutes(2)); // attempt at +3 fails: next at +7
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.advance(t.minutes(3));
    expect(t.platform.of('notifyModerators')).toHaveLength(0);
    await t.advance(t.minutes(1));
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).toMatch(/^<@maya> asked for a human/);
    await t.advance(t.minutes(2)); // 9 minutes: nothing more until the re-ping
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('a slow immediate ping (over a minute) is never posted a second time by the durable step', async () => {
    const t = harness();
    const send = t.platform.notifyModerators.bind(t.platform);
    let release!: () => void;
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const slow = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    t.platform.notifyModerators = async (...args) => {
      if (calls++ === 0) {
        entered();
        await slow; // the platform is slow for this first ping (rate limits, retries)
      }
      return send(...args);
    };
    const asking = t.command('maya', 'human', { reason: 'help' });
    await inFlight;
    await t.advance(t.minutes(2)); // the backup step falls due while the ping is on its way
    release();
    await asking;
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    await t.advance(t.minutes(5)); // and once it landed, the backup stands down for good
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('never gives up during a long platform outage: the first ping that gets through is the one claims update', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 8; // every attempt in the first half hour
    await t.command('maya', 'human', {});
    for (let minute = 1; minute <= 60; minute++) await t.advance(t.minutes(1));
    // Failed: the ping at 0, +1, +3, +7; the re-ping at +10 and its retries at +11 and +13;
    // the ping at +15. The re-ping's retry at +17 gets through; the second tier follows at +30.
    const pings = t.platform.of('notifyModerators');
    expect(pings.map((p) => p.message.text.split(':**')[0])).toEqual(['**Still unclaimed', '**Second tier']);
    const row = await t.repos.escalations.get(t.community, 1);
    expect(row?.acknowledgedAt).not.toBeNull();
    await t.press('mod', 'escalation:claim', '1');
    expect(t.platform.of('edit')[0].target.messageId).toBe(pings[0].id);
    // Once heard, the ping step stands down: nothing more is sent for this request.
    const before = pings.length;
    await t.advance(t.minutes(120));
    expect(t.platform.of('notifyModerators')).toHaveLength(before);
  });

  it('re-pings at 10 minutes and reaches the second tier at 30, once each, even with ticks in between', async () => {
    const t = harness({ settings: { secondTier: ['leads'] } });
    await t.command('maya', 'human', {});
    for (let minute = 1; minute <= 60; minute++) await t.advance(t.minutes(1));
    const pings = t.platform.of('notifyModerators');
    expect(pings.map((p) => p.message.text.split(' ')[0])).toEqual(['<@maya>', '**Still', '**Second']);
    expect(pings[2].audience).toMatchObject({ roleIds: ['leads'] });
  });

  it('claim tells the requester, from any channel the moderator presses in', async () => {
    const t = harness();
    await t.say('maya', 'can I talk to a human?', { channelId: 'help' });
    const reply = await t.press('mod', 'escalation:claim', '1', 'dm-mod');
    expect(reply?.text).toMatch(/You claimed request #1/);
    const told = t.platform.of('ephemeral').filter((c) => c.memberId === 'maya');
    expect(told.at(-1)).toMatchObject({ channelId: 'help', message: { text: expect.stringMatching(/<@mod> from the team has picked up your request/) } });
    const [edit] = t.platform.of('edit');
    expect(edit.message.text).toMatch(/🙋 Claimed by <@mod>/);
    expect(edit.message.buttons?.map((b) => b.label)).toEqual(['Resolve']);
  });

  it('falls back to a DM when the requester cannot be told in the channel', async () => {
    const t = harness();
    await t.command('maya', 'human', {});
    t.platform.failNext.ephemeral = 1;
    await t.press('mod', 'escalation:claim', '1');
    expect(t.platform.of('dm')).toMatchObject([{ memberId: 'maya', message: { text: expect.stringMatching(/picked up your request/) } }]);
  });

  it('the second tier named by person may claim without a moderator role', async () => {
    const t = harness({ settings: { secondTier: ['lead-ana'] } });
    await t.command('maya', 'human', {});
    expect((await t.press('lead-ana', 'escalation:claim', '1'))?.text).toMatch(/You claimed request #1/);
    expect((await t.press('someone', 'escalation:resolve', '1'))?.text).toMatch(/Only moderators/);
  });

  it('resolves with the button, or with /resolve and a note shown on the ping', async () => {
    const t = harness();
    await t.command('maya', 'human', {});
    await t.command('sam', 'human', {}, { channel: t.channel('help') });
    expect((await t.press('mod', 'escalation:resolve', '1'))?.text).toBe('Request #1 is resolved.');
    expect((await t.command('sam', 'resolve', { id: 2, note: 'nope' })).text).toMatch(/is for moderators/);
    const reply = await t.command('mod', 'resolve', { id: 2, note: 'refunded the double charge @everyone' });
    expect(reply.text).toBe('Request #2 is resolved with your note.');
    const row = await t.repos.escalations.get(t.community, 2);
    expect(row).toMatchObject({ status: 'resolved', resolvedBy: 'mod', claimedBy: 'mod', resolutionNote: 'refunded the double charge @everyone' });
    const last = t.platform.of('edit').at(-1)!;
    expect(last.message.text).toMatch(/✅ Resolved by <@mod>: “refunded the double charge @\u200beveryone”/);
    expect(last.message.buttons).toEqual([]);
    expect((await t.command('mod', 'resolve', { id: 2 })).text).toMatch(/already resolved/);
    expect((await t.command('mod', 'resolve', {})).text).toMatch(/Which request\?/);
    // Resolved requests are not followed up.
    await t.advance(t.minutes(45));
    expect(t.platform.of('notifyModerators')).toHaveLength(2);
  });

  it('/resolve parses "id note" typed as text (shell, Slack)', async () => {
    const { parseCommandText } = await import('../../commands/parse');
    const t = harness();
    const definition = t.companion.findCommand('resolve')!;
    expect(parseCommandText(definition, '12 refunded the double charge')).toEqual({ id: 12, note: 'refunded the double charge' });
  });

  it('merges repeats by the same member in the same place, across ways in', async () => {
    const t = harness();
    await t.say('maya', 'can I talk to a human?');
    await t.command('maya', 'human', { reason: 'still need someone' });
    const id = await t.say('maya', 'hello? anyone from the team here?');
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row.requestCount).toBe(3);
    expect(t.platform.of('ephemeral').at(-1)?.message.text).toMatch(/You already have a request open here \(#1\)/);
    // The moderators' ping now shows the repeat count and quotes and links the latest message.
    const edit = t.platform.of('edit').at(-1)!;
    expect(edit.target.messageId).toBe(t.platform.of('notifyModerators')[0].id);
    expect(edit.message.text).toContain('asked 3 times');
    expect(edit.message.text).toContain('Message: “hello? anyone from the team here?”');
    expect(edit.message.text).toContain(`(https://chat.test/general/${id})`);
    expect(edit.message.buttons?.map((b) => b.label)).toEqual(['Claim', 'Resolve']);
    // Another place, or another member, is another request.
    await t.command('maya', 'human', {}, { channel: t.channel('help') });
    await t.command('sam', 'human', {});
    expect(await t.repos.escalations.list(t.community)).toHaveLength(3);
  });

  it('a repeated /human keeps its new reason visible on the ping, without pinging again early', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'my export is broken' });
    t.clock.advance(t.minutes(3));
    await t.command('maya', 'human', { reason: 'it also deleted my drafts' });
    expect(t.platform.of('notifyModerators')).toHaveLength(1); // an edit, not a new ping
    const edit = t.platform.of('edit').at(-1)!;
    expect(edit.target.messageId).toBe(t.platform.of('notifyModerators')[0].id);
    expect(edit.message.text).toContain('Reason: “my export is broken”');
    expect(edit.message.text).toContain('Latest: “it also deleted my drafts”');
    // The re-ping keeps its schedule (10 minutes after the first request) and shows it too.
    await t.advance(t.minutes(6));
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    await t.advance(t.minutes(1));
    expect(t.platform.of('notifyModerators').at(-1)?.message.text).toContain('Latest: “it also deleted my drafts”');
    // It stays through the claim's edit, and forget-me drops it with the first reason.
    await t.press('mod', 'escalation:claim', '1');
    expect(t.platform.of('edit').at(-1)?.message.text).toContain('Latest: “it also deleted my drafts”');
    await t.repos.escalations.clearReasonsOf(t.community, 'maya');
    expect(await t.repos.escalations.get(t.community, 1)).toMatchObject({ reason: null, latestReason: null });
  });

  it('a merged high-stakes repeat raises the stakes of the open request', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'question about my plan' });
    await t.say('maya', 'actually someone hacked my account');
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ stakes: 'high', stakesClass: 'fraud_security', requestCount: 2 });
  });

  it('reports time to claim p50/p90, unclaimed now and escalations by class', async () => {
    const t = harness();
    const waits = [2, 4, 6, 8, 30];
    for (const [i, wait] of waits.entries()) {
      await t.command(`m${i}`, 'human', { reason: i === 0 ? 'I was charged twice' : 'question' });
      t.clock.advance(t.minutes(wait));
      await t.press('mod', 'escalation:claim', String(i + 1));
    }
    await t.say('zed', 'my card was stolen');
    await t.say('yan', 'can I talk to a human?');
    t.clock.advance(t.minutes(5));
    const metrics = await t.core.features.escalation.metrics(t.community);
    expect(metrics).toEqual({
      opened: 7,
      timeToClaim: { p50: t.minutes(6), p90: t.minutes(30), claimed: 5 },
      unclaimedNow: 2,
      oldestUnclaimedMs: t.minutes(5),
      byClass: { billing: 1, none: 5, fraud_security: 1 },
      bySource: { command: 5, stakes: 1, typed: 1 },
    });
  });
});
