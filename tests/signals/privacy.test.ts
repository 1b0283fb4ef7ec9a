import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock';
import { runRetention } from '../../src/jobs/digest';
import { SIGNAL_KINDS } from '../../src/db/repositories/signals';
import { harness, type Harness } from '../helpers/harness';

/** nina asks, sam answers, nina thanks, ola says "same here" on nina's question. */
async function story(t: Harness) {
  const q = await t.say('nina', 'How do I export my data?');
  const a = await t.say('sam', 'Settings, then Export, then Download', { replyTo: q });
  await t.say('nina', 'thanks sam!', { replyTo: a });
  await t.repos.sameHere.add(t.community, q, 'ola', 'reaction', t.clock.now());
  const q2 = await t.say('sam', 'How do I rotate my token?');
  await t.say('nina', 'Admin page, then Tokens, then Rotate', { replyTo: q2 });
  await t.repos.sameHere.add(t.community, q2, 'nina', 'text', t.clock.now());
  return { q, a };
}

describe('/privacy', () => {
  it('off deletes the signals about the member and records no new ones; on resumes from then', async () => {
    const t = harness();
    await story(t);
    expect((await t.repos.signals.forMember(t.community, 'nina')).length).toBeGreaterThan(0);
    const reply = await t.command('nina', 'privacy', { analytics: 'off' });
    expect(reply.text).toMatch(/Analytics about you are off: I deleted 3 recorded signals/);
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
    expect((await t.repos.members.get(t.community, 'nina'))?.analyticsOptOut).toBe(true);

    await story(t);
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
    // Other members' signals between themselves are unaffected.
    expect(await t.repos.signals.list(t.community)).toEqual([]);

    await t.command('nina', 'privacy', { analytics: 'on' });
    await story(t);
    expect((await t.repos.signals.forMember(t.community, 'nina')).length).toBeGreaterThan(0);
  });

  it('off also holds for an accepted answer (✅ from the asker): no helped signal about either side', async () => {
    const t = harness();
    await t.command('nina', 'privacy', { analytics: 'off' });
    // nina (opted out) answers sam; sam accepts it with ✅.
    const q = await t.say('sam', 'How do I rotate my token?');
    const a = await t.say('nina', 'Admin page, then Tokens, then Rotate', { replyTo: q });
    await t.react('sam', a, '✅');
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
    // sam opts out, asks again; ola answers and sam accepts.
    await t.command('sam', 'privacy', { analytics: 'off' });
    const q2 = await t.say('sam', 'How do I export my data?');
    const a2 = await t.say('ola', 'Settings, then Export, then Download', { replyTo: q2 });
    await t.react('sam', a2, '✅');
    expect(await t.repos.signals.forMember(t.community, 'sam')).toEqual([]);
  });

  it('explains itself when the choice is missing', async () => {
    const t = harness();
    expect((await t.command('nina', 'privacy', {})).text).toMatch(/`\/privacy off`/);
  });
});

describe('/forget-me', () => {
  it('asks for confirmation with a button only the member can press', async () => {
    const t = harness();
    await story(t);
    const reply = await t.command('nina', 'forget-me');
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.buttons).toEqual([expect.objectContaining({ action: 'privacy:forget', value: 'nina', label: 'Forget me' })]);
    expect((await t.press('sam', 'privacy:forget', 'nina', 'general'))?.text).toMatch(/Only the member who asked/);
    expect(await t.repos.messages.byAuthor(t.community, 'nina')).toHaveLength(3);
  });

  it('deletes their messages, their signals as actor or subject, same-here rows and request text', async () => {
    const t = harness();
    const { q } = await story(t);
    await t.command('nina', 'human', { reason: 'my export is missing half my data' });
    const done = await t.press('nina', 'privacy:forget', 'nina', 'general');
    expect(done?.text).toMatch(/deleted 3 messages/);

    expect(await t.repos.messages.byAuthor(t.community, 'nina')).toEqual([]);
    expect(await t.repos.messages.get(t.community, q)).toBeUndefined();
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
    expect(await t.repos.sameHere.forMember(t.community, 'nina')).toEqual([]);
    expect(await t.repos.sameHere.count(t.community, q)).toBe(0);
    const [request] = await t.repos.escalations.list(t.community);
    expect(request.reason).toBeNull();
    expect(await t.repos.members.get(t.community, 'nina')).toMatchObject({ name: 'forgotten member', analyticsOptOut: true });
    // Sam's own question and its same-here by someone else are not nina's to delete.
    expect(await t.repos.messages.byAuthor(t.community, 'sam')).toHaveLength(2);

    // Nothing new is recorded about them afterwards.
    const later = await t.say('sam', 'How do I reset my password?');
    await t.say('nina', 'Settings, then Security, then Reset', { replyTo: later });
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
  });
});

