import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

describe('claiming a request', () => {
  it('does not tell the moderator the requester was told when nothing reached them', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    t.platform.failNext.ephemeral = 1;
    t.platform.failNext.dm = 1; // closed DMs, left the channel
    const reply = await t.press('mod', 'escalation:claim', '1');
    expect(reply?.text).toMatch(/You claimed request #1/);
    expect(reply?.text).not.toMatch(/has been told/);
    expect(reply?.text).toMatch(/couldn't tell <@maya>/);
    // The claim itself stands.
    expect(await t.repos.escalations.get(t.community, 1)).toMatchObject({ status: 'claimed', claimedBy: 'mod' });
  });

  it('says the requester was told when the DM fallback reached them', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    t.platform.failNext.ephemeral = 1;
    const reply = await t.press('mod', 'escalation:claim', '1');
    expect(reply?.text).toMatch(/has been told you're on it/);
    expect(t.platform.of('dm').map((c) => c.memberId)).toEqual(['maya']);
  });
});

describe('claiming your own request', () => {
  it('a moderator cannot claim the request they opened: follow-ups go on until someone else does', async () => {
    const t = harness();
    t.moderators.add('lee');
    await t.command('lee', 'human', { reason: 'I am being harassed in DMs' });
    const reply = await t.press('lee', 'escalation:claim', '1');
    expect(reply?.text).toMatch(/your own request/);
    expect(await t.repos.escalations.get(t.community, 1)).toMatchObject({ status: 'open', claimedBy: null });
    expect(await t.repos.signals.list(t.community, { kind: 'escalation_claimed' })).toHaveLength(0);
    expect(t.platform.of('ephemeral').filter((c) => c.memberId === 'lee')).toHaveLength(0);
    await t.advance(t.minutes(10));
    expect(t.platform.of('notifyModerators').map((p) => p.message.text.split(':**')[0])).toContain('**Still unclaimed');
    expect((await t.press('mod', 'escalation:claim', '1'))?.text).toMatch(/You claimed request #1/);
  });
});

describe('asking again after a claim', () => {
  it('a repeat on a claimed request reaches the moderator who claimed it', async () => {
    const t = harness();
    await t.command('maya', 'human', { reason: 'my export is broken' });
    await t.press('mod', 'escalation:claim', '1');
    t.platform.clear();
    t.clock.advance(2 * 24 * 60 * 60_000); // two days later, nobody came
    const reply = await t.command('maya', 'human', { reason: 'still waiting, can anyone help?' });
    const pings = t.platform.of('notifyModerators');
    expect(pings).toHaveLength(1);
    expect(pings[0].audience.userIds).toEqual(['mod']);
    expect(pings[0].message.text).toContain('still waiting, can anyone help?');
    expect(reply.text).toMatch(/<@mod>/);
    // Member text stays inert, and a quick repeat does not ping the claimer again.
    await t.command('maya', 'human', { reason: '@everyone <@&42> hello??' });
    expect(t.platform.of('notifyModerators')).toHaveLength(1);
  });

  it('member text in the reminder cannot ping anyone', async () => {
    const { hasMassMention } = await import('../../src/core/text/mentions');
    const t = harness();
    await t.command('maya', 'human', { reason: 'help' });
    await t.press('mod', 'escalation:claim', '1');
    t.clock.advance(t.minutes(60));
    await t.command('maya', 'human', { reason: '@everyone <@&42> <!here> hello??' });
    const [reminder] = t.platform.of('notifyModerators').slice(-1);
    expect(reminder.audience).toEqual({ channelId: 'mods', roleIds: [], userIds: ['mod'] });
    expect(hasMassMention(reminder.message.text)).toBe(false);
  });
});

describe('pressing Claim on a request someone else resolved', () => {
  it('names the moderator who resolved it, not the one who claimed it', async () => {
    const t = harness();
    t.moderators.add('lee');
    t.moderators.add('sam');
    await t.command('maya', 'human', { reason: 'help' });
    await t.press('mod', 'escalation:claim', '1');
    await t.press('lee', 'escalation:resolve', '1');
    const reply = await t.press('sam', 'escalation:claim', '1');
    expect(reply?.text).toBe('Request #1 is already resolved by <@lee>.');
  });
});
