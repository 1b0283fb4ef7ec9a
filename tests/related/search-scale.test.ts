import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/core/events';
import { harness, type Harness } from '../helpers/harness';

const find = (t: Harness, askerId: string, text: string) => t.core.features.related.find({ community: t.community, askerId, text });
const ids = (results: { discussion: { id: string } }[]) => results.map((r) => r.discussion.id);

/** Many messages stored straight through the repositories (as an import would), one transaction. */
async function flood(t: Harness, community: string, channel: ChannelRef, count: number, text: string) {
  await t.repos.communities.ensure(community, 'shell', community, t.clock.now());
  await t.repos.begin();
  await t.repos.channels.upsert(community, channel, t.clock.now());
  await t.repos.members.upsert(community, { id: 'crowd', name: 'crowd' }, t.clock.now());
  for (let i = 0; i < count; i++) {
    const id = `${channel.id}-${i}`;
    await t.repos.messages.insert(community, { id, channelId: channel.id, authorId: 'crowd', text: `${text} ${i}`, discussionId: id, createdAt: t.clock.now() });
  }
  await t.repos.commit();
}

const documents = async (t: Harness, channels: string[]) =>
  (await t.repos.related.candidates({ community: t.community, terms: [], readableChannelIds: new Set(channels), onlyDiscussionIds: ['any'], limit: 0 })).documents;

describe('related search: large and shared indexes', () => {
  it('still finds a small community’s discussion when another one in the database says the same words thousands of times', async () => {
    const t = harness();
    const ours = await t.say('maya', 'Kubernetes cluster is down again', { channelId: 'help' });
    // Stored after ours: the other community's messages are the newest matches, well past
    // what the search checks against the asker's scope before falling back to a full search.
    await flood(t, 'test:big', { id: 'help', name: 'help' }, 4500, 'kubernetes cluster down');

    const results = await find(t, 'ana', 'kubernetes cluster down');
    expect(ids(results)).toEqual([ours]);
  });

  it('finds the public discussion behind thousands of matches in a private channel the asker cannot read', async () => {
    const t = harness();
    const ours = await t.say('maya', 'Payroll export fails for contractors', { channelId: 'help' });
    await flood(t, t.community, { id: 'staff', name: 'staff', visibility: 'private', memberIds: ['mod'] }, 4500, 'payroll export fails contractors');

    const results = await find(t, 'ana', 'payroll export fails for contractors');
    expect(ids(results)).toEqual([ours]);
    expect(JSON.stringify(results)).not.toContain('staff-');
    // A member of the channel does see them.
    expect(ids(await find(t, 'mod', 'payroll export fails for contractors')).some((id) => id.startsWith('staff-'))).toBe(true);
  });

  it('keeps the per-channel document counts in step with inserts, bots, edits, purges and deletes', async () => {
    const t = harness();
    await t.say('maya', 'First question about printers', { channelId: 'help' });
    const second = await t.say('sam', 'Second question about scanners', { channelId: 'help' });
    await t.say('lee', 'Chatter elsewhere', { channelId: 'general' });
    await t.say('bot', 'A bot never counts', { channelId: 'help', author: { id: 'bot', name: 'Bot', isBot: true } });
    expect(await documents(t, ['help'])).toBe(2);
    expect(await documents(t, ['help', 'general'])).toBe(3);

    await t.edit(second, 'Second question about scanners, edited', 'help');
    expect(await documents(t, ['help'])).toBe(2);
    await t.remove(second, 'help');
    expect(await documents(t, ['help'])).toBe(1);
    await t.repos.messages.purgeTextBefore(t.community, t.clock.now() + 1);
    expect(await documents(t, ['help', 'general'])).toBe(0);
  });

  it('counts documents written in an import batch once, at commit, and stays right through edits, deletes and rollbacks inside it', async () => {
    const t = harness();
    const now = t.clock.now();
    await t.repos.communities.ensure(t.community, 'shell', t.community, now);
    const insert = (id: string, channelId: string, text: string) =>
      t.repos.messages.insert(t.community, { id, channelId, authorId: 'crowd', text, discussionId: id, createdAt: now });

    await t.repos.begin();
    await t.repos.channels.upsert(t.community, { id: 'help', name: 'help' }, now);
    await t.repos.members.upsert(t.community, { id: 'crowd', name: 'crowd' }, now);
    for (let i = 0; i < 5; i++) await insert(`h${i}`, 'help', `printer question ${i}`);
    await insert('g0', 'general', 'chatter');
    // An edit and a delete inside the batch run the update/delete triggers on the same rows.
    await t.repos.messages.updateText(t.community, 'h1', 'printer question, edited', null, now);
    await t.repos.messages.delete(t.community, 'h2');
    await insert('h5', 'help', 'one more printer question');
    await t.repos.commit();
    expect(await documents(t, ['help'])).toBe(5);
    expect(await documents(t, ['help', 'general'])).toBe(6);

    // A batch that rolls back counts nothing.
    await t.repos.begin();
    await insert('h6', 'help', 'never stored');
    await t.repos.rollback();
    expect(await documents(t, ['help'])).toBe(5);

    // Outside a batch every insert counts at once.
    await insert('h7', 'help', 'live printer question');
    expect(await documents(t, ['help'])).toBe(6);
  });
});
