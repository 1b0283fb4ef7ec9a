/**
 * A handler that stopped after storing an event (its process killed, in-process here: the
 * store step fails just after the write, as a kill there would leave it) and a redelivery of
 * the same event (Discord catch-up, a Slack retry, another process's connection) handled by
 * a restarted companion on the same database. "Stored" is not "handled": the redelivery runs
 * the features, and each effect happens once. Also a handler killed after its features ran
 * but before the delivery was marked done: the re-run counts, pings and acknowledges nothing
 * twice. And a handler killed inside the join welcome, after its claim, while the welcome was on
 * its way: the redelivery welcomes the newcomer and asks a welcomer, each once. The real process is killed at outgoing requests in tests/durability/processes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAYBE_REPEAT_NOTE } from '../../src/core/outbox';
import type { Repositories } from '../../src/core/storage';
import { harness, type Harness } from '../helpers/harness';

const restart = (t: Harness) => harness({ database: t.database, clock: t.clock, community: t.community });

/** The store step of `t` (and of every companion on its repositories object) fails once, right after `method` wrote. */
function dieAfter<K extends keyof Repositories>(t: Harness, repo: K, method: string): void {
  const target = t.repos[repo] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = target[method].bind(target);
  target[method] = async (...args: unknown[]) => {
    await original(...args);
    target[method] = original;
    throw new Error('killed after storing');
  };
}

/** Features ran, the delivery was never marked done. */
function dieBeforeDone(t: Harness): void {
  t.repos.deliveries.done = async () => {
    throw new Error('killed before marking the delivery done');
  };
}

function joinEvent(t: Harness, id: string) {
  return { type: 'member_joined', community: t.community, communityName: 'Test Community', at: t.clock.now(), deliveryId: `join:${id}`, member: t.member(id), welcomeChannelId: 'general' };
}

function messageEvent(t: Harness, id: string, author: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message_posted',
    community: t.community,
    communityName: 'Test Community',
    at: t.clock.now(),
    deliveryId: `message:${id}`,
    message: { id, channel: t.channel(), author: t.member(author), text, at: t.clock.now(), ...extra },
  };
}

