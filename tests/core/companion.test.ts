import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

describe('companion core loop', () => {
  it('stores a posted message with its channel and author, scoped to the community', async () => {
    const t = harness();
    const id = await t.say('maya', 'hello everyone');
    const row = await t.repos.messages.get(t.community, id);
    expect(row).toMatchObject({ text: 'hello everyone', authorId: 'maya', channelId: 'general', discussionId: id });
    expect(await t.repos.members.get(t.community, 'maya')).toMatchObject({ name: 'maya', firstPostAt: t.clock.now() });
    expect(await t.repos.messages.get('test:other', id)).toBeUndefined();
  });

  it('treats a replayed message event as a duplicate and acts once', async () => {
    const t = harness();
    await t.say('maya', 'hello', { id: 'same' });
    const again = await t.companion.handle({
      type: 'message_posted',
      community: t.community,
      at: t.clock.now(),
      message: { id: 'same', channel: t.channel(), author: t.member('maya'), text: 'hello', at: t.clock.now() },
    });
    expect(again).toMatchObject({ ok: true, notes: { duplicate: true } });
  });

  it('rejects a malformed event with a clear error and records nothing', async () => {
    const t = harness();
    const result = await t.companion.handle({ type: 'message_posted', community: t.community, at: 1, message: { id: '', text: 'x' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/malformed message_posted event: message\./);
    expect(await t.repos.communities.get(t.community)).toBeUndefined();
  });

  it('keeps replies in the discussion of the message they answer', async () => {
    const t = harness();
    const root = await t.say('maya', 'How do I export my data?');
    const answer = await t.say('sam', 'Settings > Export', { replyTo: root });
    const thanks = await t.say('maya', 'thank you!', { replyTo: answer });
    expect((await t.repos.messages.get(t.community, thanks))?.discussionId).toBe(root);
  });

  it('edits update and deletes remove the stored text', async () => {
    const t = harness();
    const id = await t.say('maya', 'typo');
    await t.edit(id, 'fixed');
    expect((await t.repos.messages.get(t.community, id))?.text).toBe('fixed');
    await t.remove(id);
    expect(await t.repos.messages.get(t.community, id)).toBeUndefined();
  });

  it('an edit, delete or reaction names a message of its own channel: another channel\'s message with that id is left alone', async () => {
    // Message ids are not unique across channels on every platform (Slack's ts is per channel;
    // Slack ids stored before drizzle/0010 are bare ts).
    const t = harness();
    const id = await t.say('maya', 'Is the dashboard blank for anyone else?', { channelId: 'help' });
    await t.edit(id, 'private words from another channel', 'staff');
    expect((await t.repos.messages.get(t.community, id))?.text).toBe('Is the dashboard blank for anyone else?');
    await t.remove(id, 'staff');
    expect(await t.repos.messages.get(t.community, id)).toBeDefined();
    await t.react('sam', id, '➕', 'staff');
    await t.react('sam', id, '🙏', 'staff');
    expect(await t.repos.sameHere.count(t.community, id)).toBe(0);
    expect(await t.repos.signals.list(t.community, { kind: 'thanked' })).toEqual([]);
    // In its own channel, all three reach it.
    await t.react('sam', id, '➕', 'help');
    expect(await t.repos.sameHere.count(t.community, id)).toBe(1);
    await t.edit(id, 'edited', 'help');
    expect((await t.repos.messages.get(t.community, id))?.text).toBe('edited');
    await t.remove(id, 'help');
    expect(await t.repos.messages.get(t.community, id)).toBeUndefined();
  });

  it('contains a failing feature: the event is still recorded and the process survives', async () => {
    const t = harness();
    t.platform.failNext.post = 1;
    const result = await t.join('maya');
    expect(result.ok).toBe(true);
    expect(await t.repos.members.get(t.community, 'maya')).toMatchObject({ joinedAt: t.clock.now() });
  });

  it('checks moderator-only commands in the core', async () => {
    const t = harness();
    const denied = await t.command('maya', 'hearth-config', {});
    expect(denied.text).toMatch(/for moderators/);
    const allowed = await t.command('mod', 'hearth-config', {});
    expect(allowed.text).toMatch(/welcomeTemplate/);
  });

  it('validates /hearth-config values and stores them per community', async () => {
    const t = harness();
    expect((await t.command('mod', 'hearth-config', { setting: 'firstQuestionWait', value: 'soon' })).text).toMatch(/Could not set firstQuestionWait: invalid duration/);
    expect((await t.command('mod', 'hearth-config', { setting: 'firstQuestionWait', value: '45m' })).text).toMatch(/now 45m/);
    expect((await t.core.settings.get(t.community)).firstQuestionWait).toBe(45 * 60_000);
    expect((await t.core.settings.get('test:elsewhere')).firstQuestionWait).toBe(30 * 60_000);
  });
});

describe('private channels', () => {
  it('only members can read a private channel, threads inherit it, unknown channels fail closed', async () => {
    const t = harness();
    await t.say('ana', 'secret plans', { channel: t.channel('staff', { visibility: 'private', memberIds: ['ana'] }) });
    await t.say('ana', 'in a thread', { channel: t.channel('staff-thread', { kind: 'thread', parentId: 'staff' }) });
    expect(await t.repos.channels.canRead(t.community, 'staff', 'ana')).toBe(true);
    expect(await t.repos.channels.canRead(t.community, 'staff', 'bob')).toBe(false);
    expect(await t.repos.channels.canRead(t.community, 'staff-thread', 'bob')).toBe(false);
    expect(await t.repos.channels.canRead(t.community, 'nowhere', 'ana')).toBe(false);
  });
});

describe('historical events (import, backfill)', () => {
  it('are recorded but never answered', async () => {
    const t = harness();
    const result = await t.companion.handle(
      { type: 'member_joined', community: t.community, at: t.clock.now(), member: t.member('old-timer'), welcomeChannelId: 'general' },
      { historical: true },
    );
    expect(result).toMatchObject({ ok: true, notes: { historical: true } });
    expect(await t.repos.members.get(t.community, 'old-timer')).toBeTruthy();
    expect(t.platform.calls).toEqual([]);
  });
});
