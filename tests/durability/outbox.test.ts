/**
 * A process killed between a post and its record (tested in-process: a "killed" companion is
 * one whose platform call never returns, or whose adapter never delivered its reply; the
 * restarted one is a new companion on the same database). The member's acknowledgement is
 * never skipped and a post the platform took is never repeated, or, where the platform cannot
 * tell, repeated visibly. The real process is killed in tests/durability/kill.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAYBE_REPEAT_NOTE } from '../../src/core/outbox';
import { moderatorPostTimesOut } from '../helpers/digest-community';
import { harness, type Harness, sqliteOf } from '../helpers/harness';

const ACK = /I've asked the moderators to help you \(request #1\)/;

/** `/human` whose reply the adapter never delivered (the process died first); `reply`: the adapter's lookup credential. */
function humanUndelivered(t: Harness, reason: string, reply?: { token: string; until: number }) {
  return t.companion.command({ type: 'command_invoked', community: t.community, at: t.clock.now(), command: 'human', options: { reason }, member: t.member('maya'), channel: t.channel() }, reply);
}

const TOKEN = 'interaction-token-secret-0123456789';

const restart = (t: Harness) => harness({ database: t.database, clock: t.clock, community: t.community });

describe('a kill between the moderator ping and the member’s acknowledgement', () => {
  it('the restarted companion acknowledges the member once and does not ping again', async () => {
    const t = harness();
    const reply = await humanUndelivered(t, 'I was charged twice');
    expect(reply.text).toMatch(ACK);
    expect(t.platform.of('notifyModerators')).toHaveLength(1);

    const after = restart(t);
    const asked: unknown[] = [];
    after.platform.findPosted = async (_community, where) => {
      asked.push(where);
      return where.kind === 'ephemeral' && where.interaction ? 'unknown' : 'absent';
    };
    await after.advance(t.minutes(1));
    // The reply to the command may have reached the member, and no history shows it.
    expect(asked).toEqual([{ kind: 'ephemeral', channelId: 'general', memberId: 'maya', interaction: true }]);
    const acks = after.platform.of('ephemeral');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ memberId: 'maya', channelId: 'general' });
    expect(acks[0].message.text).toMatch(ACK);
    // The reply may have reached the member before the kill: the late one says it may repeat it.
    expect(acks[0].message.text.endsWith(`\n${MAYBE_REPEAT_NOTE}`)).toBe(true);
    expect(after.platform.of('notifyModerators')).toHaveLength(0);
    await after.advance(t.minutes(5));
    expect(after.platform.calls).toHaveLength(1);
  });

  describe('a command reply whose adapter handed over its lookup credential (Discord’s interaction token)', () => {
    const intentOf = async (t: Harness) => (await t.repos.outbox.get(t.community, 'escalation:1:ack:1'))!;

    it('found where it went: nothing is sent again, and the token is deleted once the reply is confirmed', async () => {
      const t = harness();
      await humanUndelivered(t, 'I was charged twice', { token: TOKEN, until: t.clock.now() + t.minutes(14) });
      expect(await intentOf(t)).toMatchObject({ sentAt: null, replyToken: TOKEN });
      const after = restart(t);
      const asked: unknown[] = [];
      after.platform.findPosted = async (_community, where) => {
        asked.push(where);
        return where.kind === 'ephemeral' && where.replyToken === TOKEN ? { channelId: 'general', messageId: 'original' } : 'unknown';
      };
      await after.advance(t.minutes(1));
      expect(asked).toEqual([{ kind: 'ephemeral', channelId: 'general', memberId: 'maya', interaction: true, replyToken: TOKEN }]);
      expect(after.platform.of('ephemeral')).toHaveLength(0);
      expect(await intentOf(after)).toMatchObject({ sentAt: expect.any(Number), replyToken: null, replyTokenUntil: null });
      await after.advance(t.minutes(5));
      expect(after.platform.calls).toHaveLength(0);
    });

    it('shown never to have arrived: sent once, unmarked, in the reply’s place', async () => {
      const t = harness();
      await humanUndelivered(t, 'I was charged twice', { token: TOKEN, until: t.clock.now() + t.minutes(14) });
      const after = restart(t);
      after.platform.findPosted = async () => 'absent';
      await after.advance(t.minutes(1));
      const [ack, ...more] = after.platform.of('ephemeral');
      expect(more).toHaveLength(0);
      expect(ack.message.text).toMatch(ACK);
      expect(ack.message.text).not.toContain(MAYBE_REPEAT_NOTE);
      expect(ack.via).toEqual({ replyToken: TOKEN });
      expect(await intentOf(after)).toMatchObject({ sentAt: expect.any(Number), replyToken: null });
    });

    it('expired: the token is dropped unused, and only then is the acknowledgement marked a possible repeat', async () => {
      const t = harness();
      await humanUndelivered(t, 'I was charged twice', { token: TOKEN, until: t.clock.now() + 30_000 });
      const after = restart(t);
      const asked: unknown[] = [];
      after.platform.findPosted = async (_community, where) => {
        asked.push(where);
        return 'unknown';
      };
      await after.advance(t.minutes(1));
      expect(asked).toEqual([{ kind: 'ephemeral', channelId: 'general', memberId: 'maya', interaction: true }]);
      const [ack] = after.platform.of('ephemeral');
      expect(ack.message.text.endsWith(`\n${MAYBE_REPEAT_NOTE}`)).toBe(true);
      expect(ack.via).toBeUndefined();
      expect(await intentOf(after)).toMatchObject({ replyToken: null, replyTokenUntil: null });
    });

    it('a delivered reply keeps no token', async () => {
      const t = harness();
      const reply = await humanUndelivered(t, 'I was charged twice', { token: TOKEN, until: t.clock.now() + t.minutes(14) });
      await t.companion.delivered(reply);
      expect(await intentOf(t)).toMatchObject({ sentAt: expect.any(Number), replyToken: null, replyTokenUntil: null });
    });
  });

  it('a delivered reply is not acknowledged a second time', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'I was charged twice' });
    await t.advance(t.minutes(5));
    expect(t.platform.of('ephemeral')).toHaveLength(0);
  });

  it('a typed request whose note could not be sent gets it later, once', async () => {
    const t = harness();
    t.platform.failNext.ephemeral = 1;
    await t.say('maya', 'can I talk to a human?');
    expect(t.platform.of('ephemeral')).toHaveLength(0);
    await t.advance(t.minutes(1));
    const notes = t.platform.of('ephemeral');
    expect(notes).toHaveLength(1);
    expect(notes[0].message.text).toContain('request #1');
    expect(notes[0].message.text).not.toContain(MAYBE_REPEAT_NOTE);
    await t.advance(t.minutes(5));
    expect(t.platform.of('ephemeral')).toHaveLength(1);
  });
});