describe('/forget-me and the companion’s own posts', () => {
  it('deletes the stored copies of companion posts that quote or name them', async () => {
    const t = harness();
    const q = await t.say('nina', 'How do I export my billing data?', { channelId: 'help' });
    t.clock.advance(DAY);
    const later = await t.say('ola', 'Where is the billing data export?', { channelId: 'help' });
    // The platform echoes the companion's own posts back: a suggestion quoting nina, and one that names nobody.
    const suggestion = await t.say('hearth-bot', `Members talked about this before:\n1. [How do I export my billing data?](https://chat.test/help/${q}) by <@nina> — matched “billing”`, { channelId: 'help', replyTo: later });
    const neutral = await t.say('hearth-bot', 'Members talked about this before:\n1. [Export FAQ](https://chat.test/help/x) by <@sam>', { channelId: 'help', replyTo: later });
    expect(await t.repos.messages.get(t.community, suggestion)).toMatchObject({ isCompanion: true });
    await t.press('nina', 'privacy:forget', 'nina', 'general');
    expect(await t.repos.messages.get(t.community, suggestion)).toBeUndefined();
    expect(await t.repos.messages.get(t.community, neutral)).toBeDefined();
    expect(await t.repos.messages.get(t.community, later)).toBeDefined();
  });
});

describe('/forget-me and later history imports', () => {
  it('a re-import or backfill of history from before the request does not bring their messages, name or same-heres back', async () => {
    const t = harness();
    const T = t.clock.now();
    const history = (at: number) => [
      { id: 'h1', channel: t.channel('help'), author: { id: 'nina', name: 'Nina Real' }, text: 'How do I export my data from the billing page?', at },
      { id: 'h2', channel: t.channel('help'), author: { id: 'sam', name: 'sam' }, text: 'Settings, then Export, then Download', at: at + 1000, replyTo: 'h1' },
      { id: 'h3', channel: t.channel('help'), author: { id: 'sam', name: 'sam' }, text: 'Why does the billing page time out?', at: at + 2000 },
    ];
    const replay = async (at: number) => {
      await t.companion.handle({ community: t.community, type: 'member_joined', at: at - 1000, member: { id: 'nina', name: 'Nina Real' } }, { historical: true });
      for (const message of history(at)) await t.companion.handle({ community: t.community, type: 'message_posted', at: message.at, message }, { historical: true });
      // nina's ➕ on sam's question: a same-here.
      await t.companion.handle({ community: t.community, type: 'reaction_added', at: at + 3000, channelId: 'help', messageId: 'h3', emoji: '➕', member: { id: 'nina', name: 'Nina Real' } }, { historical: true });
    };
    await replay(T - DAY);
    expect(await t.repos.messages.byAuthor(t.community, 'nina')).toHaveLength(1);
    expect(await t.repos.sameHere.forMember(t.community, 'nina')).toHaveLength(1);
    t.clock.advance(HOUR);
    await t.press('nina', 'privacy:forget', 'nina', 'general');

    // The operator runs the same import (or backfill) again.
    t.clock.advance(HOUR);
    await replay(T - DAY);
    expect(await t.repos.messages.byAuthor(t.community, 'nina')).toEqual([]);
    expect(await t.repos.sameHere.forMember(t.community, 'nina')).toEqual([]);
    expect((await t.repos.members.get(t.community, 'nina'))?.name).toBe('forgotten member');
    expect(await t.command('zoe', 'related', { question: 'export data billing page' })).not.toMatchObject({ text: expect.stringContaining('h1') });
    // Sam's message is history like any other.
    expect(await t.repos.messages.byAuthor(t.community, 'sam')).toHaveLength(2);

    // What they post after the request is theirs to post: stored as usual.
    t.clock.advance(HOUR);
    await t.say('nina', 'back again, hello', { channelId: 'help' });
    expect(await t.repos.messages.byAuthor(t.community, 'nina')).toHaveLength(1);
  });
});

