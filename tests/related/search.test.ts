import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { tokens } from '../../src/core/search/text';
import { harness, isPostgres, sqliteOf, type Harness } from '../helpers/harness';

// A fixed seed: the same cases on every run (a failure found is reproduced, never flaky).
fc.configureGlobal({ seed: 20261207 });

const find = (t: Harness, askerId: string, text: string, extra: { title?: string; excludeDiscussionIds?: string[] } = {}) =>
  t.core.features.related.find({ community: t.community, askerId, text, ...extra });
const ids = (results: { discussion: { id: string } }[]) => results.map((r) => r.discussion.id);
/** Index entries holding the word, read from the store's own index (FTS5 or tsvector). */
async function indexed(t: Harness, word: string): Promise<number> {
  if (!isPostgres(t.database)) {
    return (sqliteOf(t.database).sqlite.prepare('SELECT count(*) AS n FROM related_fts WHERE related_fts MATCH ?').get(`"${word}"`) as { n: number }).n;
  }
  const { rows } = await t.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM related_index WHERE terms @@ $1::tsquery', [`'${tokens(word)[0].stem}'`]);
  return rows[0].n;
}

describe('related search: ranking', () => {
  it('finds the discussion about the question and leaves unrelated ones out', async () => {
    const t = harness();
    const password = await t.say('maya', 'How do I reset my password? The reset email never arrives.', { channelId: 'help' });
    await t.say('sam', 'Check your spam folder, the reset emails often land there.', { channelId: 'help', replyTo: password });
    const pizza = await t.say('lee', 'What is the best pizza place near the office?', { channelId: 'help' });
    t.clock.advance(DAY);

    const results = await find(t, 'ana', 'password reset email is not arriving');
    expect(ids(results)[0]).toBe(password);
    expect(ids(results)).not.toContain(pizza);
    expect(results[0].matched).toEqual(expect.arrayContaining(['password', 'reset', 'email']));
    expect(results[0].surface).toBe(true);
  });

  it('stems words: "printing" finds "printers"', async () => {
    const t = harness();
    const id = await t.say('maya', 'Printers in room 4 are offline', { channelId: 'help' });
    expect(ids(await find(t, 'ana', 'printing offline'))).toEqual([id]);
  });

  it('weighs a title match above the same words buried in a reply', async () => {
    const t = harness();
    const titled = await t.say('maya', 'It drops every few minutes since Monday.', { channelId: 'forum', title: 'VPN connection drops' });
    const other = await t.say('lee', 'Our team lunch is on Friday, who is coming?', { channelId: 'forum', title: 'Team lunch' });
    await t.say('sam', 'I cannot come, my vpn connection drops at home anyway', { channelId: 'forum', replyTo: other });
    const results = await find(t, 'ana', 'vpn connection drops');
    expect(ids(results)).toEqual([titled, other]);
  });

  it('excludes the asker’s own current discussion', async () => {
    const t = harness();
    const older = await t.say('sam', 'Linker error on arm64 builds', { channelId: 'help' });
    t.clock.advance(DAY);
    const mine = await t.say('maya', 'Build fails with a linker error on arm64', { channelId: 'help' });
    expect(ids(await find(t, 'maya', 'linker error arm64', { excludeDiscussionIds: [mine] }))).toEqual([older]);
  });
});

describe('related search: usefulness', () => {
  async function twoAlikeDiscussions(t: Harness) {
    const first = await t.say('maya', 'How do I export my calendar to a CSV file?', { channelId: 'help' });
    const firstAnswer = await t.say('sam', 'Settings, then Export, then choose CSV.', { channelId: 'help', replyTo: first });
    t.clock.advance(DAY); // a separate conversation, not a continuation
    const second = await t.say('lee', 'How do I export my calendar to a CSV file?', { channelId: 'help' });
    const secondAnswer = await t.say('kim', 'Settings, then Export, then choose CSV.', { channelId: 'help', replyTo: second });
    return { first, firstAnswer, second, secondAnswer };
  }

  it('ranks a discussion the asker marked solved (“that worked, thanks”) first and says who solved it', async () => {
    const t = harness();
    const { first, firstAnswer, second } = await twoAlikeDiscussions(t);
    await t.say('maya', 'That worked, thanks!', { channelId: 'help', replyTo: firstAnswer });
    const results = await find(t, 'ana', 'export calendar csv');
    expect(ids(results)).toEqual([first, second]);
    expect(results[0].solvedBy).toMatchObject({ authorId: 'sam' });
    expect(results[1].solvedBy).toBeUndefined();
  });

  it('counts a ✅ from the asker on a reply as the accepted answer', async () => {
    const t = harness();
    const { second, secondAnswer, first } = await twoAlikeDiscussions(t);
    await t.react('lee', secondAnswer, '✅', 'help');
    const results = await find(t, 'ana', 'export calendar csv');
    expect(ids(results)).toEqual([second, first]);
    expect(results[0].solvedBy).toMatchObject({ authorId: 'kim' });
  });

  it('ignores a ✅ from someone who did not ask', async () => {
    const t = harness();
    const { secondAnswer } = await twoAlikeDiscussions(t);
    await t.react('ana', secondAnswer, '✅', 'help');
    const accepted = (await t.repos.signals.list(t.community, { kind: 'helped' })).filter((s) => s.dedupeKey?.startsWith('helped:accepted:'));
    expect(accepted).toEqual([]);
  });

  it('lifts a discussion with a thanked reply (thanked signal)', async () => {
    const t = harness();
    const { first, second, secondAnswer } = await twoAlikeDiscussions(t);
    await t.repos.signals.record(t.community, { kind: 'thanked', actorId: 'ana', subjectId: 'kim', messageId: secondAnswer, at: t.clock.now() });
    expect(ids(await find(t, 'zoe', 'export calendar csv'))).toEqual([second, first]);
  });
});

