/**
 * Private-channel content never reaches people outside the channel: not through /related,
 * the unasked suggestions and "am I the only one?" replies (posted where everyone in that
 * channel reads them), /summarize, /suggest-reply, risk flags, the welcomer's first-post
 * notice, nor the weekly digest.
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock';
import { harness, type Harness } from '../helpers/harness';

const SECRET = 'payroll export';

/** #staff is private to maya and mod; sam and lee discussed a payroll export question there. */
function staff(t: Harness) {
  return t.channel('staff', { visibility: 'private', memberIds: ['maya', 'mod', 'sam', 'lee'] });
}

async function privateDiscussion(t: Harness) {
  const root = await t.say('sam', `How do I run the ${SECRET} when the payroll export button is greyed out?`, { channel: staff(t) });
  await t.say('lee', 'The payroll export needs the finance role; ask Olive for it.', { channel: staff(t), replyTo: root });
  t.clock.advance(2 * DAY);
  return root;
}

const everything = (t: Harness) => JSON.stringify(t.platform.calls);

describe('private channels: search and suggestions', () => {
  it('/related shows a private discussion to its members only', async () => {
    const t = harness();
    const root = await privateDiscussion(t);
    const outsider = await t.command('zoe', 'related', { question: 'payroll export button greyed out' });
    expect(outsider.text).toMatch(/Nothing close enough/);
    expect(outsider.text).not.toContain(root);
    const member = await t.command('maya', 'related', { question: 'payroll export button greyed out' });
    expect(member.visibility).toBe('ephemeral');
    expect(member.text).toContain(`https://chat.test/staff/${root}`);
  });

  it('an unasked suggestion in a public help channel never points into a private channel, even for a member of it', async () => {
    const t = harness();
    await privateDiscussion(t);
    // maya can read #staff, but everyone in #help reads the reply.
    await t.say('maya', 'Why is the payroll export button greyed out for me?', { channelId: 'help' });
    expect(everything(t)).not.toContain('staff');
    expect(everything(t)).not.toContain(SECRET);
    expect(everything(t)).not.toContain('finance role');
  });

  it('suggestions inside the private channel may use that channel', async () => {
    const t = harness({ settings: { helpChannels: ['help', 'staff'] } });
    const root = await privateDiscussion(t);
    await t.say('maya', 'Why is the payroll export button greyed out for me?', { channel: staff(t) });
    const [reply] = t.platform.of('reply');
    expect(reply?.message.text).toContain(`https://chat.test/staff/${root}`);
  });

  it('"am I the only one?" in a public channel never names a private mention', async () => {
    const t = harness();
    await t.say('sam', 'The payroll export crashes on Safari after the update', { channel: staff(t) });
    t.clock.advance(HOUR);
    await t.say('maya', 'Am I the only one seeing the payroll export crash on Safari?', { channelId: 'general' });
    expect(t.platform.of('reply')).toEqual([]);
    expect(everything(t)).not.toContain('staff');
  });
});

describe('private channels: AI assists, flags and notices', () => {
  it('/summarize refuses a private discussion to a non-member, and a channel summary skips nothing it should not see', async () => {
    const t = harness();
    const root = await privateDiscussion(t);
    const target = { id: root, channel: staff(t), author: t.member('sam'), text: 'x', at: t.clock.now() };
    const refused = await t.command('zoe', 'Summarize discussion', {}, { target });
    expect(refused.visibility).toBe('ephemeral');
    expect(refused.text).not.toContain(SECRET);
    expect(refused.text).not.toContain('finance role');
    await t.say('zoe', 'Anyone up for lunch?', { channelId: 'general' });
    const general = await t.command('zoe', 'summarize', {});
    expect(general.text).not.toContain(SECRET);
    expect(general.text).not.toContain('finance role');
  });

  it('/suggest-reply refuses a moderator who cannot read the message', async () => {
    const t = harness();
    t.moderators.add('olive');
    const root = await privateDiscussion(t);
    const reply = await t.command('olive', 'suggest-reply', { message: root });
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.text).not.toContain(SECRET);
    expect(reply.text).not.toContain('greyed out');
  });

  it('a risk flag on a private message links without quoting it', async () => {
    const t = harness();
    await t.say('maya', 'This is ridiculous, the payroll export is broken again', { channel: staff(t) });
    const [flag] = t.platform.of('notifyModerators');
    expect(flag?.message.text).toContain('private channel');
    expect(everything(t)).not.toContain(SECRET);
  });

  it("the welcomer's first-post notice does not quote a private first post", async () => {
    const t = harness();
    await t.command('sam', 'welcomer', { state: 'on' });
    await t.join('nia');
    t.platform.clear();
    await t.say('nia', `hi, quick ${SECRET} question`, { channel: t.channel('onboarding', { visibility: 'private', memberIds: ['nia', 'mod'] }) });
    expect(t.platform.of('dm').map((d) => d.message.text)).toEqual(['First time <@nia> has posted — say hello!']);
    expect(everything(t)).not.toContain(SECRET);
  });

  it('the weekly digest carries figures and names, never message text', async () => {
    const t = harness();
    const root = await t.say('nia', `Where is the ${SECRET} guide?`, { channel: staff(t) });
    t.clock.advance(HOUR);
    await t.say('sam', 'Pinned in this channel, the payroll export one', { channel: staff(t), replyTo: root });
    t.clock.advance(7 * DAY);
    await t.core.features.signals.postWeeklyDigest(t.community);
    expect(t.platform.calls.length).toBeGreaterThan(0);
    expect(everything(t)).not.toContain(SECRET);
    expect(everything(t)).not.toContain('Pinned in this channel');
  });
});
