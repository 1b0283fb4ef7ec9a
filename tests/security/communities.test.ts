/**
 * Every query is scoped to its community. Two communities share one database, with the same
 * member names, the same message ids (both harnesses number messages m1, m2, ...) and
 * similar conversations; every path tries to reach across and must not.
 */
import { describe, expect, it } from 'vitest';
import { HOUR, ManualClock } from '../../src/core/clock';
import { openDatabase } from '../../src/db/connection';
import { harness, type Harness } from '../helpers/harness';

function twoCommunities() {
  const database = openDatabase(':memory:');
  const clock = new ManualClock();
  const a = harness({ community: 'test:a', database, clock });
  const b = harness({ community: 'test:b', database, clock });
  return { a, b };
}

/** A password question, an answer and a thank-you; `flavour` makes each community's text unique. */
async function passwordStory(t: Harness, flavour: string) {
  const q = await t.say('maya', `Is the password reset broken for anyone else? The ${flavour} link gives a 502`, { channelId: 'help' });
  await t.say('sam', `Clear the cookies for the ${flavour} domain and retry the password reset`, { channelId: 'help', replyTo: q });
  t.clock.advance(2 * HOUR);
  return q;
}

describe('two communities in one database', () => {
  it('the same message ids stay two different messages', async () => {
    const { a, b } = twoCommunities();
    const qa = await passwordStory(a, 'alpha');
    const qb = await passwordStory(b, 'bravo');
    expect(qa).toBe(qb); // same id, different communities
    expect((await a.repos.messages.get(a.community, qa))?.text).toContain('alpha');
    expect((await b.repos.messages.get(b.community, qb))?.text).toContain('bravo');
  });

  it('/related and unasked suggestions only find discussions of the asking community', async () => {
    const { a, b } = twoCommunities();
    await passwordStory(b, 'bravo');
    const reply = await a.command('lee', 'related', { question: 'password reset link gives a 502' });
    expect(reply.text).toMatch(/Nothing close enough/);
    expect(reply.text).not.toContain('bravo');
    await a.say('lee', 'Why does the password reset link give a 502?', { channelId: 'help' });
    expect(JSON.stringify(a.platform.calls)).not.toContain('bravo');
  });

  it('"same here" counts only within the community, even for an identical message id', async () => {
    const { a, b } = twoCommunities();
    const qa = await passwordStory(a, 'alpha');
    const qb = await passwordStory(b, 'bravo');
    await b.say('zoe', 'same here', { channelId: 'help', replyTo: qb });
    await b.say('kim', 'me too', { channelId: 'help', replyTo: qb });
    expect(await b.repos.sameHere.count(b.community, qb)).toBe(2);
    expect(await a.repos.sameHere.count(a.community, qa)).toBe(0);
    await a.say('zoe', 'same here', { channelId: 'help', replyTo: qa });
    expect(await a.repos.sameHere.count(a.community, qa)).toBe(1);
    expect(await b.repos.sameHere.count(b.community, qb)).toBe(2);
  });

  it('an escalation cannot be claimed or resolved from another community by its number', async () => {
    const { a, b } = twoCommunities();
    await a.command('maya', 'human', { reason: 'I was charged twice' });
    const [open] = await a.repos.escalations.list(a.community);
    expect(open.status).toBe('open');
    const claim = await b.press('mod', 'escalation:claim', String(open.id));
    expect(claim?.text).not.toMatch(/You claimed/);
    const resolve = await b.command('mod', 'resolve', { id: open.id, note: 'closed from elsewhere' });
    expect(resolve.text).toMatch(/does not exist/);
    const [after] = await a.repos.escalations.list(a.community);
    expect(after).toMatchObject({ id: open.id, status: 'open', claimedBy: null, resolvedBy: null });
    expect(b.platform.of('dm')).toEqual([]); // nobody in A was told anything by B
    // Within A it works.
    expect((await a.press('mod', 'escalation:claim', String(open.id)))?.text).toMatch(/You claimed request/);
  });

  it('/pulse and /summarize of one community are untouched by the other', async () => {
    const { a, b } = twoCommunities();
    await passwordStory(a, 'alpha');
    const before = await a.command('mod', 'pulse', { days: 7 });
    const now = a.clock.now();
    for (let i = 0; i < 5; i++) {
      await b.join(`new${i}`);
      await passwordStory(b, `bravo${i}`);
    }
    await b.command('ola', 'human', { reason: 'refund please' });
    a.clock.set(now); // the same moment, so only B's activity could change A's figures
    const after = await a.command('mod', 'pulse', { days: 7 });
    expect(after.text).toBe(before.text);
    const summary = await a.command('maya', 'summarize', {}, { channel: a.channel('help') });
    expect(summary.text).not.toContain('bravo');
    expect(summary.text).not.toContain('refund');
  });

  it('forget-me in one community leaves the same member id in the other alone', async () => {
    const { a, b } = twoCommunities();
    const qa = await passwordStory(a, 'alpha');
    const qb = await passwordStory(b, 'bravo');
    const reply = await b.command('maya', 'forget-me');
    const [button] = reply.buttons ?? [];
    await b.press('maya', button.action, button.value, 'general');
    expect((await b.repos.messages.get(b.community, qb))?.text ?? '').not.toContain('bravo');
    expect((await a.repos.messages.get(a.community, qa))?.text).toContain('alpha');
    expect((await a.repos.members.get(a.community, 'maya'))?.analyticsOptOut).toBeFalsy();
    const related = await a.command('lee', 'related', { question: 'password reset link 502 alpha' });
    expect(related.text).toContain(`/help/${qa}`);
  });

  it('settings of one community never apply to the other', async () => {
    const { a, b } = twoCommunities();
    await b.command('mod', 'hearth-config', { setting: 'welcomeMode', value: 'dm' });
    expect((await b.core.settings.get(b.community)).welcomeMode).toBe('dm');
    expect((await a.core.settings.get(a.community)).welcomeMode).not.toBe('dm');
  });
});