describe('a kill while the first ping is on its way (the platform took it, nothing recorded)', () => {
  /** The platform takes the ping, then the process dies before the answer comes back. */
  function dyingMidPing(t: Harness) {
    const send = t.platform.notifyModerators.bind(t.platform);
    t.platform.notifyModerators = async (...args) => {
      await send(...args);
      return new Promise(() => undefined);
    };
    void humanUndelivered(t, 'my data is gone');
  }

  it('a platform that can search its history finds the ping: no second one, and claims edit it', async () => {
    const t = harness();
    dyingMidPing(t);
    await new Promise((resolve) => setImmediate(resolve));
    const [taken] = t.platform.of('notifyModerators');
    expect(taken.message.idempotencyKey).toBe('escalation:1:ping');

    const after = restart(t);
    after.platform.findPosted = async (_community, where, key) => {
      if (where.kind !== 'moderators') throw new Error(`looked for ${key} in ${where.kind}`);
      return t.platform.of('notifyModerators').some((c) => c.message.idempotencyKey === key) ? { channelId: 'mods', messageId: taken.id } : 'absent';
    };
    await after.advance(t.minutes(1));
    expect(after.platform.of('notifyModerators')).toHaveLength(0);
    await after.press('mod', 'escalation:claim', '1');
    expect(after.platform.of('edit')[0].target.messageId).toBe(taken.id);
  });

  it('a platform whose history shows the ping never arrived gets it once, unmarked', async () => {
    const t = harness();
    t.platform.notifyModerators = () => new Promise(() => undefined); // dies before the platform takes it
    void humanUndelivered(t, 'my data is gone');
    await new Promise((resolve) => setImmediate(resolve));
    const after = restart(t);
    const asked: string[] = [];
    after.platform.findPosted = async (_community, where, key) => {
      asked.push(`${where.kind} ${key}${where.kind === 'ephemeral' && where.interaction ? ' (interaction)' : ''}`);
      return where.kind === 'ephemeral' && where.interaction ? 'unknown' : 'absent';
    };
    await after.advance(t.minutes(1));
    const pings = after.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).not.toContain(MAYBE_REPEAT_NOTE);
    expect(asked).toEqual(['moderators escalation:1:ping']);
    // The command never returned, so its reply never left: the acknowledgement is a first send.
    const acks = after.platform.of('ephemeral');
    expect(acks).toHaveLength(1);
    expect(acks[0].message).toMatchObject({ idempotencyKey: 'escalation:1:ack:1' });
    expect(acks[0].message.text).not.toContain(MAYBE_REPEAT_NOTE);
  });

  it('a platform that cannot tell gets the ping again, marked as a possible repeat', async () => {
    const t = harness();
    dyingMidPing(t);
    await new Promise((resolve) => setImmediate(resolve));
    const after = restart(t);
    await after.advance(t.minutes(1));
    const pings = after.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).toMatch(/^<@maya> asked for a human \(request #1, command\)/);
    expect(pings[0].message.text.endsWith(`\n${MAYBE_REPEAT_NOTE}`)).toBe(true);
    // And the member, whose reply never left, is acknowledged.
    expect(after.platform.of('ephemeral')).toHaveLength(1);
  });
});