const welcomes = (t: Harness) => t.platform.of('post').filter((c) => /^Welcome to Test Community, <@nia>!/.test(c.message.text));
const sameHereAcks = (t: Harness) => [...t.platform.of('reply'), ...t.platform.of('edit')].filter((c) => /You're not alone/.test(c.message.text));
const QUESTION = 'Is the login page broken for anyone else? I get a 502 after entering my password';

describe('killed after storing, before acting: the redelivery acts once', () => {
  it('a join: the newcomer is welcomed once', async () => {
    const t = harness();
    const event = joinEvent(t, 'nia');
    dieAfter(t, 'members', 'markJoined');
    expect((await t.companion.handle(event)).ok).toBe(false);
    expect(welcomes(t)).toHaveLength(0);

    const after = restart(t);
    const handled = await after.companion.handle(event);
    expect(handled.ok && !handled.notes.duplicate).toBe(true);
    expect(welcomes(after)).toHaveLength(1);
    // Handled now: a further redelivery is a duplicate.
    expect(await after.companion.handle(event)).toMatchObject({ ok: true, notes: { duplicate: true } });
    await after.advance(t.minutes(5));
    expect(welcomes(after)).toHaveLength(1);
  });

  it('a typed request: the moderators are pinged and the member acknowledged once, asked once', async () => {
    const t = harness();
    const event = messageEvent(t, 'm1', 'maya', 'can I talk to a human?');
    dieAfter(t, 'messages', 'insert');
    expect((await t.companion.handle(event)).ok).toBe(false);
    expect(t.platform.calls).toHaveLength(0);

    const after = restart(t);
    await after.companion.handle(event);
    await after.companion.handle(event);
    await after.advance(t.minutes(5));
    expect(after.platform.of('notifyModerators')).toHaveLength(1);
    expect(after.platform.of('ephemeral')).toHaveLength(1);
    expect(after.platform.of('ephemeral')[0].message.text).toMatch(/I've asked the moderators to help you \(request #1\)/);
    const [row] = await after.repos.escalations.list(after.community);
    expect(row.requestCount).toBe(1);
    // The message counts as the member's first post once (the kill came before it was marked).
    expect((await after.repos.members.get(after.community, 'maya'))?.firstPostAt).toBe(t.clock.now() - t.minutes(5));
  });

  it('a same-here: counted and acknowledged once', async () => {
    const t = harness({ settings: { humanFirstClasses: [] } });
    await t.companion.handle(messageEvent(t, 'q', 'maya', QUESTION));
    const event = messageEvent(t, 'm2', 'sam', 'same here', { replyTo: 'q' });
    dieAfter(t, 'messages', 'insert');
    expect((await t.companion.handle(event)).ok).toBe(false);
    expect(await t.repos.sameHere.count(t.community, 'q')).toBe(0);

    const after = restart(t);
    await after.companion.handle(event);
    await after.companion.handle(event);
    expect(await after.repos.sameHere.count(after.community, 'q')).toBe(1);
    expect(sameHereAcks(after)).toHaveLength(1);
    expect(sameHereAcks(after)[0].message.text).toBe("You're not alone, <@maya>: 1 member has the same experience.");
  });
});

describe('killed after acting, before the delivery was marked done: the re-run repeats nothing', () => {
  it('a join, a typed request and its repeat, a same-here: each effect once, each request counted once', async () => {
    const t = harness();
    const events = [
      joinEvent(t, 'nia'),
      messageEvent(t, 'm1', 'maya', 'can I talk to a human?'),
      messageEvent(t, 'm2', 'maya', 'hello? anyone from the team here?'),
      messageEvent(t, 'q', 'lee', QUESTION),
      messageEvent(t, 'm3', 'sam', 'same here', { replyTo: 'q' }),
    ];
    dieBeforeDone(t);
    for (const event of events) await t.companion.handle(event);
    const before = { calls: t.platform.calls.length, escalations: await t.repos.escalations.list(t.community) };
    expect(before.escalations.find((e) => e.requesterId === 'maya')?.requestCount).toBe(2);

    const after = restart(t);
    for (const event of events) expect(await after.companion.handle(event)).toMatchObject({ ok: true });
    for (const event of events) expect(await after.companion.handle(event)).toMatchObject({ ok: true, notes: { duplicate: true } });
    const rows = await after.repos.escalations.list(after.community);
    expect(rows.map((r) => [r.id, r.requestCount])).toEqual(before.escalations.map((r) => [r.id, r.requestCount]));
    expect(await after.repos.sameHere.count(after.community, 'q')).toBe(1);
    // The re-run and the steps after it send nothing the first run sent already.
    await after.advance(t.minutes(5));
    const all = [...t.platform.calls, ...after.platform.calls];
    expect(all.filter((c) => c.kind === 'notifyModerators')).toHaveLength(before.escalations.length);
    expect(all.filter((c) => c.kind === 'ephemeral')).toHaveLength(2);
    expect(all.filter((c) => c.kind === 'post' && /Welcome to Test Community, <@nia>!/.test(c.message.text))).toHaveLength(1);
    expect(all.filter((c) => /You're not alone/.test('message' in c ? c.message.text : ''))).toHaveLength(1);
  });
});

/**
 * The process of `t` dies at the welcome's post (or, `at: 'ask'`, at the welcomer's ask DM):
 * the platform took it first when `taken`. Nothing after that point runs (every later store
 * and platform call of `t` fails, as none would in a killed process), and the delivery is
 * left unfinished.
 */
function dieAtWelcomePost(t: Harness, taken: boolean, at: 'welcome' | 'ask' = 'welcome'): void {
  let dead = false;
  for (const repo of Object.values(t.repos as unknown as Record<string, unknown>)) {
    if (!repo || typeof repo !== 'object') continue;
    const methods = repo as Record<string, unknown>;
    for (const [name, fn] of Object.entries(methods)) {
      if (typeof fn !== 'function') continue;
      methods[name] = async (...args: unknown[]) => {
        if (dead) throw new Error('killed');
        return (fn as (...a: unknown[]) => unknown).apply(repo, args);
      };
    }
  }
  const platform = t.platform as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const kind of ['post', 'reply', 'edit', 'dm', 'ephemeral', 'react', 'notifyModerators']) {
    const original = platform[kind].bind(t.platform);
    platform[kind] = async (...args: unknown[]) => {
      if (dead) throw new Error('killed');
      const message = args[2] as { text?: string } | undefined;
      const fatal = at === 'welcome' ? kind === 'post' && /^Welcome to Test Community, <@nia>!/.test(message?.text ?? '') : kind === 'dm' && /^<@nia> just joined/.test(message?.text ?? '');
      if (!fatal) return original(...args);
      dead = true;
      if (taken) await original(...args);
      throw new Error('killed mid-send');
    };
  }
}

/** Who was asked (by DM) to greet nia. */
const asks = (t: Harness) => t.platform.of('dm').filter((c) => /^<@nia> just joined Test Community\. Could you greet them personally\?/.test(c.message.text));

describe('killed inside the join welcome, after its claim, while the welcome was on its way', () => {
  async function killedWelcome(taken: boolean, searchable: boolean) {
    const t = harness();
    expect((await t.command('sam', 'welcomer', { state: 'on' })).text).toMatch(/on the welcome crew/);
    const event = joinEvent(t, 'nia');
    dieAtWelcomePost(t, taken);
    expect((await t.companion.handle(event)).ok).toBe(false);
    expect(welcomes(t)).toHaveLength(taken ? 1 : 0);
    expect(asks(t)).toHaveLength(0);

    const after = restart(t);
    const looked: string[] = [];
    if (searchable) {
      // A platform whose history shows the keyed posts: the killed process's are on `t`'s.
      after.platform.findPosted = async (_community, where, key) => {
        looked.push(`${where.kind} ${key}`);
        const found = [...t.platform.calls, ...after.platform.calls].find((c) => 'id' in c && 'message' in c && c.message.idempotencyKey === key);
        return found && 'id' in found ? { channelId: found.kind === 'post' ? found.channelId : `dm-${'memberId' in found ? found.memberId : ''}`, messageId: found.id } : 'absent';
      };
    }
    expect(await after.companion.handle(event)).toMatchObject({ ok: true });
    expect(await after.companion.handle(event)).toMatchObject({ ok: true, notes: { duplicate: true } });
    await after.advance(t.minutes(5));
    return { t, after, looked, all: [...welcomes(t), ...welcomes(after)], asked: [...asks(t), ...asks(after)] };
  }

  it('the platform never took the welcome: the redelivery posts it once, and asks the welcomer once', async () => {
    const { all, asked, looked } = await killedWelcome(false, true);
    expect(all).toHaveLength(1);
    expect(all[0].message.text).not.toContain(MAYBE_REPEAT_NOTE);
    expect(looked.length).toBeGreaterThan(0);
    expect(asked).toHaveLength(1);
    expect(asked[0].memberId).toBe('sam');
    expect(asked[0].message.text).toContain(`[Say hello under the welcome](https://chat.test/general/${all[0].id})`);
  });

  it('the platform took the welcome: it is found, not posted again, and the welcomer is pointed at it once', async () => {
    const { t, after, all, asked } = await killedWelcome(true, true);
    expect(all).toHaveLength(1);
    expect(welcomes(after)).toHaveLength(0);
    const [first] = welcomes(t);
    expect(asked).toHaveLength(1);
    expect(asked[0].message.text).toContain(`[Say hello under the welcome](https://chat.test/general/${first.id})`);
  });

  it('a platform that cannot tell gets the welcome again, marked as a possible repeat; the welcomer is asked once', async () => {
    const { after, all, asked } = await killedWelcome(true, false);
    expect(all).toHaveLength(2);
    expect(welcomes(after)[0].message.text.endsWith(`\n${MAYBE_REPEAT_NOTE}`)).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('killed at the welcomer’s ask: the welcomer its turn went to is asked, once, and no other', async () => {
    const t = harness();
    for (const name of ['sam', 'ana']) await t.command(name, 'welcomer', { state: 'on' });
    const event = joinEvent(t, 'nia');
    dieAtWelcomePost(t, false, 'ask');
    expect((await t.companion.handle(event)).ok).toBe(false);
    expect(welcomes(t)).toHaveLength(1);
    const after = restart(t);
    after.platform.findPosted = async (_community, where, key) => {
      const found = t.platform.calls.find((c) => 'id' in c && 'message' in c && c.message.idempotencyKey === key);
      return found && found.kind === 'post' ? { channelId: found.channelId, messageId: found.id } : 'absent';
    };
    expect(await after.companion.handle(event)).toMatchObject({ ok: true });
    await after.advance(t.minutes(5));
    expect(welcomes(after)).toHaveLength(0);
    // The killed run took one welcomer's turn (recorded); the ask goes to them, and nobody else is asked.
    const turns = (await after.repos.signals.forSubject(after.community, 'welcomer_asked', 'nia')).map((s) => s.actorId);
    expect(turns).toHaveLength(1);
    const asked = [...asks(t), ...asks(after)];
    expect(asked.map((c) => c.memberId)).toEqual(turns);
    expect(asked[0].message.text).toContain(`[Say hello under the welcome](https://chat.test/general/${welcomes(t)[0].id})`);
  });

  it('a welcome posted before joins came fast is not batched as well when its join is re-run', async () => {
    const t = harness();
    const event = joinEvent(t, 'nia');
    dieBeforeDone(t);
    await t.companion.handle(event);
    expect(welcomes(t)).toHaveLength(1);
    const after = restart(t);
    // Joins meanwhile: had nia's join come now, her welcome would wait for the next batch.
    for (let i = 1; i <= 6; i++) await after.join(`n${i}`);
    after.platform.findPosted = async () => 'absent';
    expect(await after.companion.handle(event)).toMatchObject({ ok: true });
    await after.advance(t.minutes(15));
    const naming = [...t.platform.calls, ...after.platform.calls].filter((c) => c.kind === 'post' && c.message.text.startsWith('Welcome to Test Community') && c.message.mentionUsers?.includes('nia'));
    expect(naming).toHaveLength(1);
  });

  it('a completed welcome re-run (killed before the delivery was marked done) posts and asks nothing again', async () => {
    const t = harness();
    await t.command('sam', 'welcomer', { state: 'on' });
    const event = joinEvent(t, 'nia');
    dieBeforeDone(t);
    await t.companion.handle(event);
    expect(welcomes(t)).toHaveLength(1);
    expect(asks(t)).toHaveLength(1);
    const after = restart(t);
    after.platform.findPosted = async () => 'absent';
    expect(await after.companion.handle(event)).toMatchObject({ ok: true });
    await after.advance(t.minutes(5));
    expect(after.platform.calls).toHaveLength(0);
  });
});