describe('discussion vectors (hybrid related ranking)', () => {
  const vector = Buffer.alloc(8, 1);
  const vectorsOf = async (t: Harness, ids: string[]) => [...(await t.repos.embeddings.get(t.community, 'emb', ids)).keys()].sort();

  it('forget-me drops the vectors of every discussion that contained their words', async () => {
    const t = harness();
    const own = await t.say('nina', 'How do I export my data?');
    const answered = await t.say('sam', 'How do I rotate my token?');
    await t.say('nina', 'Admin page, then Tokens, then Rotate', { replyTo: answered });
    const other = await t.say('sam', 'Is the API down?');
    for (const id of [own, answered, other]) await t.repos.embeddings.put(t.community, 'emb', id, vector, t.clock.now());
    await t.press('nina', 'privacy:forget', 'nina', 'general');
    expect(await vectorsOf(t, [own, answered, other])).toEqual([other]);
  });

  it('deleting or editing a reply drops its discussion’s vector (derived from the words now gone)', async () => {
    const t = harness();
    const deleted = await t.say('sam', 'How do I rotate my token?');
    const gone = await t.say('nina', 'Admin page, then Tokens, then Rotate', { replyTo: deleted });
    const edited = await t.say('sam', 'How do I export my data?', { channelId: 'help' });
    const changed = await t.say('nina', 'My password is hunter2, use my account', { replyTo: edited, channelId: 'help' });
    const other = await t.say('sam', 'Is the API down?', { channelId: 'status' });
    const discussions = [deleted, edited, other];
    expect(await Promise.all(discussions.map(async (id) => (await t.repos.messages.get(t.community, id))?.discussionId))).toEqual(discussions);
    for (const id of discussions) await t.repos.embeddings.put(t.community, 'emb', id, vector, t.clock.now());
    await t.remove(gone);
    await t.edit(changed, 'Settings, then Export', 'help');
    expect(await vectorsOf(t, discussions)).toEqual([other]);
  });

  it('retention drops the vectors of discussions whose text it purges', async () => {
    const t = harness({ settings: { retentionDays: 30 } });
    const old = await t.say('nina', 'How do I export my data?');
    t.clock.advance(31 * DAY);
    const recent = await t.say('sam', 'How do I rotate my token?');
    for (const id of [old, recent]) await t.repos.embeddings.put(t.community, 'emb', id, vector, t.clock.now());
    await runRetention(t.companion);
    expect(await vectorsOf(t, [old, recent])).toEqual([recent]);
  });
});

