import { describe, expect, it } from 'vitest';
import type { EventNotes, Feature } from '../../src/core/context';
import { openDatabase } from '../../src/db/connection';
import { harness } from '../helpers/harness';

describe('links feature', () => {
  it('stores the inferred parent and its discussion, and later features see it', async () => {
    const t = harness();
    const seen: EventNotes[] = [];
    // Peek at what a later feature receives.
    const spy: Feature = { onEvent: async (_e, notes) => void seen.push({ ...notes }) };
    (t.companion as unknown as { features: Feature[] }).features.push(spy);

    const question = await t.say('maya', 'How do I export my data?');
    t.clock.advance(t.minutes(1));
    const other = await t.say('lee', 'is the meetup on friday?');
    t.clock.advance(t.minutes(1));
    const answer = await t.say('sam', 'maya: Settings > Export');
    t.clock.advance(t.minutes(1));
    const thanks = await t.say('maya', 'that worked, thank you!');

    expect(await t.repos.messages.get(t.community, question)).toMatchObject({ replyTo: null, discussionId: question });
    expect(await t.repos.messages.get(t.community, other)).toMatchObject({ replyTo: null, discussionId: other });
    expect(await t.repos.messages.get(t.community, answer)).toMatchObject({ replyTo: question, replyInferred: true, discussionId: question });
    expect(await t.repos.messages.get(t.community, thanks)).toMatchObject({ replyTo: answer, replyInferred: true, discussionId: question });
    expect(seen.at(-1)?.message).toMatchObject({ id: thanks, replyTo: answer, replyInferred: true });
  });

  it('resolves display names and platform mentions to member ids', async () => {
    const t = harness();
    const post = (id: string, author: { id: string; name: string }, text: string, mentions?: string[]) => {
      t.clock.advance(t.minutes(1));
      return t.companion.handle({ type: 'message_posted', community: t.community, at: t.clock.now(), message: { id, channel: t.channel(), author, text, at: t.clock.now(), mentions } });
    };
    await post('q', { id: 'U1', name: 'Alice Smith' }, 'where do I find the API keys?');
    await post('x', { id: 'U2', name: 'Bo' }, 'lunch anyone?');
    await post('a1', { id: 'U3', name: 'Cy' }, 'Alice Smith: under Settings > Developer');
    await post('a2', { id: 'U4', name: 'Di' }, '<@U1> also in the docs', ['U1']);
    expect(await t.repos.messages.get(t.community, 'a1')).toMatchObject({ replyTo: 'q' });
    expect(await t.repos.messages.get(t.community, 'a2')).toMatchObject({ replyTo: 'q' });
  });

  it('a message in a thread joins the thread root, even when the root is in the parent channel', async () => {
    const t = harness();
    const root = await t.say('maya', 'Release planning for March');
    t.clock.advance(t.minutes(1));
    const inThread = await t.say('sam', 'I can write the changelog', {
      channel: t.channel('thread-1', { kind: 'thread', parentId: 'general' }),
      threadId: root,
    });
    expect(await t.repos.messages.get(t.community, inThread)).toMatchObject({ replyTo: root, replyInferred: true, discussionId: root });
  });

  it('keeps explicit replies as they are', async () => {
    const t = harness();
    const root = await t.say('maya', 'question one?');
    await t.say('lee', 'question two?');
    const reply = await t.say('sam', 'lee: answer', { replyTo: root });
    expect(await t.repos.messages.get(t.community, reply)).toMatchObject({ replyTo: root, replyInferred: false });
  });

  it('links historical imports too, and never across communities', async () => {
    const database = openDatabase(':memory:');
    const a = harness({ community: 'test:a', database });
    const b = harness({ community: 'test:b', database, clock: a.clock });
    await a.say('maya', 'how do I reset my password?', { id: 'q' });
    a.clock.advance(a.minutes(1));
    // Same channel id, same author names, other community: nothing to answer there.
    await b.companion.handle(
      { type: 'message_posted', community: 'test:b', at: b.clock.now(), message: { id: 'r', channel: b.channel(), author: b.member('sam'), text: 'maya: Settings > Reset', at: b.clock.now() } },
      { historical: true },
    );
    await a.companion.handle(
      { type: 'message_posted', community: 'test:a', at: a.clock.now(), message: { id: 'r', channel: a.channel(), author: a.member('sam'), text: 'maya: Settings > Reset', at: a.clock.now() } },
      { historical: true },
    );
    expect(await b.repos.messages.get('test:b', 'r')).toMatchObject({ replyTo: null, discussionId: 'r' });
    expect(await a.repos.messages.get('test:a', 'r')).toMatchObject({ replyTo: 'q', replyInferred: true, discussionId: 'q' });
    expect(a.platform.calls).toEqual([]);
  });

  it('uses only earlier messages: a back-filled older message does not link to newer ones', async () => {
    const t = harness();
    const later = t.clock.now();
    await t.say('maya', 'maya here, how do I upload?', { id: 'new', at: later });
    await t.companion.handle(
      { type: 'message_posted', community: t.community, at: later, message: { id: 'old', channel: t.channel(), author: t.member('sam'), text: 'maya: see the docs', at: later - t.minutes(5) } },
      { historical: true },
    );
    expect(await t.repos.messages.get(t.community, 'old')).toMatchObject({ replyTo: null });
  });

  it('infers the same parents from its kept window as from a fresh read of the database (restart)', async () => {
    const lines: [string, string][] = [
      ['maya', 'How do I export my data?'],
      ['lee', 'is the meetup on friday?'],
      ['sam', 'maya: Settings > Export'],
      ['ana', 'lee: yes, 6pm'],
      ['maya', 'that worked, thank you!'],
      ['lee', 'great, see you there'],
    ];
    const live = harness();
    const restarting = harness();
    let database = restarting.database;
    const ids: string[] = [];
    for (const [who, text] of lines) {
      ids.push(await live.say(who, text));
      // A new companion per message: its window is always loaded from the database.
      const fresh = harness({ database, clock: restarting.clock, community: restarting.community });
      await fresh.say(who, text, { id: ids.at(-1) });
      database = fresh.database;
      live.clock.advance(live.minutes(1));
      restarting.clock.advance(restarting.minutes(1));
    }
    for (const id of ids) {
      const a = await live.repos.messages.get(live.community, id);
      const b = await restarting.repos.messages.get(restarting.community, id);
      expect(a?.replyTo ?? null).toBe(b?.replyTo ?? null);
    }
  });

  it('never links to a message deleted without an event (forget-me), even if it was in the kept window', async () => {
    const t = harness();
    const question = await t.say('maya', 'How do I export my data?');
    t.clock.advance(t.minutes(1));
    await t.repos.messages.delete(t.community, question);
    const answer = await t.say('sam', 'maya: Settings > Export');
    expect((await t.repos.messages.get(t.community, answer))?.replyTo).not.toBe(question);
  });

  it('a titled message (forum post, thread opener) starts its own discussion', async () => {
    const t = harness();
    await t.say('maya', 'How do I export my calendar?');
    t.clock.advance(t.minutes(1));
    const post = await t.say('sam', 'Exporting a calendar to CSV', { title: 'Calendar export to CSV' });
    expect(await t.repos.messages.get(t.community, post)).toMatchObject({ replyTo: null, discussionId: post });
  });
});

