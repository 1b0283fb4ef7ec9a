/**
 * Reframing and thread resolution through the real discord.js client: replies, reactions and
 * members as Discord delivers them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computePulse } from '../../src/core/metrics';
import { waitFor } from '../helpers/wait';
import { discordCommunity, GUILD, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const replyTo = (id: string, channelId: string) => ({ type: 19, message_reference: { message_id: id, channel_id: channelId, guild_id: GUILD } });
const stored = (id: string) => waitFor(() => d!.repos.messages.get(d!.community, id), `message ${id} stored`);

describe('discord adapter: reframed debates and resolved threads', () => {
  it('a third member reframing a heated reply chain that then cools earns reframed_debate', async () => {
    d = await discordCommunity();
    const claim = d.fake.memberPosts(d.maya, d.general, 'We should drop the old API this month');
    await stored(claim.id);
    const heated = d.fake.memberPosts(d.owner, d.general, 'That is a ridiculous idea, you never think about users', replyTo(claim.id, d.general));
    await stored(heated.id);
    const reframe = d.fake.memberPosts(d.mod, d.general, 'You both want users to have a working API. Could we run a poll of the integrators first?');
    await stored(reframe.id);
    d.fake.memberPosts(d.owner, d.general, 'ok, I can draft the poll questions');
    const signals = await waitFor(async () => {
      const rows = await d!.repos.signals.list(d!.community, { kind: 'reframed_debate' });
      return rows.length === 2 ? rows : undefined;
    }, 'the reframe recorded');
    expect(signals.map((s) => [s.actorId, s.subjectId, s.messageId])).toEqual([
      [d.mod.id, d.owner.id, reframe.id],
      [d.mod.id, d.maya.id, reframe.id],
    ]);
  });

  it('the asker’s ✅ on a reply resolves the question; the server owner answering counts as staff', async () => {
    d = await discordCommunity();
    const q = d.fake.memberPosts(d.maya, d.help, 'How do I export my calendar to CSV?');
    await stored(q.id);
    const a = d.fake.memberPosts(d.owner, d.help, 'Settings, then Export, then choose CSV', replyTo(q.id, d.help));
    await stored(a.id);
    d.fake.dispatch('MESSAGE_REACTION_ADD', {
      user_id: d.maya.id, channel_id: d.help, message_id: a.id, guild_id: GUILD,
      emoji: { id: null, name: '✅' }, member: d.fake.memberPayload({ user: d.maya, roles: [] }), burst: false, type: 0,
    });
    await waitFor(async () => (await d!.repos.signals.list(d!.community, { kind: 'helped' })).find((s) => s.dedupeKey === `helped:accepted:${a.id}`), 'the accepted answer');
    const now = d.clock.now();
    const m = await computePulse(d.service.companion.core, d.community, { since: now - 86_400_000, until: now + 86_400_000 });
    expect(m.resolution).toMatchObject({ questions: 1, resolvedByStaff: 1, resolvedByMember: 0, byHow: { accepted: 1 } });
  });
});