describe('related search: what is never returned', () => {
  it('never indexes bots or the companion, nor their replies inside human discussions', async () => {
    const t = harness();
    t.bots.add('helperbot');
    await t.say('helperbot', 'Kubernetes ingress guide: read the docs', { channelId: 'help' });
    await t.say('hearth-bot', 'Kubernetes ingress summary by the companion', { channelId: 'help' });
    const human = await t.say('maya', 'Kubernetes ingress returns 502', { channelId: 'help' });
    await t.say('helperbot', 'Automated tip: kubernetes ingress restart', { channelId: 'help', replyTo: human });
    const results = await find(t, 'ana', 'kubernetes ingress');
    expect(ids(results)).toEqual([human]);
    expect(results[0].discussion.messages.map((m) => m.authorId)).toEqual(['maya']);
    expect(await indexed(t, 'automated')).toBe(0);
  });

  it('removes a deleted message from the index at once', async () => {
    const t = harness();
    const id = await t.say('maya', 'Grafana dashboard shows no data', { channelId: 'help' });
    expect(ids(await find(t, 'ana', 'grafana dashboard'))).toEqual([id]);
    await t.remove(id, 'help');
    expect(await find(t, 'ana', 'grafana dashboard')).toEqual([]);
    expect(await indexed(t, 'grafana')).toBe(0);
  });

  it('follows edits: the old words stop matching, the new ones match', async () => {
    const t = harness();
    const id = await t.say('maya', 'The printer jams on every page', { channelId: 'help' });
    await t.edit(id, 'The scanner jams on every page', 'help');
    expect(await find(t, 'ana', 'printer')).toEqual([]);
    expect(ids(await find(t, 'ana', 'scanner'))).toEqual([id]);
  });

  it('drops purged text (retention, forget-me) from the index', async () => {
    const t = harness();
    await t.say('maya', 'Terraform state lock is stuck', { channelId: 'help' });
    t.clock.advance(DAY);
    await t.repos.messages.purgeTextBefore(t.community, t.clock.now());
    expect(await find(t, 'ana', 'terraform state lock')).toEqual([]);
    expect(await indexed(t, 'terraform')).toBe(0);
  });

  it('never shows a private channel to a non-member, but does to a member', async () => {
    const t = harness();
    const secret = await t.say('mod', 'Payroll export broke for the contractors', {
      channel: t.channel('staff', { visibility: 'private', memberIds: ['mod'] }),
    });
    expect(await find(t, 'maya', 'payroll export contractors')).toEqual([]);
    expect(ids(await find(t, 'mod', 'payroll export contractors'))).toEqual([secret]);
  });

  it('keeps replies from a private thread out of a public discussion for non-members', async () => {
    const t = harness();
    const root = await t.say('maya', 'Deploy pipeline fails at the signing step', { channelId: 'help' });
    await t.say('mod', 'Signing key rotated, password hunter2 in vault', {
      channel: t.channel('help-private-thread', { kind: 'thread', parentId: 'help', visibility: 'private', memberIds: ['mod'] }),
      threadId: root,
    });
    const results = await find(t, 'ana', 'deploy pipeline signing');
    expect(ids(results)).toEqual([root]);
    expect(JSON.stringify(results)).not.toContain('hunter2');
    expect(JSON.stringify(await find(t, 'ana', 'hunter2 vault'))).not.toContain('hunter2');
  });

  it('never crosses communities, even in one database', async () => {
    const t = harness();
    const other = harness({ database: t.database, community: 'test:c2', clock: t.clock });
    await other.say('maya', 'Elasticsearch cluster is red', { channelId: 'help' });
    expect(await find(t, 'maya', 'elasticsearch cluster red')).toEqual([]);
    expect(await find(other, 'maya', 'elasticsearch cluster red')).toHaveLength(1);
  });
});

describe('related search: hostile queries', () => {
  const HOSTILE = [
    '"',
    '"""unbalanced',
    'AND OR NOT',
    'password AND OR NOT NEAR(reset email, 2)',
    'NEAR(a b) * ^start (((( ))))',
    'title:password body:reset',
    "'; DROP TABLE messages; --",
    '\u202eesrever\u202c \u200f\u200e RTL marks',
    '🔥🔥🔥 💥 👩‍💻',
    '\u0000\u0001 control',
    '-password +reset ~email',
    'x'.repeat(100_000),
    'reset '.repeat(5000),
    '',
    '   ',
  ];

  it('turns any hostile text into a safe query that never throws', async () => {
    const t = harness();
    const id = await t.say('maya', 'Password reset email never arrives', { channelId: 'help' });
    for (const text of HOSTILE) await expect(find(t, 'ana', text, { title: text.slice(0, 500) })).resolves.toBeInstanceOf(Array);
    expect(ids(await find(t, 'ana', 'password AND OR NOT NEAR(reset email, 2)'))).toEqual([id]);
    expect(await t.repos.messages.get(t.community, id)).toBeDefined();
  });

  it('never throws for arbitrary text (property)', async () => {
    const t = harness();
    await t.say('maya', 'Password reset email never arrives', { channelId: 'help' });
    const pieces = fc.constantFrom('"', '*', '^', '(', ')', 'AND', 'OR', 'NOT', 'NEAR', ':', '-', '+', '\u202e', '🔥', "'", ';', 'password', ' ');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''))), async (text) => {
        const results = await find(t, 'ana', text);
        expect(Array.isArray(results)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
