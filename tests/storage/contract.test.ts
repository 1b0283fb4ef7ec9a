/**
 * The storage contract: what every store behind the core's port (src/core/storage) must do,
 * written against the port alone. Each store is one entry of `stores`; the suite runs once
 * per entry: SQLite, and PostgreSQL (a throwaway cluster: tests/setup/postgres.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompactSignal, Repositories, Transaction } from '../../src/core/storage';
import { queryTerms } from '../../src/core/search/text';
import { DAY } from '../../src/core/clock';
import { stores, type OpenStore } from '../helpers/stores';

const C = 'test:c1';
const OTHER = 'test:c2';

/** A promise and the function that resolves it: to hold a transaction open, step by step. */
function latch() {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { open, done };
}

describe.each(stores)('storage contract: $name', (store) => {
  let opened: OpenStore;
  let repos: Repositories;
  beforeEach(async () => {
    opened = await store.open();
    repos = opened.repos;
    for (const community of [C, OTHER]) await repos.communities.ensure(community, 'test', community, 0);
  });
  afterEach(() => opened.close());

  const message = (id: string, extra: Partial<Parameters<Repositories['messages']['insert']>[1]> = {}) => ({
    id,
    channelId: 'general',
    authorId: 'ana',
    text: `text of ${id}`,
    createdAt: 100,
    ...extra,
  });

  describe('communities', () => {
    it('ensure creates once; later calls change nothing', async () => {
      await repos.communities.ensure('slack:T1', 'slack', 'First name', 5);
      await repos.communities.ensure('slack:T1', 'slack', 'Second name', 9);
      expect(await repos.communities.get('slack:T1')).toEqual({ id: 'slack:T1', platform: 'slack', name: 'First name', createdAt: 5 });
      expect((await repos.communities.listByPlatform('slack')).map((c) => c.id)).toEqual(['slack:T1']);
      expect(await repos.communities.get('slack:missing')).toBeUndefined();
      expect((await repos.communities.list()).map((c) => c.id)).toEqual(['slack:T1', C, OTHER]);
    });
  });

  describe('members', () => {
    it('upsert refreshes name and flags, keeps history, and an unknown moderator flag keeps the stored one', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana', isModerator: true }, 10);
      await repos.members.markPosted(C, 'ana', 20);
      await repos.members.upsert(C, { id: 'ana', name: 'Ana B.' }, 30);
      expect(await repos.members.get(C, 'ana')).toMatchObject({ name: 'Ana B.', isModerator: true, isBot: false, firstSeenAt: 10, firstPostAt: 20, lastPostAt: 20 });
      await repos.members.upsert(C, { id: 'ana', name: 'Ana B.', isModerator: false }, 40);
      expect((await repos.members.get(C, 'ana'))?.isModerator).toBe(false);
    });

    it('rows are scoped by community: the same id is two people', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 10);
      await repos.members.upsert(OTHER, { id: 'ana', name: 'Someone else' }, 10);
      await repos.members.setAnalyticsOptOut(OTHER, 'ana', true);
      expect(await repos.members.get(C, 'ana')).toMatchObject({ name: 'Ana', analyticsOptOut: false });
      expect((await repos.members.list(C)).map((m) => m.name)).toEqual(['Ana']);
      expect(await repos.members.findByName(C, 'someone else')).toBeUndefined();
      expect((await repos.members.findByName(C, 'ANA'))?.id).toBe('ana');
    });

    it('the roster: every member of the community with the columns the figures read, as list has them', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana', isModerator: true }, 10);
      await repos.members.markJoined(C, 'ana', 5);
      await repos.members.markPosted(C, 'ana', 20);
      await repos.members.upsert(C, { id: 'bot', name: 'Bot', isBot: true }, 11);
      await repos.members.upsert(C, { id: 'cy', name: 'Cy' }, 12);
      await repos.members.setAnalyticsOptOut(C, 'cy', true);
      await repos.members.upsert(C, { id: 'dan', name: 'Dan' }, 13);
      await repos.members.forget(C, 'dan', 30);
      await repos.members.upsert(OTHER, { id: 'eve', name: 'Eve' }, 14);
      const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
      const picked = (await repos.members.list(C)).map(({ id, name, isBot, isModerator, analyticsOptOut, forgottenAt, joinedAt, firstSeenAt, firstPostAt, lastPostAt }) => ({
        id, name, isBot, isModerator, analyticsOptOut, forgottenAt, joinedAt, firstSeenAt, firstPostAt, lastPostAt,
      }));
      const roster = await repos.members.roster(C, picked.map((m) => m.id));
      expect(byId(roster)).toEqual(byId(picked));
      expect(byId(roster).map((m) => [m.id, m.isBot, m.isModerator, m.analyticsOptOut, m.forgottenAt !== null, m.joinedAt])).toEqual([
        ['ana', false, true, false, false, 5],
        ['bot', true, false, false, false, null],
        ['cy', false, false, true, false, null],
        ['dan', false, false, true, true, null],
      ]);
    });

    it('markPosted says which post was the first; markJoined moves the first appearance back', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 100);
      expect(await repos.members.markPosted(C, 'ana', 110)).toBe(true);
      expect(await repos.members.markPosted(C, 'ana', 120)).toBe(false);
      await repos.members.markJoined(C, 'ana', 50);
      expect(await repos.members.get(C, 'ana')).toMatchObject({ joinedAt: 50, firstSeenAt: 50, firstPostAt: 110, lastPostAt: 120 });
    });

    it('a welcomer turn is claimed by one caller only, and welcomers come least recently asked first', async () => {
      for (const id of ['bo', 'al']) {
        await repos.members.upsert(C, { id, name: id }, 0);
        await repos.members.setWelcomer(C, id, true);
      }
      await repos.members.upsert(C, { id: 'bot', name: 'bot', isBot: true }, 0);
      await repos.members.setWelcomer(C, 'bot', true);
      await repos.members.markWelcomerAsked(C, 'bo', 5);
      expect((await repos.members.listWelcomers(C)).map((m) => m.id)).toEqual(['al', 'bo']);
      const wins = await Promise.all([repos.members.claimWelcomerTurn(C, 'al', null, 10), repos.members.claimWelcomerTurn(C, 'al', null, 11)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repos.members.claimWelcomerTurn(C, 'bo', 4, 12)).toBe(false);
      expect(await repos.members.claimWelcomerTurn(C, 'bo', 5, 12)).toBe(true);
    });

    it('translators: languages stored, least recently asked first, a turn claimed by one caller only, off with an empty list', async () => {
      for (const id of ['bo', 'al', 'cy']) await repos.members.upsert(C, { id, name: id }, 0);
      await repos.members.upsert(OTHER, { id: 'zed', name: 'zed' }, 0);
      await repos.members.setTranslator(C, 'bo', ['portuguese', 'spanish']);
      await repos.members.setTranslator(C, 'al', ['portuguese']);
      await repos.members.setTranslator(OTHER, 'zed', ['portuguese']);
      expect(await repos.members.get(C, 'bo')).toMatchObject({ translatorLanguages: ['portuguese', 'spanish'], translatorLastAskedAt: null });
      expect(await repos.members.claimTranslatorTurn(C, 'bo', null, 5)).toBe(true);
      expect((await repos.members.listTranslators(C)).map((m) => m.id)).toEqual(['al', 'bo']);
      const wins = await Promise.all([repos.members.claimTranslatorTurn(C, 'al', null, 10), repos.members.claimTranslatorTurn(C, 'al', null, 11)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repos.members.claimTranslatorTurn(C, 'cy', null, 12)).toBe(false);
      await repos.members.setTranslator(C, 'bo', []);
      expect((await repos.members.listTranslators(C)).map((m) => m.id)).toEqual(['al']);
      await repos.members.forget(C, 'al', 20);
      expect(await repos.members.listTranslators(C)).toEqual([]);
    });

    it('forget keeps only the id, with analytics off and when they asked', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.members.setWelcomer(C, 'ana', true);
      await repos.members.setLocale(C, 'ana', 'fr');
      await repos.members.forget(C, 'ana', 99);
      expect(await repos.members.get(C, 'ana')).toMatchObject({ name: 'forgotten member', locale: null, analyticsOptOut: true, welcomer: false, forgottenAt: 99 });
    });

    it('an email is stored when given, kept when an update has none, and cleared by forget', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana', email: 'ana@example.org' }, 0);
      await repos.members.upsert(C, { id: 'ana', name: 'Ana B' }, 1);
      await repos.members.upsert(C, { id: 'ana', name: 'Ana B', email: null }, 2);
      expect(await repos.members.get(C, 'ana')).toMatchObject({ name: 'Ana B', email: 'ana@example.org' });
      await repos.members.upsert(C, { id: 'ana', name: 'Ana B', email: 'ana@example.com' }, 3);
      expect((await repos.members.get(C, 'ana'))?.email).toBe('ana@example.com');
      await repos.members.upsert(OTHER, { id: 'ana', name: 'Ana' }, 0);
      expect((await repos.members.get(OTHER, 'ana'))?.email).toBeNull();
      await repos.members.forget(C, 'ana', 99);
      expect((await repos.members.get(C, 'ana'))?.email).toBeNull();
    });

    it('counted: the members counts() counts, by id, with their names and whether forgotten; of some ids or all; per community', async () => {
      for (const id of ['ana', 'bo', 'cy', 'dee', 'eve']) await repos.members.upsert(C, { id, name: id.toUpperCase(), isBot: id === 'bo' }, 0);
      await repos.members.upsert(OTHER, { id: 'zed', name: 'Zed' }, 0);
      await repos.members.upsert(OTHER, { id: 'cy', name: 'Cy elsewhere' }, 0);
      await repos.members.setAnalyticsOptOut(C, 'cy', true);
      await repos.members.forget(C, 'dee', 5);
      // Forgotten with analytics back on: counted still, never named.
      await repos.members.forget(C, 'eve', 5);
      await repos.members.setAnalyticsOptOut(C, 'eve', false);
      const counts = (m: { isBot: boolean; analyticsOptOut: boolean } | undefined) => Boolean(m && !m.isBot && !m.analyticsOptOut);
      const all = await repos.members.list(C);
      const expected = new Map(all.filter(counts).map((m) => [m.id, { name: m.name, forgotten: m.forgottenAt !== null }]));
      expect(expected).toEqual(new Map([['ana', { name: 'ANA', forgotten: false }], ['eve', { name: 'forgotten member', forgotten: true }]]));
      expect(await repos.members.counted(C)).toEqual(expected);
      expect(await repos.members.counted(C, ['cy', 'ana', 'zed', 'nobody', 'ana', 'bo'])).toEqual(new Map([['ana', { name: 'ANA', forgotten: false }]]));
      expect(await repos.members.counted(C, [])).toEqual(new Map());
      expect(await repos.members.counted(OTHER, ['cy'])).toEqual(new Map([['cy', { name: 'Cy elsewhere', forgotten: false }]]));
      // More ids than one statement takes.
      const many = Array.from({ length: 2500 }, (_, i) => `m${i}`);
      for (const id of many.slice(0, 3)) await repos.members.upsert(C, { id, name: id }, 0);
      expect([...(await repos.members.counted(C, [...many, 'ana'])).keys()].sort()).toEqual(['ana', 'm0', 'm1', 'm2']);
    });

    it('roster: members as the figures read them, of some ids (those found), per community', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 1);
      await repos.members.upsert(C, { id: 'bo', name: 'Bo', isBot: true, isModerator: true }, 2);
      await repos.members.markJoined(C, 'bo', 3);
      await repos.members.markPosted(C, 'bo', 4);
      await repos.members.upsert(C, { id: 'cy', name: 'Cy' }, 5);
      await repos.members.forget(C, 'cy', 6);
      await repos.members.upsert(OTHER, { id: 'ana', name: 'Ana elsewhere' }, 7);
      const byId = (rows: Array<{ id: string }>) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
      const all = byId(await repos.members.roster(C, ['ana', 'bo', 'cy']));
      expect(all.map((m) => m.id)).toEqual(['ana', 'bo', 'cy']);
      expect(all[1]).toEqual({ id: 'bo', name: 'Bo', isBot: true, isModerator: true, analyticsOptOut: false, forgottenAt: null, joinedAt: 3, firstSeenAt: 2, firstPostAt: 4, lastPostAt: 4 });
      expect(all[2]).toMatchObject({ name: 'forgotten member', analyticsOptOut: true, forgottenAt: 6 });
      expect(byId(await repos.members.roster(C, ['cy', 'bo', 'nobody', 'bo']))).toEqual([all[1], all[2]]);
      expect(await repos.members.roster(C, [])).toEqual([]);
      expect(await repos.members.roster(OTHER, ['ana', 'bo'])).toEqual([expect.objectContaining({ id: 'ana', name: 'Ana elsewhere' })]);
      // More ids than one statement takes.
      const many = Array.from({ length: 2500 }, (_, i) => `m${i}`);
      expect((await repos.members.roster(C, [...many, 'ana'])).map((m) => m.id)).toEqual(['ana']);
    });

    it('roles: the ids of bots and of moderators, per community', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.members.upsert(C, { id: 'bo', name: 'Bo', isBot: true }, 0);
      await repos.members.upsert(C, { id: 'mo', name: 'Mo', isModerator: true }, 0);
      await repos.members.upsert(C, { id: 'both', name: 'Both', isBot: true, isModerator: true }, 0);
      await repos.members.upsert(OTHER, { id: 'ana', name: 'Ana', isModerator: true }, 0);
      const sorted = ({ bots, moderators }: { bots: string[]; moderators: string[] }) => ({ bots: [...bots].sort(), moderators: [...moderators].sort() });
      expect(sorted(await repos.members.roles(C))).toEqual({ bots: ['bo', 'both'], moderators: ['both', 'mo'] });
      expect(await repos.members.roles(OTHER)).toEqual({ bots: [], moderators: ['ana'] });
      await repos.members.upsert(C, { id: 'mo', name: 'Mo', isModerator: false }, 0);
      expect(sorted(await repos.members.roles(C)).moderators).toEqual(['both']);
    });

    it('newcomers: who joined and was first seen in the window, bots left out, per community', async () => {
      // Seen posting first (day 1), joined later: first seen before the window.
      await repos.members.upsert(C, { id: 'early', name: 'Early' }, 1 * DAY);
      await repos.members.markJoined(C, 'early', 3 * DAY);
      for (const [id, at] of [['ana', 2 * DAY], ['bo', 2 * DAY], ['cy', 4 * DAY - 1], ['dee', 4 * DAY]] as const) {
        await repos.members.upsert(C, { id, name: id, isBot: id === 'bo' }, at);
        await repos.members.markJoined(C, id, at);
      }
      // Seen (a post) in the window, never joined: not a newcomer.
      await repos.members.upsert(C, { id: 'lurker', name: 'Lurker' }, 3 * DAY);
      await repos.members.upsert(OTHER, { id: 'zed', name: 'Zed' }, 3 * DAY);
      await repos.members.markJoined(OTHER, 'zed', 3 * DAY);
      // Opted out: still a newcomer here (the pulse decides who counts).
      await repos.members.setAnalyticsOptOut(C, 'cy', true);
      const got = (await repos.members.newcomers(C, 2 * DAY, 4 * DAY)).sort((a, b) => a.id.localeCompare(b.id));
      expect(got).toEqual([
        { id: 'ana', firstSeenAt: 2 * DAY },
        { id: 'cy', firstSeenAt: 4 * DAY - 1 },
      ]);
      expect(await repos.members.newcomers(OTHER, 2 * DAY, 4 * DAY)).toEqual([{ id: 'zed', firstSeenAt: 3 * DAY }]);
    });

    it('leftOut: the members figures leave out or never name (bots, analytics off, forgotten), per community', async () => {
      for (const id of ['ana', 'bo', 'cy', 'dee', 'eve']) await repos.members.upsert(C, { id, name: id, isBot: id === 'bo' }, 0);
      await repos.members.upsert(OTHER, { id: 'ana', name: 'Ana', isBot: true }, 0);
      expect((await repos.members.leftOut(C)).sort()).toEqual(['bo']);
      await repos.members.setAnalyticsOptOut(C, 'cy', true);
      await repos.members.forget(C, 'dee', 5);
      // Forgotten, analytics back on: counted again, still never named.
      await repos.members.forget(C, 'eve', 5);
      await repos.members.setAnalyticsOptOut(C, 'eve', false);
      expect((await repos.members.leftOut(C)).sort()).toEqual(['bo', 'cy', 'dee', 'eve']);
      expect(await repos.members.leftOut(OTHER)).toEqual(['ana']);
      await repos.members.setAnalyticsOptOut(C, 'cy', false);
      expect((await repos.members.leftOut(C)).sort()).toEqual(['bo', 'dee', 'eve']);
    });
  });

  describe('channels', () => {
    beforeEach(async () => {
      await repos.channels.upsert(C, { id: 'general', name: 'general' }, 0);
      await repos.channels.upsert(C, { id: 'staff', name: 'staff', visibility: 'private', memberIds: ['mod'] }, 0);
      await repos.channels.upsert(C, { id: 'staff-thread', name: 'thread', kind: 'thread', parentId: 'staff' }, 0);
      await repos.channels.upsert(C, { id: 'general-thread', name: 'thread', kind: 'thread', parentId: 'general' }, 0);
      await repos.channels.upsert(C, { id: 'dm', name: 'dm', kind: 'dm' }, 0);
    });

    it('a private channel and its threads are readable by its members only; unknown channels by nobody', async () => {
      expect(await repos.channels.canRead(C, 'general', 'ana')).toBe(true);
      expect(await repos.channels.canRead(C, 'staff', 'ana')).toBe(false);
      expect(await repos.channels.canRead(C, 'staff-thread', 'ana')).toBe(false);
      expect(await repos.channels.canRead(C, 'staff-thread', 'mod')).toBe(true);
      expect(await repos.channels.canRead(C, 'nowhere', 'mod')).toBe(false);
      expect(await repos.channels.canRead(OTHER, 'general', 'ana')).toBe(false);
      expect([...(await repos.channels.readableBy(C, 'ana'))].sort()).toEqual(['dm', 'general', 'general-thread']);
      expect([...(await repos.channels.readableBy(C, 'mod'))].sort()).toEqual(['dm', 'general', 'general-thread', 'staff', 'staff-thread']);
    });

    it('isPublic: public all the way up, and not a DM', async () => {
      expect(await repos.channels.isPublic(C, 'general-thread')).toBe(true);
      expect(await repos.channels.isPublic(C, 'staff-thread')).toBe(false);
      expect(await repos.channels.isPublic(C, 'dm')).toBe(false);
      expect(await repos.channels.isPublic(C, 'nowhere')).toBe(false);
    });

    it('memberships are added, listed and removed per community', async () => {
      await repos.channels.upsert(C, { id: 'staff', name: 'staff', visibility: 'private', memberIds: ['ana'] }, 1);
      expect((await repos.channels.members(C, 'staff')).sort()).toEqual(['ana', 'mod']);
      await repos.channels.removeMember(C, 'staff', 'mod');
      expect(await repos.channels.members(C, 'staff')).toEqual(['ana']);
      expect(await repos.channels.membershipsOf(C, 'ana')).toEqual(['staff']);
      expect(await repos.channels.membershipsOf(OTHER, 'ana')).toEqual([]);
      expect((await repos.channels.findByName(C, 'staff'))?.visibility).toBe('private');
      expect(await repos.channels.get(OTHER, 'staff')).toBeUndefined();
    });
  });

  describe('messages', () => {
    it('insert stores once: a replay returns undefined and changes nothing', async () => {
      const first = await repos.messages.insert(C, message('m1'));
      expect(first).toMatchObject({ communityId: C, id: 'm1', text: 'text of m1', authorIsBot: false, isCompanion: false, kind: 'message', replyTo: null, editedAt: null });
      expect(await repos.messages.insert(C, message('m1', { text: 'replayed' }))).toBeUndefined();
      expect(await repos.messages.get(C, 'm1')).toEqual(first);
      expect(await repos.messages.get(OTHER, 'm1')).toBeUndefined();
    });

    it('a transcript becomes the text, marked transcribed, and is searchable until retention blanks it', async () => {
      await repos.channels.upsert(C, { id: 'general', name: 'general' }, 0);
      const voice = await repos.messages.insert(C, message('v1', { text: '', discussionId: 'v1' }));
      expect(voice?.transcribed).toBe(false);
      expect(await repos.messages.setTranscript(C, 'v1', 'my invoice was charged twice')).toBe(true);
      expect(await repos.messages.setTranscript(OTHER, 'v1', 'nope')).toBe(false);
      // Once: a second transcript of the same message (a later Transcribe, a race) changes nothing.
      expect(await repos.messages.setTranscript(C, 'v1', 'my invoice was charged twice, again')).toBe(false);
      expect(await repos.messages.get(C, 'v1')).toMatchObject({ text: 'my invoice was charged twice', transcribed: true });
      const search = () =>
        repos.related.candidates({ community: C, terms: queryTerms('invoice charged twice'), readableChannelIds: new Set(['general']), limit: 5 });
      const found = await search();
      expect(found.discussions.map((d) => d.id)).toEqual(['v1']);
      expect(found.discussions[0].messages[0]).toMatchObject({ text: 'my invoice was charged twice', transcribed: true });
      await repos.messages.purgeTextBefore(C, 1_000);
      expect((await repos.messages.get(C, 'v1'))?.text).toBeNull();
      expect((await search()).discussions).toEqual([]);
    });

    it('edits, reply links and deletes', async () => {
      await repos.messages.insert(C, message('q', { discussionId: 'q' }));
      await repos.messages.insert(C, message('a', { createdAt: 110 }));
      await repos.messages.setReply(C, 'a', 'q', true, 'q');
      expect(await repos.messages.updateText(C, 'a', 'edited', 'title', 120)).toBe(true);
      expect(await repos.messages.updateText(C, 'missing', 'edited', undefined, 120)).toBe(false);
      expect(await repos.messages.get(C, 'a')).toMatchObject({ text: 'edited', title: 'title', editedAt: 120, replyTo: 'q', replyInferred: true, discussionId: 'q' });
      expect((await repos.messages.repliesTo(C, 'q')).map((m) => m.id)).toEqual(['a']);
      expect((await repos.messages.inDiscussion(C, 'q')).map((m) => m.id)).toEqual(['q', 'a']);
      expect((await repos.messages.delete(C, 'a'))?.id).toBe('a');
      expect(await repos.messages.get(C, 'a')).toBeUndefined();
      expect(await repos.messages.delete(C, 'a')).toBeUndefined();
    });

    it('the window before a message: earlier or same time stored earlier, newest first, with author names', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.messages.insert(C, message('old', { createdAt: 10 }));
      await repos.messages.insert(C, message('m1', { createdAt: 100 }));
      await repos.messages.insert(C, message('m2', { createdAt: 100 }));
      const last = (await repos.messages.insert(C, message('m3', { createdAt: 100 })))!;
      await repos.messages.insert(C, message('elsewhere', { channelId: 'other', createdAt: 90 }));
      const window = await repos.messages.before(C, 'general', last, 50);
      expect(window.map((m) => [m.id, m.authorName])).toEqual([
        ['m2', 'Ana'],
        ['m1', 'Ana'],
      ]);
      expect((await repos.messages.recentInChannel(C, 'general', 0, 2)).map((m) => m.id)).toEqual(['m3', 'm2']);
      expect((await repos.messages.inWindow(C, 10, 100)).map((m) => m.id)).toEqual(['old', 'elsewhere']);
    });

    it('counts human messages by author in a window, in one community', async () => {
      await repos.messages.insert(C, message('a1', { createdAt: 10 }));
      await repos.messages.insert(C, message('a2', { createdAt: 20 }));
      await repos.messages.insert(C, message('late', { createdAt: 30 }));
      await repos.messages.insert(C, message('b1', { authorId: 'bo', createdAt: 15 }));
      await repos.messages.insert(C, message('bot', { authorId: 'ci', authorIsBot: true, createdAt: 15 }));
      await repos.messages.insert(C, message('own', { authorId: 'hearth', isCompanion: true, createdAt: 15 }));
      await repos.messages.insert(C, message('join', { authorId: 'cy', kind: 'join', createdAt: 15 }));
      await repos.messages.insert(OTHER, message('x', { createdAt: 15 }));
      const counts = await repos.messages.countByAuthor(C, 10, 30);
      expect([...counts].sort((a, b) => a.authorId.localeCompare(b.authorId))).toEqual([
        { authorId: 'ana', count: 2 },
        { authorId: 'bo', count: 1 },
      ]);
    });

    it('shapes in a window: human posts only, oldest first, text only where the verdicts are not of the tag asked for', async () => {
      await repos.messages.insert(C, message('q', { createdAt: 20, discussionId: 'q' }));
      await repos.messages.insert(C, message('r', { authorId: 'bo', createdAt: 30, replyTo: 'q', threadId: 'q', discussionId: 'q' }));
      await repos.messages.insert(C, message('t', { createdAt: 30, threadId: 't' })); // a thread's own root
      await repos.messages.insert(C, message('in', { authorId: 'cy', createdAt: 40, threadId: 't' })); // inside someone's thread
      await repos.messages.insert(C, message('inferred', { authorId: 'cy', createdAt: 45, replyTo: 't', replyInferred: true }));
      await repos.messages.insert(C, message('early', { createdAt: 9 }));
      await repos.messages.insert(C, message('late', { createdAt: 50 }));
      await repos.messages.insert(C, message('bot', { authorId: 'ci', authorIsBot: true, createdAt: 25 }));
      await repos.messages.insert(C, message('join', { authorId: 'cy', kind: 'join', createdAt: 25 }));
      await repos.messages.insert(OTHER, message('x', { createdAt: 25 }));
      const shapes = await repos.messages.shapesInWindow(C, 10, 50);
      expect(shapes.map(({ rowId, ...shape }) => shape)).toEqual([
        { id: 'q', channelId: 'general', authorId: 'ana', createdAt: 20, replyTo: null, threadId: null, discussionId: 'q', text: null, verdicts: null },
        { id: 'r', channelId: 'general', authorId: 'bo', createdAt: 30, replyTo: 'q', threadId: 'q', discussionId: 'q', text: null, verdicts: null },
        { id: 't', channelId: 'general', authorId: 'ana', createdAt: 30, replyTo: null, threadId: 't', discussionId: null, text: null, verdicts: null },
        { id: 'in', channelId: 'general', authorId: 'cy', createdAt: 40, replyTo: null, threadId: 't', discussionId: null, text: null, verdicts: null },
        { id: 'inferred', channelId: 'general', authorId: 'cy', createdAt: 45, replyTo: 't', threadId: null, discussionId: null, text: null, verdicts: null },
      ]);
      // Same time: stored first, first; the row ids are the store's.
      expect(shapes[1].rowId).toBeLessThan(shapes[2].rowId);
      expect(shapes[0].rowId).toBe((await repos.messages.get(C, 'q'))!.rowId);
      // Nothing judged yet: every text, for judging.
      expect(await repos.messages.shapesInWindow(C, 10, 50, { judgedWith: 7 })).toEqual(shapes.map((m) => ({ ...m, text: `text of ${m.id}` })));
      // Verdicts are kept only for the text they were given from, in their own community.
      const [q, r, t, inThread] = shapes;
      await repos.messages.setVerdicts(C, [
        { rowId: q.rowId, text: 'text of q', verdicts: (7 << 8) | 1 },
        { rowId: r.rowId, text: 'text of r', verdicts: (7 << 8) | 2 },
        { rowId: t.rowId, text: 'an older text of t', verdicts: (7 << 8) | 1 },
        { rowId: inThread.rowId, text: 'text of in', verdicts: 6 << 8 },
      ]);
      await repos.messages.setVerdicts(OTHER, [{ rowId: inThread.rowId, text: 'text of in', verdicts: 7 << 8 }]);
      const judged = await repos.messages.shapesInWindow(C, 10, 50, { judgedWith: 7 });
      expect(judged.map((m) => [m.id, m.verdicts, m.text])).toEqual([
        ['q', (7 << 8) | 1, null],
        ['r', (7 << 8) | 2, null],
        ['t', null, 'text of t'],
        ['in', 6 << 8, 'text of in'], // another tag: judged again
        ['inferred', null, 'text of inferred'],
      ]);
      expect((await repos.messages.get(C, 'q'))!.verdicts).toBe((7 << 8) | 1);
      // A text's change forgets its verdicts: an edit, a transcript, the retention purge.
      await repos.messages.updateText(C, 'q', 'q, edited', undefined, 21);
      expect(await repos.messages.setTranscript(C, 'r', 'a transcript of r')).toBe(true);
      const after = await repos.messages.shapesInWindow(C, 10, 50, { judgedWith: 7 });
      expect(after.slice(0, 2).map((m) => [m.id, m.verdicts, m.text])).toEqual([
        ['q', null, 'q, edited'],
        ['r', null, 'a transcript of r'],
      ]);
      await repos.messages.setVerdicts(C, [{ rowId: t.rowId, text: 'text of t', verdicts: (7 << 8) | 1 }]);
      await repos.messages.purgeTextBefore(C, 35);
      expect((await repos.messages.shapesInWindow(C, 10, 50, { judgedWith: 7 })).map((m) => [m.id, m.verdicts, m.text])).toEqual([
        ['q', null, null],
        ['r', null, null],
        ['t', null, null],
        ['in', 6 << 8, 'text of in'],
        ['inferred', null, 'text of inferred'],
      ]);
      expect(await repos.messages.shapesInWindow(C, 50, 60).then((rows) => rows.map((m) => m.id))).toEqual(['late']);
    });

    it('quiet authors: at least n human messages in [since, quietSince) and none in [quietSince, until), per community', async () => {
      const post = (community: string, author: string, at: number, extra: Parameters<typeof message>[1] = {}) =>
        repos.messages.insert(community, message(`${author}-${at}`, { authorId: author, createdAt: at, ...extra }));
      for (const at of [10, 20, 30]) await post(C, 'ana', at); // 3 earlier, none later: quiet
      for (const at of [10, 20, 30]) await post(C, 'bo', at);
      await post(C, 'bo', 70); // came back
      for (const at of [10, 20]) await post(C, 'cy', at); // too few
      await post(C, 'cy', 30, { kind: 'join' }); // not a post
      for (const at of [10, 20, 30]) await post(C, 'di', at);
      await post(C, 'di', 60, { authorIsBot: true }); // a bot's line under di's id does not count as coming back
      await post(C, 'ed', 5);
      for (const at of [20, 30, 49]) await post(C, 'ed', at);
      await post(C, 'ed', 100); // at `until`: outside
      for (const at of [10, 20, 30]) await post(OTHER, 'fy', at);
      await post(C, 'fy', 60); // fy is quiet in OTHER, not in C (and has too few in C)
      const quiet = await repos.messages.quietAuthors(C, { since: 10, quietSince: 50, until: 100, atLeast: 3 });
      expect([...quiet].sort()).toEqual(['ana', 'di', 'ed']);
      expect(await repos.messages.quietAuthors(OTHER, { since: 10, quietSince: 50, until: 100, atLeast: 3 })).toEqual(['fy']);
      expect(await repos.messages.quietAuthors(C, { since: 10, quietSince: 50, until: 100, atLeast: 4 })).toEqual([]);
      // One author's answer (a member's record): the same rule, that author alone.
      for (const [author, quietOne] of [['ana', ['ana']], ['bo', []], ['cy', []], ['di', ['di']], ['fy', []], ['nobody', []]] as const) {
        expect(await repos.messages.quietAuthors(C, { since: 10, quietSince: 50, until: 100, atLeast: 3, authorId: author }), author).toEqual(quietOne);
      }
      expect(await repos.messages.quietAuthors(OTHER, { since: 10, quietSince: 50, until: 100, atLeast: 3, authorId: 'fy' })).toEqual(['fy']);
    });

    it('authors back after their first post: a human message within [first + minGap, first + maxGap], per community', async () => {
      for (const [id, first] of [['ana', 100], ['bo', 100], ['cy', 100]] as const) {
        await repos.members.upsert(C, { id, name: id }, 0);
        await repos.members.markPosted(C, id, first);
        await repos.messages.insert(C, message(`${id}-first`, { authorId: id, createdAt: first }));
      }
      await repos.messages.insert(C, message('ana-back', { authorId: 'ana', createdAt: 160 })); // inside [150, 200]
      await repos.messages.insert(C, message('bo-soon', { authorId: 'bo', createdAt: 120 })); // too soon
      await repos.messages.insert(C, message('bo-late', { authorId: 'bo', createdAt: 201 })); // too late
      await repos.messages.insert(C, message('cy-join', { authorId: 'cy', kind: 'join', createdAt: 160 })); // not a post
      await repos.members.upsert(OTHER, { id: 'bo', name: 'bo' }, 0);
      await repos.members.markPosted(OTHER, 'bo', 100);
      await repos.messages.insert(OTHER, message('other-back', { authorId: 'bo', createdAt: 160 }));
      expect(await repos.messages.authorsBackAfterFirstPost(C, 50, 100)).toEqual(['ana']);
      expect(await repos.messages.authorsBackAfterFirstPost(OTHER, 50, 100)).toEqual(['bo']);
      // One member's record looks at that member alone.
      expect(await repos.messages.authorsBackAfterFirstPost(C, 50, 100, 'ana')).toEqual(['ana']);
      expect(await repos.messages.authorsBackAfterFirstPost(C, 50, 100, 'bo')).toEqual([]);
      expect(await repos.messages.authorsBackAfterFirstPost(OTHER, 50, 100, 'ana')).toEqual([]);
    });

    it('retention blanks old text only, in one community', async () => {
      await repos.messages.insert(C, message('old', { createdAt: 10 }));
      await repos.messages.insert(C, message('new', { createdAt: 200 }));
      await repos.messages.insert(OTHER, message('old', { createdAt: 10 }));
      expect(await repos.messages.purgeTextBefore(C, 100)).toBe(1);
      expect((await repos.messages.get(C, 'old'))?.text).toBeNull();
      expect((await repos.messages.get(C, 'new'))?.text).toBe('text of new');
      expect((await repos.messages.get(OTHER, 'old'))?.text).toBe('text of old');
    });

    it('finds the companion posts naming a member, and touched discussions after a row', async () => {
      await repos.messages.insert(C, message('ack', { authorId: 'hearth', isCompanion: true, text: 'Thanks <@ana>!' }));
      await repos.messages.insert(C, message('slack', { authorId: 'hearth', isCompanion: true, text: 'Thanks <@ana|Ana>!' }));
      await repos.messages.insert(C, message('human', { text: 'Thanks <@ana>!' }));
      expect((await repos.messages.companionPostsNaming(C, 'ana')).map((m) => m.id).sort()).toEqual(['ack', 'slack']);
      const first = (await repos.messages.insert(C, message('d1', { discussionId: 'd1' })))!;
      const second = (await repos.messages.insert(C, message('d2', { discussionId: 'd2' })))!;
      await repos.messages.insert(C, message('bot', { authorIsBot: true, discussionId: 'd3' }));
      expect(await repos.messages.discussionsTouchedAfter(C, first.rowId - 1, 0, 10)).toEqual([
        { discussionId: 'd1', lastRowId: first.rowId },
        { discussionId: 'd2', lastRowId: second.rowId },
      ]);
      expect((await repos.messages.byAuthor(C, 'hearth')).length).toBe(2);
    });
  });

  describe('related search', () => {
    beforeEach(async () => {
      await repos.channels.upsert(C, { id: 'general', name: 'general' }, 0);
      await repos.channels.upsert(C, { id: 'staff', name: 'staff', visibility: 'private', memberIds: ['mod'] }, 0);
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.members.upsert(C, { id: 'mod', name: 'Mod' }, 0);
      const ask = (community: string, id: string, channelId: string, text: string) =>
        repos.messages.insert(community, message(id, { channelId, text, discussionId: id }));
      await ask(C, 'public-q', 'general', 'the ingress controller returns a gateway timeout');
      await ask(C, 'private-q', 'staff', 'ingress controller credentials rotated for the gateway');
      await ask(OTHER, 'other-q', 'general', 'ingress controller gateway timeout in another community');
      await repos.messages.insert(C, message('public-a', { channelId: 'general', authorId: 'mod', text: 'raise the ingress gateway timeout', discussionId: 'public-q', replyTo: 'public-q' }));
    });

    const search = async (asker: string, text: string) =>
      repos.related.candidates({ community: C, terms: queryTerms(text), readableChannelIds: await repos.channels.readableBy(C, asker), limit: 5 });

    it('returns only discussions of the community from channels the asker can read', async () => {
      const forMember = await search('ana', 'ingress gateway timeout');
      expect(forMember.discussions.map((d) => d.id)).toEqual(['public-q']);
      expect(forMember.discussions[0].messages.map((m) => [m.id, m.authorName])).toEqual([
        ['public-q', 'Ana'],
        ['public-a', 'Mod'],
      ]);
      const forModerator = await search('mod', 'ingress gateway credentials');
      expect(forModerator.discussions.map((d) => d.id).sort()).toEqual(['private-q', 'public-q']);
    });

    it('finds nothing with no readable channel, and nothing once the message is deleted', async () => {
      expect((await repos.related.candidates({ community: C, terms: queryTerms('ingress'), readableChannelIds: new Set(), limit: 5 })).discussions).toEqual([]);
      await repos.messages.delete(C, 'public-a');
      await repos.messages.delete(C, 'public-q');
      expect((await search('ana', 'ingress gateway timeout')).discussions).toEqual([]);
    });
  });

  describe('signals', () => {
    const help = (actorId: string, subjectId: string, at: number, community = C) =>
      repos.signals.record(community, { kind: 'helped', actorId, subjectId, at, dedupeKey: `helped:${actorId}:${subjectId}:${at}` });

    it('a dedupe key records a fact once; lists are scoped and ordered', async () => {
      expect(await help('bo', 'ana', 10)).toBe(true);
      expect(await help('bo', 'ana', 10)).toBe(false);
      await help('ana', 'bo', 20);
      await help('bo', 'ana', 30, OTHER);
      await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'bo', at: 15, data: { messageId: 'x' } });
      expect((await repos.signals.list(C)).map((s) => [s.kind, s.at])).toEqual([
        ['helped', 10],
        ['thanked', 15],
        ['helped', 20],
      ]);
      expect((await repos.signals.list(C, { kind: 'thanked' }))[0].data).toEqual({ messageId: 'x' });
      expect(await repos.signals.list(C, { since: 15, until: 20 })).toHaveLength(1);
      expect(await repos.signals.countByActor(C, 'bo', ['helped'], 0)).toBe(1);
      expect(await repos.signals.countByActor(C, 'bo', [], 0)).toBe(0);
      expect(await repos.signals.latestBy(C, 'helped', 'bo', 11)).toEqual({ at: 10, subjectId: 'ana' });
      expect(await repos.signals.latestBy(C, 'helped', 'bo', 10)).toBeUndefined();
      expect((await repos.signals.between(C, 'helped', 'ana', 'bo', 0)).map((s) => s.at)).toEqual([20, 10]);
      expect((await repos.signals.forSubject(C, 'helped', 'ana')).map((s) => s.at)).toEqual([10]);
    });

    it('lists the signals whose dedupe key starts with a prefix, exactly (accepted answers)', async () => {
      const accepted = (id: string, at: number, community = C) => repos.signals.record(community, { kind: 'helped', actorId: 'bo', subjectId: 'ana', at, dedupeKey: `helped:accepted:${id}` });
      await accepted('m1', 10);
      await help('bo', 'ana', 12);
      await accepted('m2', 20);
      await accepted('m3', 20, OTHER);
      await repos.signals.record(C, { kind: 'helped', actorId: 'cy', subjectId: 'ana', at: 25, dedupeKey: 'HELPED:ACCEPTED:m4' });
      await repos.signals.record(C, { kind: 'helped', actorId: 'cy', subjectId: 'ana', at: 26, dedupeKey: 'helped_accepted:m5' });
      await repos.signals.record(C, { kind: 'helped', actorId: 'cy', subjectId: 'ana', at: 27 });
      const list = (options: Parameters<Repositories['signals']['list']>[1]) => repos.signals.list(C, options).then((rows) => rows.map((s) => s.dedupeKey));
      expect(await list({ kind: 'helped', dedupeKeyPrefix: 'helped:accepted:' })).toEqual(['helped:accepted:m1', 'helped:accepted:m2']);
      expect(await list({ kind: 'helped', since: 11, until: 30, dedupeKeyPrefix: 'helped:accepted:' })).toEqual(['helped:accepted:m2']);
      expect(await list({ dedupeKeyPrefix: 'helped%' })).toEqual([]);
    });

    it('mentors: who helped the mentee since their previous help, not the one they help back', async () => {
      await help('sam', 'ana', 10);
      await help('bo', 'ana', 20);
      await help('ana', 'cy', 30);
      expect((await repos.signals.mentorsOf(C, 'ana', 'cy', undefined, 30)).sort()).toEqual(['bo', 'sam']);
      expect(await repos.signals.mentorsOf(C, 'ana', 'bo', undefined, 30)).toEqual(['sam']);
      expect(await repos.signals.mentorsOf(C, 'ana', 'dan', { at: 15, subjectId: 'cy' }, 40)).toEqual(['bo']);
    });

    it('deleteForMember removes the member as actor or subject, in one community only', async () => {
      await help('bo', 'ana', 10);
      await help('ana', 'bo', 20);
      await help('bo', 'cy', 30);
      await help('ana', 'bo', 20, OTHER);
      expect(await repos.signals.forMember(C, 'ana')).toHaveLength(2);
      expect(await repos.signals.deleteForMember(C, 'ana')).toBe(2);
      expect(await repos.signals.list(C)).toHaveLength(1);
      expect(await repos.signals.forMember(OTHER, 'ana')).toHaveLength(1);
    });

    it('reframed_debate: one signal per member of the exchange, deduplicated, found by member (involving) and gone with forget-me', async () => {
      const reframe = (subject: string) =>
        repos.signals.record(C, { kind: 'reframed_debate', actorId: 'kim', subjectId: subject, messageId: 'm9', channelId: 'dev', at: 40, data: { cooledAfterMs: 5 }, dedupeKey: `reframed_debate:m9:${subject}` });
      expect(await reframe('ana')).toBe(true);
      expect(await reframe('bo')).toBe(true);
      expect(await reframe('bo')).toBe(false);
      expect((await repos.signals.list(C, { kind: 'reframed_debate' })).map((s) => [s.actorId, s.subjectId, s.messageId, s.data])).toEqual([
        ['kim', 'ana', 'm9', { cooledAfterMs: 5 }],
        ['kim', 'bo', 'm9', { cooledAfterMs: 5 }],
      ]);
      await repos.signals.record(C, { kind: 'conflict', actorId: 'ana', subjectId: 'bo', at: 30, dedupeKey: 'conflict:a' });
      await repos.signals.record(C, { kind: 'conflict', actorId: 'cy', subjectId: 'ana', at: 35, dedupeKey: 'conflict:b' });
      await repos.signals.record(C, { kind: 'conflict', actorId: 'ana', subjectId: 'bo', at: 50, dedupeKey: 'conflict:c' });
      await repos.signals.record(OTHER, { kind: 'conflict', actorId: 'ana', subjectId: 'bo', at: 31, dedupeKey: 'conflict:a' });
      // involving: as actor or subject, one kind, [since, until), newest first, one community.
      expect((await repos.signals.involving(C, 'conflict', 'ana', 30, 50)).map((s) => [s.actorId, s.subjectId, s.at])).toEqual([
        ['cy', 'ana', 35],
        ['ana', 'bo', 30],
      ]);
      expect(await repos.signals.involving(C, 'conflict', 'dan', 0, 100)).toEqual([]);
      expect((await repos.signals.involving(C, 'reframed_debate', 'kim', 0, 100)).map((s) => s.subjectId).sort()).toEqual(['ana', 'bo']);
      expect(await repos.signals.deleteForMember(C, 'ana')).toBe(4);
      expect(await repos.signals.deleteForMember(C, 'kim')).toBe(1);
      expect(await repos.signals.list(C, { kind: 'reframed_debate' })).toEqual([]);
    });

    it('involving in a batch sees what the batch recorded, newest first, within [since, until), and nothing after a rollback', async () => {
      const conflict = (actorId: string, subjectId: string, at: number, key: string, community = C) =>
        repos.signals.record(community, { kind: 'conflict', actorId, subjectId, at, dedupeKey: `conflict:${key}` });
      await conflict('ana', 'bo', 30, 'a');
      await repos.begin();
      const ana = async (since: number, until: number) => (await repos.signals.involving(C, 'conflict', 'ana', since, until)).map((s) => [s.actorId, s.subjectId, s.at]);
      expect(await ana(20, 40)).toEqual([['ana', 'bo', 30]]);
      expect(await conflict('cy', 'ana', 35, 'b')).toBe(true);
      expect(await conflict('cy', 'ana', 35, 'b')).toBe(false);
      await conflict('bo', 'dan', 36, 'c');
      await conflict('ana', 'cy', 35, 'd', OTHER);
      await conflict('ana', 'bo', 45, 'e');
      expect(await ana(20, 45)).toEqual([
        ['cy', 'ana', 35],
        ['ana', 'bo', 30],
      ]);
      expect(await ana(30, 46)).toEqual([
        ['ana', 'bo', 45],
        ['cy', 'ana', 35],
        ['ana', 'bo', 30],
      ]);
      expect(await ana(31, 45)).toEqual([['cy', 'ana', 35]]);
      // Earlier than anything read so far in the batch.
      await conflict('eve', 'ana', 5, 'f');
      expect(await ana(0, 31)).toEqual([
        ['ana', 'bo', 30],
        ['eve', 'ana', 5],
      ]);
      expect((await repos.signals.involving(C, 'conflict', 'dan', 0, 100)).map((s) => s.actorId)).toEqual(['bo']);
      const ids = (await repos.signals.involving(C, 'conflict', 'ana', 0, 100)).map((s) => s.id);
      expect(new Set(ids).size).toBe(4);
      expect(await repos.signals.deleteForMember(C, 'eve')).toBe(1);
      expect(await ana(0, 31)).toEqual([['ana', 'bo', 30]]);
      await repos.rollback();
      expect(await ana(0, 100)).toEqual([['ana', 'bo', 30]]);
      await repos.begin();
      expect(await ana(0, 100)).toEqual([['ana', 'bo', 30]]);
      await conflict('cy', 'ana', 35, 'b');
      await repos.commit();
      expect(await ana(0, 100)).toEqual([
        ['cy', 'ana', 35],
        ['ana', 'bo', 30],
      ]);
    });

    it('countByPair: one row per kind, actor and subject, with the latest time; scoped and bounded by until', async () => {
      await help('bo', 'ana', 10);
      await help('bo', 'ana', 30);
      await help('bo', 'cy', 20);
      await help('bo', 'ana', 40, OTHER);
      await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'bo', at: 35 });
      await repos.signals.record(C, { kind: 'welcomer_asked', actorId: 'bo', at: 50 });
      const sorted = (rows: Awaited<ReturnType<typeof repos.signals.countByPair>>) =>
        [...rows].sort((a, b) => `${a.kind}${a.actorId}${a.subjectId}`.localeCompare(`${b.kind}${b.actorId}${b.subjectId}`));
      expect(sorted(await repos.signals.countByPair(C))).toEqual([
        { kind: 'helped', actorId: 'bo', subjectId: 'ana', count: 2, lastAt: 30 },
        { kind: 'helped', actorId: 'bo', subjectId: 'cy', count: 1, lastAt: 20 },
        { kind: 'thanked', actorId: 'ana', subjectId: 'bo', count: 1, lastAt: 35 },
        { kind: 'welcomer_asked', actorId: 'bo', subjectId: null, count: 1, lastAt: 50 },
      ]);
      expect(sorted(await repos.signals.countByPair(C, { until: 30 }))).toEqual([
        { kind: 'helped', actorId: 'bo', subjectId: 'ana', count: 1, lastAt: 10 },
        { kind: 'helped', actorId: 'bo', subjectId: 'cy', count: 1, lastAt: 20 },
      ]);
    });

    it('compact: one kind’s who and when in [since, until), oldest first, scoped, and gone with the member', async () => {
      await help('bo', 'ana', 30);
      await help('cy', 'ana', 10);
      await help('ana', 'bo', 20);
      await help('bo', 'cy', 40);
      await help('bo', 'ana', 20, OTHER);
      await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'bo', at: 25 });
      expect(await repos.signals.compact(C, 'helped', 10, 40)).toEqual([
        { actorId: 'cy', subjectId: 'ana', at: 10 },
        { actorId: 'ana', subjectId: 'bo', at: 20 },
        { actorId: 'bo', subjectId: 'ana', at: 30 },
      ]);
      expect(await repos.signals.compact(C, 'thanked', 0, 100)).toEqual([{ actorId: 'ana', subjectId: 'bo', at: 25 }]);
      await repos.signals.deleteForMember(C, 'cy');
      expect((await repos.signals.compact(C, 'helped', 0, 100)).map((s) => s.at)).toEqual([20, 30]);
    });

    it('compactColumns: the same as compact, as parallel columns (ties on time by id, no subject kept as null, none as empty columns)', async () => {
      await help('bo', 'ana', 30);
      await help('cy', 'ana', 10);
      await help('ana', 'bo', 20);
      await help('dé "x"', 'ana', 20);
      await help('bo', 'cy', 40);
      await help('bo', 'ana', 20, OTHER);
      await repos.signals.record(C, { kind: 'helped', actorId: 'cy', subjectId: null, at: 2 ** 41 });
      await repos.signals.record(C, { kind: 'thanked', actorId: 'ana', subjectId: 'bo', at: 25 });
      const columns = (rows: CompactSignal[]) => ({ actorId: rows.map((s) => s.actorId), subjectId: rows.map((s) => s.subjectId), at: rows.map((s) => s.at) });
      for (const [kind, since, until] of [['helped', 10, 40], ['helped', 0, 2 ** 42], ['thanked', 0, 100], ['helped', 41, 100], ['same_here', 0, 100]] as const) {
        expect(await repos.signals.compactColumns(C, kind, since, until)).toEqual(columns(await repos.signals.compact(C, kind, since, until)));
      }
      expect(await repos.signals.compactColumns(C, 'helped', 10, 40)).toEqual({ actorId: ['cy', 'ana', 'dé "x"', 'bo'], subjectId: ['ana', 'bo', 'ana', 'ana'], at: [10, 20, 20, 30] });
      expect(await repos.signals.compactColumns(C, 'helped', 41, 100)).toEqual({ actorId: [], subjectId: [], at: [] });
      expect((await repos.signals.compactColumns(C, 'helped', 40, 2 ** 42)).subjectId).toEqual(['cy', null]);
      await repos.signals.deleteForMember(C, 'cy');
      expect((await repos.signals.compactColumns(C, 'helped', 0, 100)).at).toEqual([20, 20, 30]);
    });
  });

  describe('settings, checkpoints and embeddings', () => {
    it('settings are per community', async () => {
      await repos.settings.set(C, 'welcomeChannel', 'hello', 1, 'mod');
      await repos.settings.set(C, 'limits', { n: 3 }, 2);
      await repos.settings.set(OTHER, 'welcomeChannel', 'other', 1);
      expect(await repos.settings.all(C)).toEqual({ welcomeChannel: 'hello', limits: { n: 3 } });
      await repos.settings.unset(C, 'limits');
      expect(await repos.settings.all(C)).toEqual({ welcomeChannel: 'hello' });
    });

    it('checkpoints keep any JSON value and list by prefix', async () => {
      await repos.checkpoints.put('backfill:a:1', { cursor: 'x' }, 1);
      await repos.checkpoints.put('backfill:a:1', { cursor: 'y' }, 2);
      await repos.checkpoints.put('backfill:b:1', 7, 2);
      expect(await repos.checkpoints.get('backfill:a:1')).toEqual({ cursor: 'y' });
      expect(await repos.checkpoints.get('missing')).toBeUndefined();
      expect((await repos.checkpoints.list('backfill:a')).map((c) => [c.key, c.value])).toEqual([['backfill:a:1', { cursor: 'y' }]]);
    });

    it('embeddings: vectors per model, a watermark, retention by message age', async () => {
      await repos.embeddings.put(C, 'm', 'd1', Buffer.from([1, 2]), 5);
      await repos.embeddings.put(C, 'm', 'd2', Buffer.from([3]), 5);
      await repos.embeddings.put(OTHER, 'm', 'd1', Buffer.from([9]), 5);
      const got = await repos.embeddings.get(C, 'm', ['d1', 'd2', 'd3']);
      expect([...got.keys()].sort()).toEqual(['d1', 'd2']);
      expect([...got.get('d1')!.vector]).toEqual([1, 2]);
      expect(await repos.embeddings.watermark(C, 'm')).toBe(0);
      await repos.embeddings.setWatermark(C, 'm', 42, 6);
      expect(await repos.embeddings.watermark(C, 'm')).toBe(42);
      await repos.messages.insert(C, message('d1', { discussionId: 'd1', createdAt: 10 }));
      expect(await repos.embeddings.removeWithTextBefore(C, 100)).toBe(1);
      await repos.embeddings.remove(C, 'd2');
      expect((await repos.embeddings.get(C, 'm', ['d1', 'd2'])).size).toBe(0);
      expect((await repos.embeddings.get(OTHER, 'm', ['d1'])).size).toBe(1);
    });
  });

  describe('deliveries', () => {
    it('one caller claims a delivery; a lease that ran out is taken over; a handled one never again', async () => {
      const wins = await Promise.all(Array.from({ length: 6 }, () => repos.deliveries.claim(C, 'evt:1', 100, 160)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repos.deliveries.claim(C, 'evt:1', 159, 219)).toBe(false);
      expect(await repos.deliveries.claim(OTHER, 'evt:1', 100, 160)).toBe(true); // scoped by community
      // The first handler died: its lease runs out and a redelivery is handled again, by one.
      const retakes = await Promise.all([repos.deliveries.claim(C, 'evt:1', 160, 220), repos.deliveries.claim(C, 'evt:1', 160, 220)]);
      expect(retakes.filter(Boolean)).toHaveLength(1);
      await repos.deliveries.done(C, 'evt:1', 170);
      expect(await repos.deliveries.claim(C, 'evt:1', 10_000, 10_060)).toBe(false);
      expect(await repos.deliveries.purgeBefore(C, 101)).toBe(1);
      expect(await repos.deliveries.claim(C, 'evt:1', 10_000, 10_060)).toBe(true); // forgotten by the purge
    });

    it('take (under the community lock): a first claim is new, an unfinished one is resumed before its lease runs out, a handled one never again', async () => {
      expect(await repos.deliveries.take(C, 'evt:2', 100, 160)).toBe('new');
      expect(await repos.deliveries.claim(C, 'evt:2', 110, 170)).toBe(false);
      expect(await repos.deliveries.take(C, 'evt:2', 110, 170)).toBe('resumed');
      expect(await repos.deliveries.take(C, 'evt:2', 111, 171)).toBe('resumed'); // died again
      await repos.deliveries.done(C, 'evt:2', 120);
      expect(await repos.deliveries.take(C, 'evt:2', 130, 190)).toBe(false);
      expect(await repos.deliveries.take(OTHER, 'evt:2', 130, 190)).toBe('new'); // scoped by community
      expect(await repos.deliveries.take(C, 'evt:3', 130, 190)).toBe('new');
    });
  });

  describe('outbox', () => {
    it('an intent keeps a command reply’s lookup token until the reply is confirmed or the token expires', async () => {
      await repos.outbox.intend(C, 'ack:1', 100, { token: 'tok-1', until: 1_000 });
      await repos.outbox.intend(C, 'ack:2', 100, { token: 'tok-2', until: 500 });
      await repos.outbox.intend(C, 'ack:3', 100);
      await repos.outbox.intend(OTHER, 'ack:2', 100, { token: 'tok-x', until: 500 });
      expect(await repos.outbox.get(C, 'ack:1')).toMatchObject({ createdAt: 100, sentAt: null, replyToken: 'tok-1', replyTokenUntil: 1_000 });
      expect(await repos.outbox.get(C, 'ack:3')).toMatchObject({ replyToken: null, replyTokenUntil: null });
      // A second intent keeps the first as it is.
      await repos.outbox.intend(C, 'ack:1', 200, { token: 'tok-other', until: 2_000 });
      expect(await repos.outbox.get(C, 'ack:1')).toMatchObject({ createdAt: 100, replyToken: 'tok-1' });
      // Expired ones go (in this community only); confirmed ones lose theirs.
      expect(await repos.outbox.dropExpiredReplyTokens(C, 500)).toBe(1);
      expect(await repos.outbox.get(C, 'ack:2')).toMatchObject({ sentAt: null, replyToken: null, replyTokenUntil: null });
      expect(await repos.outbox.get(OTHER, 'ack:2')).toMatchObject({ replyToken: 'tok-x' });
      await repos.outbox.sent(C, 'ack:1', null, 300);
      expect(await repos.outbox.get(C, 'ack:1')).toMatchObject({ sentAt: 300, replyToken: null, replyTokenUntil: null });
      expect(await repos.outbox.dropExpiredReplyTokens(C, 10_000)).toBe(0);
    });
  });

  describe('escalations, companion posts and same here', () => {
    const request = { requesterId: 'ana', channelId: 'general', source: 'command', createdAt: 10, lastRequestAt: 10, reason: 'help' };

    it('requests opened at the same moment come in the order they were stored, in both stores', async () => {
      const outage = await repos.escalations.create(C, { ...request, stakesClass: 'outage' });
      const billing = await repos.escalations.create(C, { ...request, stakesClass: 'billing' });
      const later = await repos.escalations.create(C, { ...request, stakesClass: 'distress', createdAt: 11, lastRequestAt: 11 });
      expect((await repos.escalations.list(C)).map((e) => e.id)).toEqual([outage.id, billing.id, later.id]);
      expect((await repos.escalations.list(C, { since: 10 })).map((e) => e.id)).toEqual([outage.id, billing.id, later.id]);
      // The latest open one about a place: of two stamped alike, the one stored last.
      await repos.escalations.update(C, later.id, { status: 'resolved', resolvedAt: 12 });
      expect((await repos.escalations.findOpenFor(C, 'ana', 'general'))?.id).toBe(billing.id);
    });

    it('list by message: the requests made with that message, in that community only', async () => {
      const typed = await repos.escalations.create(C, { ...request, source: 'typed', messageId: 'm1' });
      await repos.escalations.create(C, { ...request, source: 'typed', messageId: 'm2' });
      await repos.escalations.create(OTHER, { ...request, source: 'typed', messageId: 'm1' });
      expect((await repos.escalations.list(C, { messageId: 'm1' })).map((e) => e.id)).toEqual([typed.id]);
      expect(await repos.escalations.list(C, { messageId: 'm3' })).toEqual([]);
    });

    it('a claim is a conditional transition: of two at once, one wins', async () => {
      const created = await repos.escalations.create(C, request);
      expect(created).toMatchObject({ communityId: C, status: 'open', stakes: 'low', stakesClass: 'none', requestCount: 1, tier: 0 });
      const [a, b] = await Promise.all([
        repos.escalations.transition(C, created.id, ['open'], { status: 'claimed', claimedBy: 'mod1', claimedAt: 20 }),
        repos.escalations.transition(C, created.id, ['open'], { status: 'claimed', claimedBy: 'mod2', claimedAt: 20 }),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect((await repos.escalations.get(C, created.id))?.claimedBy).toBe((a ?? b)!.claimedBy);
      expect(await repos.escalations.transition(OTHER, created.id, ['claimed'], { status: 'resolved' })).toBeUndefined();
      expect(await repos.escalations.get(OTHER, created.id)).toBeUndefined();
    });

    it('an escalation and its follow-up steps are written together', async () => {
      const created = await repos.escalations.createWithSteps(C, request, [{ kind: 'escalation.reping', key: 'reping:{id}', dueAt: 50 }]);
      expect(await repos.tasks.get(C, `reping:${created.id}`)).toMatchObject({ kind: 'escalation.reping', dueAt: 50, payload: { escalationId: created.id }, status: 'pending' });
      expect((await repos.escalations.findOpenFor(C, 'ana', 'general'))?.id).toBe(created.id);
      await repos.escalations.update(C, created.id, { status: 'resolved', resolvedAt: 30, resolutionNote: 'done' });
      expect(await repos.escalations.findOpenFor(C, 'ana', 'general')).toBeUndefined();
      expect((await repos.escalations.list(C, { status: ['resolved'] })).map((e) => e.id)).toEqual([created.id]);
      expect(await repos.escalations.purgeTextBefore(C, 100)).toBe(2);
      expect(await repos.escalations.get(C, created.id)).toMatchObject({ reason: null, resolutionNote: null, status: 'resolved' });
    });

    it('forget-me clears a requester’s reasons in one community', async () => {
      const mine = await repos.escalations.create(C, request);
      const elsewhere = await repos.escalations.create(OTHER, request);
      expect(await repos.escalations.clearReasonsOf(C, 'ana')).toBe(1);
      expect((await repos.escalations.get(C, mine.id))?.reason).toBeNull();
      expect((await repos.escalations.get(OTHER, elsewhere.id))?.reason).toBe('help');
    });

    it('companion posts: put, reverse lookup, and a rate-limit slot taken by one caller until idle', async () => {
      await repos.companionPosts.put(C, 'ack:m1', 'general', 'p1', 10);
      expect((await repos.companionPosts.findByMessage(C, 'p1'))?.key).toBe('ack:m1');
      await repos.companionPosts.touch(C, 'ack:m1', 20);
      expect(await repos.companionPosts.get(C, 'ack:m1')).toMatchObject({ channelId: 'general', messageId: 'p1', createdAt: 10, updatedAt: 20 });
      await repos.companionPosts.remove(C, 'ack:m1');
      expect(await repos.companionPosts.get(C, 'ack:m1')).toBeUndefined();
      const slots = await Promise.all([repos.companionPosts.claimIfIdle(C, 'slot', 'general', 100, 50), repos.companionPosts.claimIfIdle(C, 'slot', 'general', 100, 50)]);
      expect(slots.filter(Boolean)).toHaveLength(1);
      expect(await repos.companionPosts.claimIfIdle(C, 'slot', 'general', 120, 90)).toBe(false);
      expect(await repos.companionPosts.claimIfIdle(C, 'slot', 'general', 200, 150)).toBe(true);
    });

    it('same here: one per member and message, taken back only the way it was given', async () => {
      expect(await repos.sameHere.add(C, 'q', 'bo', 'reaction', 10)).toBe(true);
      expect(await repos.sameHere.add(C, 'q', 'bo', 'text', 11)).toBe(false);
      await repos.sameHere.add(C, 'q', 'cy', 'text', 12);
      await repos.sameHere.add(OTHER, 'q', 'dan', 'text', 12);
      expect(await repos.sameHere.count(C, 'q')).toBe(2);
      expect(await repos.sameHere.removeVia(C, 'q', 'bo', 'text')).toBe(false);
      expect(await repos.sameHere.removeVia(C, 'q', 'bo', 'reaction')).toBe(true);
      expect((await repos.sameHere.since(C, 0)).map((r) => r.memberId)).toEqual(['cy']);
      expect(await repos.sameHere.forMember(C, 'cy')).toHaveLength(1);
      expect(await repos.sameHere.deleteForMember(C, 'cy', ['q'])).toBe(1);
      expect(await repos.sameHere.count(OTHER, 'q')).toBe(1);
    });
  });

  describe('times', () => {
    // A clock advanced by a fraction (tests replay 490 joins over two hours) gives fractional
    // milliseconds: every store takes them, to within a millisecond.
    it('takes times with a fraction of a millisecond, in writes and in comparisons', async () => {
      const at = 1_767_603_673_469.387;
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, at);
      await repos.members.markJoined(C, 'ana', at);
      expect(await repos.members.markPosted(C, 'ana', at + 0.25)).toBe(true);
      await repos.messages.insert(C, message('m1', { createdAt: at }));
      await repos.tasks.schedule(C, 'nudge', 'nudge:ana', at + 0.5, {}, at);
      expect((await repos.tasks.due(at + 1, 'test:')).map((t) => t.key)).toEqual(['nudge:ana']);
      const member = await repos.members.get(C, 'ana');
      for (const time of [member?.firstSeenAt, member?.joinedAt, member?.firstPostAt, (await repos.messages.get(C, 'm1'))?.createdAt]) {
        expect(Math.abs((time ?? 0) - at)).toBeLessThanOrEqual(1);
      }
    });
  });

  describe('scheduled tasks', () => {
    it('a step is scheduled once and claimed by one runner', async () => {
      expect(await repos.tasks.schedule(C, 'nudge', 'nudge:ana', 100, { memberId: 'ana' }, 0)).toBe(true);
      expect(await repos.tasks.schedule(C, 'nudge', 'nudge:ana', 999, {}, 1)).toBe(false);
      expect(await repos.tasks.due(99, 'test:')).toEqual([]);
      const [task] = await repos.tasks.due(100, 'test:');
      expect(task).toMatchObject({ communityId: C, key: 'nudge:ana', payload: { memberId: 'ana' }, status: 'pending', attempts: 0 });
      const wins = await Promise.all([repos.tasks.claim(task.id, 100, 400), repos.tasks.claim(task.id, 100, 400)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repos.tasks.due(399, 'test:')).toEqual([]);
      await repos.tasks.complete(task.id, 150);
      expect(await repos.tasks.get(C, 'nudge:ana')).toMatchObject({ status: 'done', finishedAt: 150, leaseUntil: null });
      expect(await repos.tasks.claim(task.id, 500, 800)).toBe(false);
    });

    it('a step whose runner died is handed out again once its lease runs out', async () => {
      await repos.tasks.schedule(C, 'reping', 'reping:1', 100, {}, 0);
      const [task] = await repos.tasks.due(100, 'test:');
      expect(await repos.tasks.claim(task.id, 100, 400)).toBe(true);
      expect(await repos.tasks.claim(task.id, 399, 700)).toBe(false);
      expect((await repos.tasks.due(400, 'test:')).map((t) => t.id)).toEqual([task.id]);
      expect(await repos.tasks.claim(task.id, 400, 700)).toBe(true);
      // Claimed again while still running (its runner died): an attempt counted.
      expect((await repos.tasks.get(C, 'reping:1'))?.attempts).toBe(1);
      await repos.tasks.retry(task.id, 900, 'rate limited');
      expect(await repos.tasks.get(C, 'reping:1')).toMatchObject({ status: 'pending', dueAt: 900, attempts: 2, lastError: 'rate limited', leaseUntil: null });
      // claimDue counts the same way: a pending step claimed is no attempt, a running one whose lease ran out is.
      const [again] = await repos.tasks.claimDue(900, 'test:', 1000, 5);
      expect(again).toMatchObject({ id: task.id, attempts: 2, status: 'running' });
      const [third] = await repos.tasks.claimDue(1000, 'test:', 1100, 5);
      expect(third).toMatchObject({ id: task.id, attempts: 3 });
      await repos.tasks.fail(task.id, 'gave up', 950);
      expect(await repos.tasks.get(C, 'reping:1')).toMatchObject({ status: 'failed', lastError: 'gave up' });
    });

    it('a runner that outlived its lease finishes nothing once the step was claimed again', async () => {
      await repos.tasks.schedule(C, 'reping', 'reping:2', 100, {}, 0);
      const [first] = await repos.tasks.claimDue(100, 'test:', 400, 1); // runner A, until 400
      const [second] = await repos.tasks.claimDue(400, 'test:', 700, 1); // A is late: runner B takes it
      expect(second).toMatchObject({ id: first.id, leaseUntil: 700 });
      await repos.tasks.complete(first.id, 450, 400);
      await repos.tasks.retry(first.id, 900, 'late', 400);
      await repos.tasks.fail(first.id, 'late', 450, 400);
      expect(await repos.tasks.get(C, 'reping:2')).toMatchObject({ status: 'running', leaseUntil: 700, lastError: null });
      await repos.tasks.retry(first.id, 900, 'rate limited', 700);
      expect(await repos.tasks.get(C, 'reping:2')).toMatchObject({ status: 'pending', dueAt: 900, lastError: 'rate limited' });
      const [third] = await repos.tasks.claimDue(900, 'test:', 1200, 1);
      await repos.tasks.complete(third.id, 950, 1200);
      expect(await repos.tasks.get(C, 'reping:2')).toMatchObject({ status: 'done', finishedAt: 950 });
    });

    it('cancel stops a pending step only; due is filtered by community prefix and ordered by time', async () => {
      await repos.tasks.schedule(C, 'nudge', 'b', 20, {}, 0);
      await repos.tasks.schedule(C, 'nudge', 'a', 10, {}, 0);
      await repos.tasks.schedule('other:c', 'nudge', 'a', 5, {}, 0);
      await repos.tasks.schedule(C, 'nudge', 'c', 30, {}, 0);
      await repos.tasks.cancel(C, 'c', 1);
      expect((await repos.tasks.due(100, 'test:')).map((t) => t.key)).toEqual(['a', 'b']);
      expect((await repos.tasks.due(100, '')).map((t) => t.communityId)).toEqual(['other:c', C, C]);
      expect(await repos.tasks.get(C, 'c')).toMatchObject({ status: 'cancelled', finishedAt: 1 });
    });

    it('claimDue claims due steps of the prefix at once, by due time, and takes over an expired lease', async () => {
      await repos.tasks.schedule(C, 'nudge', 'late', 400, {}, 0);
      await repos.tasks.schedule(C, 'nudge', 'b', 20, {}, 0);
      await repos.tasks.schedule(C, 'nudge', 'a', 10, {}, 0);
      await repos.tasks.schedule('other:c', 'nudge', 'x', 5, {}, 0);
      const first = await repos.tasks.claimDue(100, 'test:', 400, 1);
      expect(first.map((t) => [t.key, t.status, t.leaseUntil])).toEqual([['a', 'running', 400]]);
      expect((await repos.tasks.claimDue(100, 'test:', 400, 10)).map((t) => t.key)).toEqual(['b']);
      expect(await repos.tasks.claimDue(399, 'test:', 700, 10)).toEqual([]);
      await repos.tasks.complete(first[0].id, 150);
      // b's runner died: its lease runs out at 400 and the next runner takes it (with 'late', now due).
      expect((await repos.tasks.claimDue(400, 'test:', 700, 10)).map((t) => [t.key, t.leaseUntil])).toEqual([
        ['b', 700],
        ['late', 700],
      ]);
      expect(await repos.tasks.get('other:c', 'x')).toMatchObject({ status: 'pending' });
      // A runner serving some communities only (a Discord shard) claims only theirs.
      await repos.tasks.schedule(OTHER, 'nudge', 'y', 10, {}, 0);
      await repos.tasks.schedule(C, 'nudge', 'z', 10, {}, 0);
      expect(await repos.tasks.claimDue(1000, 'test:', 1300, 10, [])).toEqual([]);
      expect((await repos.tasks.claimDue(1000, 'test:', 1300, 10, [OTHER])).map((t) => [t.communityId, t.key])).toEqual([[OTHER, 'y']]);
    });

    it('runners claiming at once never take the same step, and together take them all', async () => {
      for (let i = 0; i < 40; i++) await repos.tasks.schedule(C, 'nudge', `k${i}`, i, {}, 0);
      const runners = Array.from({ length: 8 }, async () => {
        const mine: string[] = [];
        for (;;) {
          const batch = await repos.tasks.claimDue(100, 'test:', 400, 3);
          if (batch.length === 0) return mine;
          mine.push(...batch.map((t) => t.key));
        }
      });
      const taken = (await Promise.all(runners)).flat();
      expect(taken).toHaveLength(40);
      expect(new Set(taken).size).toBe(40);
    });
  });

  describe('webhook events and CRM sync', () => {
    const event = (eventId: string, extra: Partial<Parameters<Repositories['webhookEvents']['enqueue']>[1]> = {}) => ({
      eventId,
      type: 'member.health.changed',
      memberId: 'ana',
      body: `{"id":"${eventId}"}`,
      createdAt: 100,
      ...extra,
    });

    it('enqueue once per event id; due now, oldest first; claim counts the attempt and one caller wins', async () => {
      expect(await repos.webhookEvents.enqueue(C, event('e1'))).toBe(true);
      expect(await repos.webhookEvents.enqueue(C, event('e1', { body: 'other' }))).toBe(false);
      await repos.webhookEvents.enqueue(OTHER, event('e2', { createdAt: 50 }));
      expect((await repos.webhookEvents.due(99)).map((e) => e.eventId)).toEqual(['e2']);
      const due = await repos.webhookEvents.due(100);
      expect(due.map((e) => e.eventId)).toEqual(['e2', 'e1']);
      expect(await repos.webhookEvents.get(C, 'e1')).toMatchObject({ body: '{"id":"e1"}', status: 'pending', attempts: 0, nextAttemptAt: 100 });
      const [, e1] = due;
      expect(await repos.webhookEvents.claim(e1.id, 100, 200)).toBe(true);
      expect(await repos.webhookEvents.claim(e1.id, 150, 250)).toBe(false);
      expect(await repos.webhookEvents.get(C, 'e1')).toMatchObject({ status: 'sending', attempts: 1, leaseUntil: 200 });
      expect((await repos.webhookEvents.due(150)).map((e) => e.eventId)).toEqual(['e2']);
      // The sender died: once its lease ran out the event is due again, and claimable.
      expect((await repos.webhookEvents.due(200)).map((e) => e.eventId)).toEqual(['e2', 'e1']);
      expect(await repos.webhookEvents.claim(e1.id, 200, 300)).toBe(true);
      expect((await repos.webhookEvents.get(C, 'e1'))?.attempts).toBe(2);
    });

    it('retry puts it back for later, delivered and failed are final', async () => {
      await repos.webhookEvents.enqueue(C, event('e1'));
      await repos.webhookEvents.enqueue(C, event('e2'));
      const [e1, e2] = await repos.webhookEvents.due(100);
      await repos.webhookEvents.claim(e1.id, 100, 200);
      await repos.webhookEvents.retry(e1.id, 500, 'HTTP 503');
      expect(await repos.webhookEvents.get(C, 'e1')).toMatchObject({ status: 'pending', nextAttemptAt: 500, leaseUntil: null, lastError: 'HTTP 503', attempts: 1 });
      expect((await repos.webhookEvents.due(499)).map((e) => e.eventId)).toEqual(['e2']);
      await repos.webhookEvents.claim(e2.id, 100, 200);
      await repos.webhookEvents.delivered(e2.id, 120);
      await repos.webhookEvents.claim(e1.id, 500, 600);
      await repos.webhookEvents.fail(e1.id, 'gave up', 510);
      expect(await repos.webhookEvents.due(10_000)).toEqual([]);
      expect(await repos.webhookEvents.get(C, 'e2')).toMatchObject({ status: 'delivered', deliveredAt: 120 });
      expect((await repos.webhookEvents.list(C, { status: ['failed'] })).map((e) => e.eventId)).toEqual(['e1']);
      expect(await repos.webhookEvents.claim(e2.id, 10_000, 10_100)).toBe(false);
    });

    it('deleteForMember removes that member\'s events in that community only', async () => {
      await repos.webhookEvents.enqueue(C, event('e1'));
      await repos.webhookEvents.enqueue(C, event('e2', { memberId: 'ben' }));
      await repos.webhookEvents.enqueue(OTHER, event('e3'));
      expect(await repos.webhookEvents.deleteForMember(C, 'ana')).toBe(1);
      expect((await repos.webhookEvents.list(C)).map((e) => e.eventId)).toEqual(['e2']);
      expect((await repos.webhookEvents.list(OTHER)).map((e) => e.eventId)).toEqual(['e3']);
    });

    it('setBody rewrites one event of that community only', async () => {
      await repos.webhookEvents.enqueue(C, event('e1'));
      const [e1] = await repos.webhookEvents.list(C);
      await repos.webhookEvents.setBody(OTHER, e1.id, 'wrong community');
      expect((await repos.webhookEvents.get(C, 'e1'))?.body).toBe('{"id":"e1"}');
      await repos.webhookEvents.setBody(C, e1.id, '{"id":"e1","x":null}');
      expect(await repos.webhookEvents.get(C, 'e1')).toMatchObject({ body: '{"id":"e1","x":null}', status: 'pending' });
    });

    it('crm sync rows: put replaces, scoped by community and sink', async () => {
      const row = (fingerprint: string, externalId: string | null = null, createdBySink = false) => ({ fingerprint, externalId, createdBySink });
      await repos.crmSync.put(C, 'hubspot', 'ana', row('f1', '901', true), 10);
      // Once created by the sink, always: a later put that found it there does not undo that.
      await repos.crmSync.put(C, 'hubspot', 'ana', row('f2', '901', false), 20);
      await repos.crmSync.put(C, 'webhook', 'ana', row('w1'), 20);
      await repos.crmSync.put(OTHER, 'hubspot', 'ana', row('x'), 20);
      expect(await repos.crmSync.list(C, 'hubspot')).toEqual([{ communityId: C, sink: 'hubspot', memberId: 'ana', fingerprint: 'f2', externalId: '901', createdBySink: true, syncedAt: 20 }]);
      expect((await repos.crmSync.list(OTHER, 'hubspot'))[0].createdBySink).toBe(false);
      // ...but only for that record: moved to another record (its person's email changed), the new value holds.
      await repos.crmSync.put(C, 'hubspot', 'ana', row('f3', '902', false), 30);
      expect((await repos.crmSync.list(C, 'hubspot'))[0]).toMatchObject({ externalId: '902', createdBySink: false });
      await repos.crmSync.put(C, 'hubspot', 'ana', row('f4', '903', true), 40);
      await repos.crmSync.put(C, 'hubspot', 'ana', row('f5', '903', false), 50);
      expect((await repos.crmSync.list(C, 'hubspot'))[0]).toMatchObject({ externalId: '903', createdBySink: true });
      await repos.crmSync.remove(C, 'hubspot', 'ana');
      expect(await repos.crmSync.list(C, 'hubspot')).toEqual([]);
      expect((await repos.crmSync.list(C, 'webhook')).map((r) => r.fingerprint)).toEqual(['w1']);
      expect((await repos.crmSync.list(OTHER, 'hubspot')).map((r) => r.fingerprint)).toEqual(['x']);
    });

    it('identity links: one row per pair whichever order, listed from either side, removed with an account', async () => {
      const ana = { communityId: C, memberId: 'ana' };
      const anad = { communityId: OTHER, memberId: 'anad' };
      expect(await repos.identityLinks.link(OTHER, 'anad', ana, 'moderator', 10)).toBe(true);
      // The same pair again, either way round: nothing new, and the first link's way stays.
      expect(await repos.identityLinks.link(C, 'ana', anad, 'email', 20)).toBe(false);
      const row = { communityId: C, memberId: 'ana', linkedCommunityId: OTHER, linkedMemberId: 'anad', via: 'moderator', createdAt: 10 };
      expect(await repos.identityLinks.forMember(C, 'ana')).toEqual([row]);
      expect(await repos.identityLinks.forMember(OTHER, 'anad')).toEqual([row]);
      expect(await repos.identityLinks.forMember(OTHER, 'ana')).toEqual([]);
      await repos.identityLinks.link(C, 'bo', { communityId: C, memberId: 'bob' }, 'member', 30);
      expect((await repos.identityLinks.list()).map((r) => `${r.memberId}-${r.linkedMemberId}`)).toEqual(['ana-anad', 'bo-bob']);
      expect(await repos.identityLinks.unlink(OTHER, 'anad')).toBe(1);
      expect(await repos.identityLinks.forMember(C, 'ana')).toEqual([]);
      expect((await repos.identityLinks.list()).map((r) => r.memberId)).toEqual(['bo']);
    });

    it('link codes: found by hash from any community, used once before expiry (of two uses at once one wins), a new one replaces the account\'s unused ones', async () => {
      const code = (codeHash: string, memberId = 'ana', extra = {}) => ({ codeHash, memberId, createdAt: 100, expiresAt: 400, ...extra });
      await repos.identityLinks.addCode(C, code('h1'));
      await repos.identityLinks.addCode(OTHER, code('h2', 'bob'));
      expect(await repos.identityLinks.getCode('h1')).toEqual({ codeHash: 'h1', communityId: C, memberId: 'ana', createdAt: 100, expiresAt: 400, usedAt: null });
      expect(await repos.identityLinks.useCode('h2', 400)).toBeUndefined(); // expired at 400
      const [first, second] = await Promise.all([repos.identityLinks.useCode('h1', 200), repos.identityLinks.useCode('h1', 201)]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(first ?? second).toMatchObject({ codeHash: 'h1', communityId: C, memberId: 'ana' });
      expect(await repos.identityLinks.useCode('h1', 300)).toBeUndefined();
      expect((await repos.identityLinks.getCode('h1'))?.usedAt).not.toBeNull();
      expect(await repos.identityLinks.useCode('unknown', 200)).toBeUndefined();
      // A new code for bob replaces his unused one; ana's used code stays (it says "used") until it expires.
      await repos.identityLinks.addCode(OTHER, code('h3', 'bob', { createdAt: 300, expiresAt: 600 }));
      expect(await repos.identityLinks.getCode('h2')).toBeUndefined();
      expect(await repos.identityLinks.getCode('h1')).toBeDefined();
      // Codes expired before a new one is made are dropped, used or not, whoever's.
      await repos.identityLinks.addCode(C, code('h4', 'cy', { createdAt: 500, expiresAt: 800 }));
      expect(await repos.identityLinks.getCode('h1')).toBeUndefined();
      expect((await repos.identityLinks.useCode('h3', 599))?.memberId).toBe('bob');
      // Forget-me: every code of the account goes, used or not; nobody else's.
      await repos.identityLinks.addCode(OTHER, code('h5', 'bob', { createdAt: 550, expiresAt: 900 }));
      expect(await repos.identityLinks.dropCodes(OTHER, 'bob')).toBe(2);
      expect(await repos.identityLinks.getCode('h3')).toBeUndefined();
      expect(await repos.identityLinks.getCode('h4')).toBeDefined();
    });

    it('accounts by email: any community, case and spaces aside, never an empty email', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana', email: 'Ana@Example.org' }, 0);
      await repos.members.upsert(OTHER, { id: 'ana2', name: 'Ana', email: ' ana@example.ORG ' }, 0);
      await repos.members.upsert(OTHER, { id: 'ann', name: 'Ana', email: 'ann@example.org' }, 0);
      await repos.members.upsert(OTHER, { id: 'none', name: 'Ana' }, 0);
      expect(await repos.identityLinks.accountsWithEmail('ANA@example.org')).toEqual([
        { communityId: C, memberId: 'ana' },
        { communityId: OTHER, memberId: 'ana2' },
      ]);
      expect(await repos.identityLinks.accountsWithEmail('  ')).toEqual([]);
    });
  });

  describe('pulse weeks', () => {
    const WEEK = 7 * 24 * 3_600_000;
    const week = (weekUntil: number, figures: unknown = { humanMessages: weekUntil / WEEK, ratio: 0.333, p50Ms: null, byClass: {} }) => ({ weekUntil, computedAt: weekUntil + 1, notCounted: 'abc', figures });

    it('keeps one row per week and community, in order, read by range', async () => {
      for (const n of [3, 1, 2]) await repos.pulseWeeks.put(C, week(n * WEEK), 0);
      await repos.pulseWeeks.put(OTHER, week(2 * WEEK), 0);
      expect(await repos.pulseWeeks.list(C, WEEK, 2 * WEEK)).toEqual([
        { communityId: C, ...week(WEEK) },
        { communityId: C, ...week(2 * WEEK) },
      ]);
      // Replaced, not added; the weeks before `dropBefore` go.
      await repos.pulseWeeks.put(C, { ...week(3 * WEEK, { humanMessages: 30 }), notCounted: 'def' }, 2 * WEEK);
      const kept = await repos.pulseWeeks.list(C, 0, 10 * WEEK);
      expect(kept.map((w) => [w.weekUntil, w.notCounted, w.figures])).toEqual([
        [2 * WEEK, 'abc', { humanMessages: 2, ratio: 0.333, p50Ms: null, byClass: {} }],
        [3 * WEEK, 'def', { humanMessages: 30 }],
      ]);
      expect(await repos.pulseWeeks.clear(C)).toBe(2);
      expect(await repos.pulseWeeks.list(C, 0, 10 * WEEK)).toEqual([]);
      expect(await repos.pulseWeeks.list(OTHER, 0, 10 * WEEK)).toHaveLength(1);
    });
  });

  describe('dashboard access', () => {
    const link = (tokenHash: string, extra = {}) => ({ tokenHash, memberId: 'mod', createdAt: 100, expiresAt: 400, ...extra });
    const session = (idHash: string, extra = {}) => ({ idHash, memberId: 'mod', createdAt: 100, expiresAt: 1000, ...extra });

    it('a link opens once, before it expires; of two uses at once one wins', async () => {
      await repos.dashboardAccess.addLink(C, link('h1'));
      await repos.dashboardAccess.addLink(C, link('h2'));
      expect(await repos.dashboardAccess.useLink('h2', 400)).toBeUndefined(); // expired at 400
      const [first, second] = await Promise.all([repos.dashboardAccess.useLink('h1', 200), repos.dashboardAccess.useLink('h1', 201)]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(first ?? second).toEqual({ tokenHash: 'h1', communityId: C, memberId: 'mod', createdAt: 100, expiresAt: 400, usedAt: first ? 200 : 201 });
      expect(await repos.dashboardAccess.useLink('h1', 300)).toBeUndefined();
      expect((await repos.dashboardAccess.getLink('h1'))?.usedAt).not.toBeNull();
      expect(await repos.dashboardAccess.useLink('unknown', 200)).toBeUndefined();
    });

    it('sessions are found until they expire and end one by one or all in one community', async () => {
      await repos.dashboardAccess.addSession(C, session('s1'));
      await repos.dashboardAccess.addSession(C, session('s2'));
      await repos.dashboardAccess.addSession(OTHER, session('s3'));
      await repos.dashboardAccess.addLink(C, link('unused'));
      await repos.dashboardAccess.addLink(OTHER, link('other-link'));
      expect(await repos.dashboardAccess.getSession('s1', 999)).toEqual({ idHash: 's1', communityId: C, memberId: 'mod', createdAt: 100, expiresAt: 1000 });
      expect(await repos.dashboardAccess.getSession('s1', 1000)).toBeUndefined();
      await repos.dashboardAccess.endSession('s1');
      expect(await repos.dashboardAccess.getSession('s1', 500)).toBeUndefined();
      expect(await repos.dashboardAccess.endAll(C)).toBe(1);
      expect(await repos.dashboardAccess.getSession('s2', 500)).toBeUndefined();
      expect(await repos.dashboardAccess.useLink('unused', 200)).toBeUndefined();
      expect(await repos.dashboardAccess.getSession('s3', 500)).toBeDefined();
      expect(await repos.dashboardAccess.useLink('other-link', 200)).toBeDefined();
    });

    it('purging expired links and sessions stays in its community', async () => {
      await repos.dashboardAccess.addLink(C, link('old', { expiresAt: 150 }));
      await repos.dashboardAccess.addSession(C, session('old-s', { expiresAt: 150 }));
      await repos.dashboardAccess.addSession(OTHER, session('other-s', { expiresAt: 150 }));
      await repos.dashboardAccess.purgeExpired(C, 200);
      expect(await repos.dashboardAccess.getLink('old')).toBeUndefined();
      expect(await repos.dashboardAccess.getSession('other-s', 100)).toBeDefined();
    });

    it('the communities with a session still open', async () => {
      expect(await repos.dashboardAccess.signedInCommunities(0)).toEqual([]);
      await repos.dashboardAccess.addSession(C, session('a', { expiresAt: 500 }));
      await repos.dashboardAccess.addSession(C, session('b', { expiresAt: 900 }));
      await repos.dashboardAccess.addSession(OTHER, session('c', { expiresAt: 300 }));
      expect((await repos.dashboardAccess.signedInCommunities(200)).sort()).toEqual([C, OTHER].sort());
      expect(await repos.dashboardAccess.signedInCommunities(300)).toEqual([C]); // expired at 300
      await repos.dashboardAccess.endAll(C);
      expect(await repos.dashboardAccess.signedInCommunities(300)).toEqual([]);
    });
  });

  describe('transactions', () => {
    it('commits every write when the callback resolves, and returns its value', async () => {
      const result = await repos.transaction(async (tx) => {
        await tx.settings.set(C, 'a', 1, 0);
        await tx.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
        // Inside, the transaction sees its own writes.
        expect(await tx.settings.all(C)).toEqual({ a: 1 });
        return 'done';
      });
      expect(result).toBe('done');
      expect(await repos.settings.all(C)).toEqual({ a: 1 });
      expect((await repos.members.get(C, 'ana'))?.name).toBe('Ana');
    });

    it('keeps nothing when the callback throws, and rethrows', async () => {
      await repos.settings.set(C, 'kept', true, 0);
      await expect(
        repos.transaction(async (tx) => {
          await tx.communities.ensure('test:new', 'test', 'New', 0);
          await tx.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
          await tx.channels.upsert(C, { id: 'general', name: 'general' }, 0);
          await tx.messages.insert(C, message('m1'));
          await tx.settings.unset(C, 'kept');
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await repos.communities.get('test:new')).toBeUndefined();
      expect(await repos.members.get(C, 'ana')).toBeUndefined();
      expect(await repos.channels.get(C, 'general')).toBeUndefined();
      expect(await repos.messages.get(C, 'm1')).toBeUndefined();
      expect(await repos.settings.all(C)).toEqual({ kept: true });
      // What was rolled back is written again when asked again (nothing remembers it as stored).
      await repos.communities.ensure('test:new', 'test', 'New', 0);
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.channels.upsert(C, { id: 'general', name: 'general' }, 0);
      expect(await repos.communities.get('test:new')).toBeDefined();
      expect(await repos.members.get(C, 'ana')).toBeDefined();
      expect(await repos.channels.get(C, 'general')).toBeDefined();
    });

    it('a concurrent write neither lands in the transaction nor is rolled back with it, and outside reads never see uncommitted rows', async () => {
      const inside = latch();
      const proceed = latch();
      let seenInside: Record<string, unknown> = {};
      const running = repos.transaction(async (tx) => {
        await tx.settings.set(C, 'mine', 1, 0);
        inside.open();
        await proceed.done;
        seenInside = await tx.settings.all(C);
        throw new Error('abort');
      });
      await inside.done;
      const write = repos.settings.set(C, 'theirs', 2, 0);
      const read = repos.settings.all(C);
      proceed.open();
      await expect(running).rejects.toThrow('abort');
      await write;
      expect(seenInside).toEqual({ mine: 1 });
      expect(await read).not.toHaveProperty('mine');
      expect(await repos.settings.all(C)).toEqual({ theirs: 2 });
    });

    it('a call already in flight when a transaction starts is not rolled back with it', async () => {
      // Several statements (the channel, then each membership): none may land in the transaction.
      const upsert = repos.channels.upsert(C, { id: 'staff', name: 'staff', visibility: 'private', memberIds: ['a', 'b', 'c'] }, 0);
      const running = repos.transaction(async (tx) => {
        await tx.settings.set(C, 'mine', 1, 0);
        throw new Error('abort');
      });
      await expect(running).rejects.toThrow('abort');
      await upsert;
      expect((await repos.channels.members(C, 'staff')).sort()).toEqual(['a', 'b', 'c']);
      expect(await repos.settings.all(C)).toEqual({});
    });

    it('transactions run one after another, each atomic', async () => {
      const bump = (tx: Transaction) =>
        tx.transaction(async (inner) => {
          const n = ((await inner.checkpoints.get<number>('counter')) ?? 0) + 1;
          await Promise.resolve();
          await inner.checkpoints.put('counter', n, 0);
        });
      await Promise.all(Array.from({ length: 5 }, () => repos.transaction(bump)));
      expect(await repos.checkpoints.get('counter')).toBe(5);
    });

    it('a nested transaction that throws undoes only its own writes', async () => {
      await repos.transaction(async (tx) => {
        await tx.settings.set(C, 'outer', 1, 0);
        await expect(
          tx.transaction(async (inner) => {
            await inner.settings.set(C, 'inner', 2, 0);
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
      });
      expect(await repos.settings.all(C)).toEqual({ outer: 1 });
    });
  });

  describe('bulk batches', () => {
    it('commit keeps the batch; rollback drops it, including what the batch remembered', async () => {
      await repos.channels.upsert(C, { id: 'general', name: 'general' }, 0);
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.begin();
      await repos.messages.insert(C, message('kept'));
      expect(await repos.members.markPosted(C, 'ana', 100)).toBe(true);
      await repos.commit();
      await repos.begin();
      await repos.messages.insert(C, message('dropped'));
      expect(await repos.members.markPosted(C, 'ana', 200)).toBe(false);
      await repos.communities.ensure('test:batch', 'test', 'Batch', 0);
      expect(await repos.messages.get(C, 'dropped')).toBeDefined();
      await repos.rollback();
      expect(await repos.messages.get(C, 'kept')).toBeDefined();
      expect(await repos.messages.get(C, 'dropped')).toBeUndefined();
      expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 100, lastPostAt: 100 });
      await repos.communities.ensure('test:batch', 'test', 'Batch', 0);
      expect(await repos.communities.get('test:batch')).toBeDefined();
    });

    it('tasks read by key in a batch follow every write of the batch, and a rollback', async () => {
      await repos.tasks.schedule(C, 'nudge', 'nudge:bo', 100, { memberId: 'bo' }, 0);
      await repos.begin();
      expect(await repos.tasks.get(C, 'nudge:ana')).toBeUndefined();
      expect(await repos.tasks.get(C, 'nudge:bo')).toMatchObject({ status: 'pending' });
      expect(await repos.tasks.schedule(C, 'nudge', 'nudge:ana', 100, { memberId: 'ana' }, 0)).toBe(true);
      expect(await repos.tasks.get(C, 'nudge:ana')).toMatchObject({ status: 'pending', payload: { memberId: 'ana' } });
      await repos.tasks.cancel(C, 'nudge:ana', 5);
      expect(await repos.tasks.get(C, 'nudge:ana')).toMatchObject({ status: 'cancelled' });
      const bo = (await repos.tasks.get(C, 'nudge:bo'))!;
      expect(await repos.tasks.claim(bo.id, 150, 200)).toBe(true);
      expect(await repos.tasks.get(C, 'nudge:bo')).toMatchObject({ status: 'running' });
      await repos.tasks.complete(bo.id, 160);
      expect(await repos.tasks.get(C, 'nudge:bo')).toMatchObject({ status: 'done' });
      await repos.rollback();
      expect(await repos.tasks.get(C, 'nudge:ana')).toBeUndefined();
      expect(await repos.tasks.get(C, 'nudge:bo')).toMatchObject({ status: 'pending' });
    });

    it('a transaction inside a batch that throws drops only its own writes', async () => {
      await repos.members.upsert(C, { id: 'ana', name: 'Ana' }, 0);
      await repos.begin();
      expect(await repos.members.markPosted(C, 'ana', 100)).toBe(true);
      await expect(
        repos.transaction(async (tx) => {
          await tx.members.markPosted(C, 'ana', 200);
          await tx.settings.set(C, 'inner', 1, 0);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 100, lastPostAt: 100 });
      await repos.commit();
      expect(await repos.members.get(C, 'ana')).toMatchObject({ firstPostAt: 100, lastPostAt: 100 });
      expect(await repos.settings.all(C)).toEqual({});
    });
  });
});
