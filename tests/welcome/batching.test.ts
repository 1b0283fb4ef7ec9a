import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { nameList } from '../../src/core/features/welcome';
import { harness, type Harness } from '../helpers/harness';

const welcomes = (t: Harness) => t.platform.of('post').filter((c) => c.message.text.startsWith('Welcome to Test Community'));

/** Joins `every` ms apart, running due tasks as time passes (at least once a minute). */
async function joinAll(t: Harness, names: string[], every = 5_000) {
  let lastRun = t.clock.now();
  for (const name of names) {
    await t.join(name);
    t.clock.advance(every);
    if (t.clock.now() - lastRun >= MINUTE) {
      await t.companion.runDueTasks();
      lastRun = t.clock.now();
    }
  }
  await t.companion.runDueTasks();
}

const newcomers = (n: number, prefix = 'n') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('welcomes when joins come fast', () => {
  it('a replay of a busy help channel (490 joins in two hours) posts a few welcomes, not 490', async () => {
    const t = harness();
    await joinAll(t, newcomers(490), (2 * 60 * MINUTE) / 490);
    await t.advance(10 * MINUTE);
    const posts = welcomes(t);
    // 5 personal welcomes before joins count as fast, then one batch per 10-minute window.
    expect(posts.length).toBeLessThanOrEqual(5 + 13);
    // Everyone is welcomed exactly once, by name or within "and K others".
    const named = posts.flatMap((p) => p.message.mentionUsers ?? []);
    expect(new Set(named).size).toBe(named.length);
    const others = posts.reduce((sum, p) => sum + Number(p.message.text.match(/ and (\d+) others?!/)?.[1] ?? 0), 0);
    expect(named.length + others).toBe(490);
    // A batch only ever pings the newcomers it names, at most 10.
    for (const p of posts) expect((p.message.mentionUsers ?? []).length).toBeLessThanOrEqual(10);
    // 490 joins through the whole pipeline: about 5 s on PostgreSQL alone, several times that
    // on a loaded 2-core machine; a timeout here would leave its work running into the next tests.
  }, 90_000);

  it('batches the joins past the threshold into one welcome that names them, pinging only them', async () => {
    const t = harness();
    await joinAll(t, newcomers(8));
    expect(welcomes(t)).toHaveLength(5);
    await t.advance(10 * MINUTE);
    const posts = welcomes(t);
    expect(posts).toHaveLength(6);
    const batch = posts[5];
    expect(batch.channelId).toBe('general');
    expect(batch.message.text).toMatch(/^Welcome to Test Community, <@n6>, <@n7> and <@n8>! We're glad you're here\./);
    expect(batch.message.text).toMatch(/`\/human`/);
    expect(batch.message.mentionUsers).toEqual(['n6', 'n7', 'n8']);
  });

  it('names at most 10 and counts the others', async () => {
    const t = harness();
    await joinAll(t, newcomers(25), 1_000);
    await t.advance(10 * MINUTE);
    const batch = welcomes(t)[5];
    expect(batch.message.text).toMatch(/^Welcome to Test Community, <@n6>, .*<@n15> and 10 others!/);
    expect(batch.message.mentionUsers).toEqual(newcomers(15).slice(5));
    expect(nameList(['a'], 0)).toBe('<@a>');
    expect(nameList(['a', 'b'], 0)).toBe('<@a> and <@b>');
    expect(nameList(['a', 'b'], 1)).toBe('<@a>, <@b> and 1 other');
  });

  it('loses no pending welcome across a restart, and posts it once', async () => {
    const a = harness();
    await joinAll(a, newcomers(7));
    const b = harness({ database: a.database, clock: a.clock });
    await b.advance(10 * MINUTE);
    await a.advance(MINUTE); // the first process comes back too: nothing is left to post
    expect(welcomes(b)).toHaveLength(1);
    expect(welcomes(b)[0].message.mentionUsers).toEqual(['n6', 'n7']);
    expect(welcomes(a)).toHaveLength(5);
  });

  it('still asks the crew per newcomer, and a greeting that mentions a batched newcomer counts as their welcome', async () => {
    const t = harness();
    for (const name of ['sam', 'lee', 'ana', 'ben']) await t.command(name, 'welcomer', { state: 'on' });
    await joinAll(t, newcomers(6));
    const ask = t.platform.of('dm').find((c) => c.message.text.startsWith('<@n6> just joined'));
    expect(ask?.message.text).toMatch(/Joins are coming fast, so they'll be welcomed together with other newcomers in <#general>/);
    await t.say('sam', 'hey <@n6>, welcome aboard!', { mentions: ['n6'] });
    const given = await t.repos.signals.forSubject(t.community, 'welcome_given', 'n6');
    expect(given.map((s) => s.actorId)).toEqual(['sam']);
  });

  it('first-post: a fast joiner is welcomed under their first post, even after a restart; one who never posts is not', async () => {
    const a = harness({ settings: { welcomeBatching: 'first-post' } });
    await joinAll(a, newcomers(7));
    await a.advance(30 * MINUTE);
    expect(welcomes(a)).toHaveLength(5);
    const b = harness({ database: a.database, clock: a.clock, settings: { welcomeBatching: 'first-post' } });
    (b.platform as unknown as { sequence: number }).sequence = 100; // its ids must not repeat the first process's
    const first = await b.say('n6', 'hi all, I build synths');
    const [reply] = b.platform.of('reply');
    expect(reply.to).toEqual({ channelId: 'general', messageId: first });
    expect(reply.message.text).toMatch(/^Welcome to Test Community, <@n6>!/);
    expect(reply.message.mentionUsers).toEqual(['n6']);
    await b.say('n6', 'second post');
    expect(b.platform.of('reply')).toHaveLength(1);
    // A reaction to that welcome counts as welcoming n6, as under a join welcome.
    await b.react('n1', reply.id, '👋');
    expect((await b.repos.signals.forSubject(b.community, 'welcome_given', 'n6')).map((s) => s.actorId)).toEqual(['n1']);
    await b.advance(15 * 24 * 60 * MINUTE);
    expect(b.platform.calls.filter((c) => 'message' in c && c.message.text.includes('<@n7>'))).toHaveLength(0);
  });

  it('off: one welcome per join; direct-message welcomes are never batched', async () => {
    const off = harness({ settings: { welcomeBatching: 'off' } });
    await joinAll(off, newcomers(8));
    expect(welcomes(off)).toHaveLength(8);
    const dm = harness({ settings: { welcomeMode: 'dm' } });
    await joinAll(dm, newcomers(8));
    expect(dm.platform.of('dm').filter((c) => c.message.text.startsWith('Welcome to'))).toHaveLength(8);
  });

  it('is set with /hearth-config, with clear errors', async () => {
    const t = harness();
    expect((await t.command('mod', 'hearth-config', { setting: 'welcomeBatching', value: 'first-post' })).text).toBe('**welcomeBatching** is now first-post.');
    expect((await t.command('mod', 'hearth-config', { setting: 'welcomeBatching', value: 'sometimes' })).text).toMatch(/expected one of off, batch, first-post/);
    expect((await t.command('mod', 'hearth-config', { setting: 'welcomeBatchJoins', value: '20' })).text).toBe('**welcomeBatchJoins** is now 20.');
    expect((await t.command('mod', 'hearth-config', { setting: 'welcomeBatchWindow', value: '30m' })).text).toBe('**welcomeBatchWindow** is now 30m.');
  });
});