describe('a kill right after a re-ping', () => {
  it('the step run again after its lease ran out does not post the re-ping twice', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    await t.advance(t.minutes(10));
    const repings = () => t.platform.of('notifyModerators').filter((c) => c.message.text.startsWith('**Still unclaimed:**'));
    expect(repings()).toHaveLength(1);
    // What a kill right after the post leaves: the step still running, the tier not yet raised.
    const task = (await t.repos.tasks.get(t.community, 'escalation:1:reping'))!;
    sqliteOf(t.database).sqlite.prepare("update scheduled_tasks set status = 'running', lease_until = ? where id = ?").run(t.clock.now(), task.id);
    await t.repos.escalations.update(t.community, 1, { tier: 0 });

    const after = restart(t);
    await after.advance(t.minutes(1));
    expect(after.platform.of('notifyModerators')).toHaveLength(0);
    expect(await t.repos.tasks.get(t.community, 'escalation:1:reping')).toMatchObject({ status: 'done' });
  });
});

describe('a send that failed after the platform took the post (a timed-out request: Slack may have posted it)', () => {
  /** The platform takes the ping, and the call fails as a timed-out one does (the adapter says the outcome is unknown). */
  function timingOutAfterPosting(t: Harness) {
    moderatorPostTimesOut(t);
    t.platform.findPosted = async (_community, where, key) => {
      if (where.kind !== 'moderators') return 'absent';
      const taken = t.platform.of('notifyModerators').find((c) => c.message.idempotencyKey === key);
      return taken ? { channelId: 'mods', messageId: taken.id } : 'absent';
    };
  }

  it('the retry looks for the post first: found, it is recorded and not posted again', async () => {
    const t = harness();
    timingOutAfterPosting(t);
    await t.command('maya', 'human', { reason: 'my data is gone' });
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
    await t.advance(t.minutes(3));
    const pings = t.platform.of('notifyModerators').filter((c) => c.message.idempotencyKey === 'escalation:1:ping');
    expect(pings).toHaveLength(1);
    expect(await t.repos.outbox.get(t.community, 'escalation:1:ping')).toMatchObject({ sentAt: expect.any(Number), messageId: pings[0].id });
  });

  it('a send the platform refused outright leaves no intent: the retry is a plain first send, without a lookup', async () => {
    const t = harness();
    t.platform.failNext.notifyModerators = 1;
    const asked: string[] = [];
    t.platform.findPosted = async (_community, _where, key) => {
      asked.push(key);
      return 'unknown';
    };
    await t.command('maya', 'human', { reason: 'my data is gone' });
    await t.advance(t.minutes(3));
    const pings = t.platform.of('notifyModerators').filter((c) => c.message.idempotencyKey === 'escalation:1:ping');
    expect(pings).toHaveLength(1);
    expect(pings[0].message.text).not.toContain(MAYBE_REPEAT_NOTE);
    expect(asked).not.toContain('escalation:1:ping');
  });
});