describe('retention', () => {
  it('purges message text older than retentionDays, keeping the rows and signals', async () => {
    const t = harness({ settings: { retentionDays: 30 } });
    const old = await t.say('nina', 'How do I export my data?');
    await t.say('sam', 'Settings, then Export, then Download', { replyTo: old });
    t.clock.advance(31 * DAY);
    const recent = await t.say('nina', 'a newer message');
    expect(await runRetention(t.companion)).toBe(2);
    expect(await t.repos.messages.get(t.community, old)).toMatchObject({ text: null, authorId: 'nina' });
    expect((await t.repos.messages.get(t.community, recent))?.text).toBe('a newer message');
    expect(await t.repos.signals.list(t.community, { kind: 'helped' })).toHaveLength(1);
    expect(await runRetention(t.companion)).toBe(0);
  });

  it('also purges the text members gave in requests to the team once it is older than retentionDays', async () => {
    const t = harness({ settings: { retentionDays: 30 } });
    await t.say('nina', 'can I talk to a human? my invoice 4471 was charged twice');
    await t.command('ola', 'human', { reason: 'my export is missing half my data' });
    const [typed, command] = await t.repos.escalations.list(t.community);
    expect(typed.reason).toContain('invoice 4471');
    await t.press('mod', 'escalation:resolve', String(command.id));
    t.clock.advance(10 * DAY);
    await t.command('lee', 'human', { reason: 'a recent request' });
    t.clock.advance(21 * DAY);
    await runRetention(t.companion);
    const rows = await t.repos.escalations.list(t.community);
    expect(rows.map((r) => r.reason)).toEqual([null, null, 'a recent request']);
    expect(JSON.stringify(rows)).not.toContain('invoice 4471');
    expect(JSON.stringify(rows)).not.toContain('missing half my data');
  });

  it('also purges the words of a /thanks once older than retentionDays, keeping the thanks (and another community’s words)', async () => {
    const t = harness({ settings: { retentionDays: 30 } });
    await t.say('sam', 'Settings, then Export, then Download');
    await t.command('nina', 'thanks', { member: 'sam', for: 'the quiffendorp trick' });
    await t.repos.signals.record('test:other', { kind: 'thanked', actorId: 'nina', subjectId: 'sam', at: t.clock.now(), data: { via: 'command', reason: 'elsewhere' }, dedupeKey: 'x' });
    t.clock.advance(10 * DAY);
    await t.command('ola', 'thanks', { member: 'sam', for: 'a recent thanks' });
    t.clock.advance(21 * DAY);
    await runRetention(t.companion);
    const thanks = await t.repos.signals.list(t.community, { kind: 'thanked' });
    expect(thanks.map((s) => s.data)).toEqual([{ via: 'command' }, { via: 'command', reason: 'a recent thanks' }]);
    expect((await t.repos.signals.list('test:other', { kind: 'thanked' }))[0].data).toEqual({ via: 'command', reason: 'elsewhere' });
  });

  it('finds and deletes a member’s signals of every kind, as actor or subject, in their community only', async () => {
    const t = harness();
    const other = 'test:other';
    for (const community of [t.community, other]) {
      for (const [i, kind] of SIGNAL_KINDS.entries()) {
        await t.repos.signals.record(community, { kind, actorId: 'nina', subjectId: 'sam', at: i, dedupeKey: `a:${kind}` });
        await t.repos.signals.record(community, { kind, actorId: 'ola', subjectId: 'nina', at: i, dedupeKey: `s:${kind}` });
        await t.repos.signals.record(community, { kind, actorId: 'sam', subjectId: 'ola', at: i, dedupeKey: `x:${kind}` });
      }
    }
    expect(await t.repos.signals.forMember(t.community, 'nina')).toHaveLength(2 * SIGNAL_KINDS.length);
    expect(await t.repos.signals.deleteForMember(t.community, 'nina')).toBe(2 * SIGNAL_KINDS.length);
    expect(await t.repos.signals.forMember(t.community, 'nina')).toEqual([]);
    // The signals between the others, and the other community's, are untouched.
    expect(await t.repos.signals.forMember(t.community, 'sam')).toHaveLength(SIGNAL_KINDS.length);
    expect(await t.repos.signals.forMember(other, 'nina')).toHaveLength(2 * SIGNAL_KINDS.length);
  });
});
