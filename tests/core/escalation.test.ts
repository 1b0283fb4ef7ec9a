import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { harness } from '../helpers/harness';

describe('/human escalation (foundation loop)', () => {
  it('writes the escalation, pings moderators with Claim/Resolve and acknowledges honestly', async () => {
    const t = harness();
    const reply = await t.command('maya', 'human', { reason: 'my invoice is wrong' });
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.text).toMatch(/A person from the team will reply/);
    expect(reply.text).toMatch(/no history of response times yet/);
    const [ping] = t.platform.of('notifyModerators');
    expect(ping.audience).toEqual({ channelId: 'mods', roleIds: ['mod-role'] });
    expect(ping.message.buttons?.map((b) => b.label)).toEqual(['Claim', 'Resolve']);
    expect(ping.message.text).toContain('my invoice is wrong');
    expect(await t.repos.escalations.list(t.community)).toHaveLength(1);
  });

  it('is durable before the acknowledgement: a failed ping loses nothing and is retried', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1;
    const reply = await t.command('maya', 'human', { reason: 'help' });
    expect(reply.text).toMatch(/I've recorded your request \(#1\), but I couldn't reach the moderators/);
    expect(reply.text).not.toMatch(/Something went wrong/);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row).toMatchObject({ requesterId: 'maya', status: 'open', acknowledgedAt: null });
    // The durable first-ping step delivers it a minute later, with the Claim/Resolve buttons.
    await t.advance(t.minutes(1));
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).not.toMatch(/Still unclaimed/);
    expect(pings[0].message.buttons?.map((b) => b.label)).toEqual(['Claim', 'Resolve']);
    expect((await t.repos.escalations.get(t.community, 1))?.acknowledgedAt).not.toBeNull();
    // The re-ping is its own step, still at 10 minutes.
    await t.advance(t.minutes(9));
    expect(t.platform.of('notifyModerators')).toHaveLength(2);
  });

  it('merges repeated requests by the same member in the same place', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'first' });
    const second = await t.command('maya', 'human', { reason: 'again' });
    expect(second.text).toMatch(/already have a request open/);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    const [row] = await t.repos.escalations.list(t.community);
    expect(row.requestCount).toBe(2);
  });

  it('claim tells the requester who is coming and records the signal; only moderators may claim', async () => {
    const t = harness();
    await t.command('maya', 'human', {});
    expect((await t.press('maya', 'escalation:claim', '1'))?.text).toMatch(/Only moderators/);
    const reply = await t.press('mod', 'escalation:claim', '1');
    expect(reply?.text).toMatch(/You claimed request #1/);
    const told = t.platform.of('ephemeral').find((c) => c.memberId === 'maya');
    expect(told?.message.text).toMatch(/<@mod> from the team has picked up your request/);
    expect(await t.repos.signals.list(t.community, { kind: 'escalation_claimed' })).toHaveLength(1);
    expect((await t.press('mod', 'escalation:claim', '1'))?.text).toMatch(/already claimed/);
  });

  it('re-pings after 10 minutes and reaches the second tier after 30, once each, across a restart', async () => {
    const t = harness({ settings: { secondTier: ['leads'] } });
    await t.command('maya', 'human', {});
    await t.advance(t.minutes(9));
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    await t.advance(t.minutes(2));
    expect(t.platform.of('notifyModerators')).toHaveLength(2);
    expect(t.platform.of('notifyModerators')[1].message.text).toMatch(/Still unclaimed/);

    // Restart: a new companion over the same database and clock.
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community, settings: { secondTier: ['leads'] } });
    await restarted.advance(t.minutes(20));
    const pings = restarted.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].audience.roleIds).toEqual(['leads']);
    await restarted.advance(t.minutes(59)); // nothing more until the first reminder, at an hour
    expect(restarted.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('does not follow up on a claimed request', async () => {
    const t = harness();
    await t.command('maya', 'human', {});
    await t.press('mod', 'escalation:claim', '1');
    await t.advance(t.minutes(45));
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('the expected wait is the median time to claim over the last 30 days', async () => {
    const t = harness();
    for (const [who, wait] of [['a', 4], ['b', 6], ['c', 20], ['d', 5], ['e', 8]] as const) {
      await t.command(who, 'human', {});
      t.clock.advance(t.minutes(wait));
      const [open] = await t.repos.escalations.list(t.community, { status: ['open'] });
      await t.press('mod', 'escalation:claim', String(open.id));
    }
    const reply = await t.command('maya', 'human', {});
    expect(reply.text).toMatch(/about 6 minutes \(median of the 5 requests picked up in the last 30 days\)/);
  });

  it('migrates a file database idempotently', () => {
    const first = openDatabase(':memory:');
    expect(() => openDatabase(':memory:')).not.toThrow();
    first.close();
  });
});
