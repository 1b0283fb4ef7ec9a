import { describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness';

describe('follow-ups until claimed', () => {
  it('with no second tier configured, the 30-minute step still mentions the moderators', async () => {
    const t = harness(); // moderatorRoles: ['mod-role'], secondTier: [] (the default)
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(10));
    await t.advance(t.minutes(20));
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(3);
    for (const ping of pings) expect(ping.audience.roleIds).toEqual(['mod-role']);
  });

  it('with a second tier, the 30-minute step mentions it', async () => {
    const t = harness({ settings: { secondTier: ['leads'] } });
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(30));
    expect(t.platform.of('notifyModerators').at(-1)?.audience).toMatchObject({ roleIds: ['leads'] });
  });

  it('after downtime, overdue steps catch up with one ping, not a burst', async () => {
    const t = harness({ settings: { secondTier: ['leads'] } });
    await t.command('maya', 'human', { reason: 'help' });
    // The process was down from just after the first ping until 45 minutes later.
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community, settings: { secondTier: ['leads'] } });
    await restarted.advance(t.minutes(45));
    const pings = restarted.platform.of('notifyModerators');
    expect(pings.map((p) => p.message.text.split(':**')[0])).toEqual(['**Second tier']);
    await restarted.advance(t.minutes(59)); // the first reminder comes an hour after the second tier
    expect(restarted.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('a first ping delivered late by the durable step is not followed by a re-ping in the same minute', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1; // the immediate ping fails, then the process stops
    await t.command('maya', 'human', { reason: 'help' });
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(12));
    const pings = restarted.platform.of('notifyModerators');
    expect(pings.map((p) => p.message.text.split(' ')[0])).toEqual(['<@maya>']);
    // The second tier still follows at 30 minutes.
    await restarted.advance(t.minutes(18));
    expect(restarted.platform.of('notifyModerators')).toHaveLength(2);
  });
});

describe('reminders after the second tier', () => {
  const reminders = (t: Harness) => t.platform.of('notifyModerators').filter((p) => p.message.text.startsWith('**Reminder'));

  it('go on at 1 h, 2 h, 4 h, then every 8 h, in the moderators’ channel without a mention, until claimed', async () => {
    const { hasMassMention } = await import('../../src/core/text/mentions');
    const t = harness({ settings: { secondTier: ['leads'] } });
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(10));
    await t.advance(t.minutes(20)); // the second tier, at 30 minutes
    const hours: number[] = [];
    for (let hour = 1; hour <= 32; hour++) {
      await t.advance(t.minutes(60));
      if (reminders(t).length > hours.length) hours.push(hour);
    }
    expect(hours).toEqual([1, 3, 7, 15, 23, 31]); // hours after the second tier
    expect(reminders(t)).toHaveLength(6);
    for (const reminder of reminders(t)) {
      expect(reminder.audience).toEqual({ channelId: 'mods', roleIds: [], userIds: [] });
      expect(hasMassMention(reminder.message.text)).toBe(false);
      expect(reminder.message.buttons?.map((b) => b.label)).toEqual(['Claim', 'Resolve']);
    }
    expect(reminders(t)[0].message.text).toMatch(/^\*\*Reminder, unclaimed for 2 hours:\*\* <@maya> asked for a human \(request #1, command\)/);
    // Claimed: no reminder after that.
    await t.press('mod', 'escalation:claim', '1');
    for (let hour = 0; hour < 48; hour++) await t.advance(t.minutes(60));
    expect(reminders(t)).toHaveLength(6);
  });

  it('stop once the request is resolved; the first one waits reminderAfter', async () => {
    const t = harness({ settings: { reminderAfter: 2 * 60 * 60_000 } });
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(30));
    await t.advance(t.minutes(119));
    expect(reminders(t)).toHaveLength(0);
    await t.advance(t.minutes(1));
    expect(reminders(t)).toHaveLength(1);
    await t.press('mod', 'escalation:resolve', '1');
    for (let hour = 0; hour < 48; hour++) await t.advance(t.minutes(60));
    expect(reminders(t)).toHaveLength(1);
  });

  it('a reminder run again after a crash is not posted twice', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(30));
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    t.repos.tasks.complete = () => {
      died();
      return new Promise(() => {}); // killed before the reminder step was marked done
    };
    t.clock.advance(t.minutes(60));
    void t.companion.runDueTasks();
    await dead;
    expect(reminders(t)).toHaveLength(1);
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(10));
    expect(reminders(restarted)).toHaveLength(0);
    await restarted.advance(t.minutes(110)); // the next one is still due two hours after the first
    expect(reminders(restarted)).toHaveLength(1);
  });
});

describe('an explicit request joining a flag-only escalation', () => {
  it('gets the follow-ups an explicit request always has', async () => {
    const t = harness({ settings: { autoEscalateClasses: [] } }); // high stakes are only flagged
    await t.say('maya', 'I was charged twice this month');
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    await t.advance(t.minutes(15));
    expect(t.platform.of('notifyModerators')).toHaveLength(1); // flagged once, as configured
    const reply = await t.command('maya', 'human', { reason: 'please, I need a person' });
    expect(reply.text).toMatch(/already have a request open here \(#1\)/);
    await t.advance(t.minutes(10));
    const texts = t.platform.of('notifyModerators').map((p) => p.message.text);
    expect(texts.some((x) => x.startsWith('**Still unclaimed'))).toBe(true);
  });
});

describe('a follow-up step interrupted by a crash', () => {
  it('killed while the re-ping is on its way: the restarted companion sends it, once', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    t.platform.notifyModerators = () => {
      entered();
      return new Promise(() => {}); // the process dies before the platform answers
    };
    t.clock.advance(t.minutes(10));
    void t.companion.runDueTasks();
    await inFlight;
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(1)); // the dead runner's lease still holds the step
    expect(restarted.platform.of('notifyModerators')).toHaveLength(0);
    await restarted.advance(t.minutes(5)); // its lease ran out: the step runs again
    await restarted.advance(t.minutes(1));
    await restarted.advance(t.minutes(14)); // 31 minutes: the second tier follows as usual
    const pings = restarted.platform.of('notifyModerators');
    expect(pings.map((p) => p.message.text.split(':**')[0])).toEqual(['**Still unclaimed', '**Second tier']);
  });

  it('killed after the re-ping was sent but before the step was marked done: not sent again', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(5)); // the backup first-ping step stands down
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    t.repos.tasks.complete = () => {
      died();
      return new Promise(() => {}); // killed before the step was marked done
    };
    t.clock.advance(t.minutes(5));
    void t.companion.runDueTasks();
    await dead;
    expect(t.platform.of('notifyModerators').map((p) => p.message.text.split(':**')[0])).toEqual([expect.any(String), '**Still unclaimed']);
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(6)); // the step runs again and finds the re-ping recorded
    expect(restarted.platform.of('notifyModerators')).toHaveLength(0);
    expect(await restarted.repos.tasks.get(t.community, 'escalation:1:reping')).toMatchObject({ status: 'done' });
  });
});
