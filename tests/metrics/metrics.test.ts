import { describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { absenceFactor, compareIds, compareIdsAmong, computePulse, inRange, localHour, longestChain } from '../../src/core/metrics';
import { renderPulseCard } from '../../src/core/metrics/card';
import { harness, type Harness } from '../helpers/harness';
import { readStarts } from '../helpers/reads';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (t: Harness, ms: number) => t.clock.set(T0 + ms);

/**
 * One day in a small community, with every figure known in advance:
 * - nina, ola, kim join at 09:00; sam is an existing member; ci-bot is a bot.
 * - 4 questions: nina's (sam answers in 10m), ola's (sam answers in its thread in 30m),
 *   kim's (only the bot and kim herself reply: unanswered), nina's second (ola answers in 2h).
 * - welcomes come from the live welcome feature: sam's reply to nina (10m) and in ola's
 *   thread (90m), ola's (unkind) reply to kim (126m); the bot's reply to kim never counts.
 * - two heated exchanges; one is repaired.
 * - two requests for a human: one claimed after 4 minutes, one still open.
 */
async function day() {
  const t = harness();
  t.bots.add('ci-bot');
  at(t, -DAY);
  await t.say('sam', 'morning everyone, the release went out');
  at(t, 0);
  for (const m of ['nina', 'ola', 'kim']) await t.join(m);

  // Each conversation has its own channel, so the figures do not depend on reply inference.
  const q1 = await t.say('nina', 'How do I reset my password?', { channelId: 'accounts' });
  at(t, 10 * MINUTE);
  const a1 = await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q1, channelId: 'accounts' });
  at(t, 12 * MINUTE);
  await t.say('nina', 'thanks sam!', { replyTo: a1, channelId: 'accounts' });

  at(t, HOUR);
  const q2 = await t.say('ola', 'is there a dark mode anywhere', { channelId: 'design' });
  at(t, HOUR + 30 * MINUTE);
  await t.say('sam', 'Yes: Appearance, then Theme, then Dark', { threadId: q2, channelId: 'design' });

  at(t, 2 * HOUR);
  const q3 = await t.say('kim', 'my upload fails with error 413', { channelId: 'uploads' });
  at(t, 2 * HOUR + MINUTE);
  await t.say('ci-bot', 'Automated hint: uploads are limited to 10 MB', { replyTo: q3, channelId: 'uploads' });
  await t.say('kim', 'it is a 12 MB file by the way', { replyTo: q3, channelId: 'uploads' });
  const hello = await t.say('kim', 'good morning all', { channelId: 'random' });
  at(t, 2 * HOUR + 6 * MINUTE);
  await t.say('ola', 'shut up, nobody cares', { replyTo: hello, channelId: 'random' });

  at(t, 3 * HOUR);
  const q4 = await t.say('nina', 'Why does the export take so long?', { channelId: 'exports' });
  const news = await t.say('nina', 'I pushed the fix to main', { channelId: 'dev' });
  at(t, 3 * HOUR + 5 * MINUTE);
  await t.say('sam', 'WHAT DID YOU DO TO MAIN, SERIOUSLY', { replyTo: news, channelId: 'dev' });
  at(t, 4 * HOUR);
  await t.say('sam', 'sorry nina, I overreacted', { replyTo: news, channelId: 'dev' });
  at(t, 5 * HOUR);
  await t.say('ola', 'It exports everything at once; filter by date first', { replyTo: q4, channelId: 'exports' });

  at(t, 6 * HOUR);
  await t.command('nina', 'human', { reason: 'billing question' });
  at(t, 6 * HOUR + 4 * MINUTE);
  await t.press('mod', 'escalation:claim', '1');
  at(t, 7 * HOUR);
  await t.command('kim', 'human', { reason: 'still cannot upload' });
  at(t, 8 * HOUR);
  return t;
}

describe('computePulse on a known day', () => {
  it('time to first human response and the unanswered share', async () => {
    const t = await day();
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.firstResponse).toEqual({ questions: 4, answered: 3, unanswered: 1, unansweredShare: 0.25, p50Ms: 30 * MINUTE, p90Ms: 2 * HOUR });
  });

  it('without thread resolution, every other figure is the same, and the weeks before the window are not read', async () => {
    const t = await day();
    const window = { since: T0, until: T0 + DAY };
    const { resolution, lists, ...full } = await computePulse(t.core, t.community, window);
    const { unresolvedQuestions, ...otherLists } = lists;
    const rows = vi.spyOn(t.repos.messages, 'inWindow');
    const shapes = vi.spyOn(t.repos.messages, 'shapesInWindow');
    const helps = vi.spyOn(t.repos.signals, 'list');
    const light = await computePulse(t.core, t.community, window, { resolution: false });
    expect(light).toEqual({ ...full, lists: otherLists });
    expect(JSON.stringify(Object.keys(light))).toBe(JSON.stringify(Object.keys(full).concat('lists')));
    // Only shapes (no reply's text): the window, and newcomers' later posts; helps as who and when.
    expect(rows).not.toHaveBeenCalled();
    expect(readStarts(shapes.mock.calls).map((r) => r.since)).toEqual([T0, T0 + DAY]);
    expect(helps.mock.calls.map(([, options]) => options?.kind)).not.toContain('helped');
    expect(resolution.questions).toBe(4);
    void unresolvedQuestions;
  });

  it('welcome ratio, time to first welcome and newcomer return', async () => {
    const t = await day();
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + 2 * DAY });
    expect(m.welcome).toEqual({ newcomers: 3, welcomedWithin24h: 3, ratio: 1, timeToFirstWelcomeP50Ms: 90 * MINUTE, timeToFirstWelcomeP90Ms: 126 * MINUTE });
    // nina (3h later) and ola (5h later) posted again; kim only within the same hour.
    expect(m.newcomerReturn).toEqual({ posted: 3, returned: 2, rate: 0.667 });
  });

  it('helper load, absence factor, returning helpers, thanks, mentorship and repair', async () => {
    const t = await day();
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.helping).toMatchObject({ helps: 3, helpers: 2, topHelperShare: 0.667, absenceFactor: 1 });
    expect(m.helping.load.map((h) => [h.member, h.helps])).toEqual([
      ['sam', 2],
      ['ola', 1],
    ]);
    expect(m.thanks).toEqual({ count: 1 });
    // sam helped ola, then ola helped nina: one link, a chain of three members.
    expect(m.mentorship).toEqual({ links: 1, longestChain: 3 });
    expect(m.repair).toEqual({ conflicts: 2, repaired: 1, share: 0.5 });
    expect(m.returningHelpers.count).toBe(0);
    expect(m.burnout.atRisk).toEqual([]);
  });

  it('escalations and the four lists', async () => {
    const t = await day();
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + 8 * HOUR });
    expect(m.escalations).toEqual({
      opened: 2,
      claimed: 1,
      claimP50Ms: 4 * MINUTE,
      claimP90Ms: 4 * MINUTE,
      unclaimedNow: 1,
      sameHereIncidents: 0,
      byClass: { none: { opened: 2, claimed: 1, claimP50Ms: 4 * MINUTE } },
    });
    expect(m.lists.toThank).toEqual([{ member: 'ola', name: 'ola', helps: 1, reframes: 0 }]);
    expect(m.lists.waitingForHuman).toEqual([expect.objectContaining({ member: 'kim', escalationId: 2, waitingMs: HOUR })]);
    expect(m.lists.unansweredNewcomers).toEqual([expect.objectContaining({ member: 'kim', waitingMs: 6 * HOUR })]);
    expect(m.lists.helpersAtRisk).toEqual([]);
  });

  it('lists newcomers nobody answered first seen first (a bot that joined is no newcomer)', async () => {
    const t = harness();
    t.bots.add('greeter');
    t.clock.set(T0);
    for (const who of ['zoe', 'greeter', 'abe', 'mia']) {
      await t.join(who);
      t.clock.advance(HOUR);
    }
    for (const who of ['mia', 'abe', 'zoe']) {
      await t.say(who, `Hi all, ${who} here. Where do I start?`);
      t.clock.advance(MINUTE);
    }
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.welcome.newcomers).toBe(3);
    expect(m.lists.unansweredNewcomers.map((n) => n.member)).toEqual(['zoe', 'abe', 'mia']);
  });

  it('a forgotten member who turned analytics back on counts in figures, never by name', async () => {
    const t = await day();
    for (const who of ['sam', 'kim']) {
      await t.repos.members.forget(t.community, who, T0 + 8 * HOUR);
      await t.repos.members.setAnalyticsOptOut(t.community, who, false);
    }
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + 8 * HOUR });
    // sam's helps and kim's request still count...
    expect(m.helping).toMatchObject({ helps: 3, helpers: 2 });
    expect(m.escalations.unclaimedNow).toBe(1);
    // ...but neither is named anywhere.
    expect(m.helping.load.map((h) => h.member)).toEqual(['ola']);
    expect(m.lists.waitingForHuman).toEqual([]);
    expect(m.lists.waitingNotNamed).toBe(1);
    expect(m.lists.unansweredNewcomers).toEqual([]);
    expect(JSON.stringify(m)).not.toMatch(/"(sam|kim)"|forgotten member/);
  });

  it('leaves out members with analytics off', async () => {
    const t = await day();
    await t.command('kim', 'privacy', { analytics: 'off' });
    // A signal another feature wrote about kim anyway is ignored too.
    await t.repos.signals.record(t.community, { kind: 'thanked', actorId: 'sam', subjectId: 'kim', at: T0 + HOUR, dedupeKey: 'late' });
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.thanks.count).toBe(1);
    expect(m.firstResponse.questions).toBe(3);
    expect(m.welcome.newcomers).toBe(2);
    expect(m.lists.unansweredNewcomers).toEqual([]);
    // kim's open request still counts, and waits, but she is not named in any list.
    expect(m.escalations.unclaimedNow).toBe(1);
    expect(m.lists.waitingForHuman).toEqual([]);
    expect(renderPulseCard(m)).not.toContain('<@kim>');
    expect(renderPulseCard(m)).toContain('**Waiting for a human:** 1 request from a member not named (analytics off)');
  });

  it('leaves forgotten members out of "Waiting for a human"', async () => {
    const t = await day();
    await t.press('kim', 'privacy:forget', 'kim', 'general');
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.lists.waitingForHuman).toEqual([]);
    expect(JSON.stringify(m)).not.toContain('kim');
    expect(renderPulseCard(m)).not.toContain('kim');
  });

  it('history imported after going live dates a newcomer by their imported join, not by when Hearth first saw them', async () => {
    const t = harness();
    const live = T0 + 30 * DAY;
    t.clock.set(live);
    await t.say('maya', 'morning all'); // first seen live: a member from before Hearth
    // Then a backfill brings the community's past: maya's join a month earlier, and sam's hello.
    const base = { community: t.community, communityName: 'Test Community' };
    await t.companion.handle({ ...base, at: T0, type: 'member_joined', member: t.member('maya'), welcomeChannelId: 'general' }, { historical: true });
    await t.companion.handle(
      { ...base, at: T0 + HOUR, type: 'message_posted', message: { id: 'h1', channel: t.channel(), author: t.member('sam'), text: 'welcome maya!', mentions: ['maya'], at: T0 + HOUR } },
      { historical: true },
    );
    const goLiveWeek = await computePulse(t.core, t.community, { since: live - 7 * DAY, until: live + 1 });
    expect(goLiveWeek.welcome).toMatchObject({ newcomers: 0, ratio: null });
    const joinWeek = await computePulse(t.core, t.community, { since: T0, until: T0 + 7 * DAY });
    expect(joinWeek.welcome).toMatchObject({ newcomers: 1, welcomedWithin24h: 1, ratio: 1 });
  });

  it('a newcomer who joined late in a past week and was greeted within 24 hours counts as welcomed in that week', async () => {
    const t = harness();
    const weekEnd = T0 + 7 * DAY;
    t.clock.set(weekEnd - HOUR);
    await t.join('maya'); // Sunday night
    t.clock.set(weekEnd + HOUR);
    await t.say('sam', 'welcome maya!', { mentions: ['maya'] }); // Monday, two hours later
    const week = await computePulse(t.core, t.community, { since: T0, until: weekEnd });
    expect(week.welcome).toMatchObject({ newcomers: 1, welcomedWithin24h: 1, ratio: 1, timeToFirstWelcomeP50Ms: 2 * HOUR });
    const next = await computePulse(t.core, t.community, { since: weekEnd, until: weekEnd + 7 * DAY });
    expect(next.welcome.newcomers).toBe(0);
  });

  it('a conflict late in a past week that was repaired the next day counts as repaired in its week', async () => {
    const t = harness();
    const weekEnd = T0 + 7 * DAY;
    t.clock.set(weekEnd - 2 * HOUR);
    const q = await t.say('ola', 'my build fails on arm64');
    t.clock.set(weekEnd - HOUR);
    const heated = await t.say('kim', 'rtfm, this is a stupid question', { replyTo: q });
    t.clock.set(weekEnd + 3 * HOUR);
    await t.say('kim', 'sorry, that came out wrong', { replyTo: heated });
    const week = await computePulse(t.core, t.community, { since: T0, until: weekEnd });
    expect(week.repair).toEqual({ conflicts: 1, repaired: 1, share: 1 });
  });

  it('a newcomer who joined late in a past week and came back days later counts as returned in that week', async () => {
    const t = harness();
    const weekEnd = T0 + 7 * DAY;
    t.clock.set(weekEnd - 3 * HOUR);
    await t.join('maya');
    t.clock.set(weekEnd - 2 * HOUR);
    await t.say('maya', 'hello, I build synths');
    t.clock.set(weekEnd + 2 * DAY);
    await t.say('maya', 'back with my first patch');
    const week = await computePulse(t.core, t.community, { since: T0, until: weekEnd });
    expect(week.newcomerReturn).toEqual({ posted: 1, returned: 1, rate: 1 });
  });

  it('an empty window gives nulls and zeros, not errors', async () => {
    const t = harness();
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.firstResponse).toMatchObject({ questions: 0, unansweredShare: null, p50Ms: null });
    expect(m.welcome.ratio).toBeNull();
    expect(m.helping).toMatchObject({ helps: 0, absenceFactor: 0, topHelperShare: null });
  });

  it('a request for a human is not an unanswered question: it is measured as a request', async () => {
    const t = harness();
    at(t, 0);
    await t.say('nina', 'can I talk to a human please?', { channelId: 'help' });
    await t.say('ola', 'is there a real person here?', { channelId: 'lobby' });
    await t.say('kim', 'How do I export my data?', { channelId: 'exports' });
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.firstResponse).toMatchObject({ questions: 1, unanswered: 1 });
    expect(m.escalations.opened).toBe(2);
  });
});

describe('burnout risk', () => {
  const help = async (t: Harness, helper: string, asker: string, when: number) => {
    t.clock.set(when);
    const q = await t.say(asker, `How do I do thing number ${when}?`);
    await t.say(helper, 'Here is exactly how you do that thing', { replyTo: q });
  };

  it('flags a helper carrying a large share, a rising share, or mostly off-hours help', async () => {
    const t = harness({ settings: { timezone: 'Asia/Tokyo', offHours: [22, 7] } });
    const week = 7 * DAY;
    // Previous week: sam 1 of 4 helps. This week: sam 4 of 6, three at 23:00 Tokyo (14:00 UTC).
    for (const [i, helper] of ['sam', 'ola', 'ola', 'kim'].entries()) await help(t, helper, 'nina', T0 - week + i * HOUR);
    for (let i = 0; i < 3; i++) await help(t, 'sam', 'nina', Date.UTC(2026, 0, 6 + i, 14));
    await help(t, 'sam', 'nina', Date.UTC(2026, 0, 10, 3));
    await help(t, 'ola', 'nina', Date.UTC(2026, 0, 10, 4));
    await help(t, 'kim', 'nina', Date.UTC(2026, 0, 10, 5));
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + week });
    expect(m.burnout.atRisk).toEqual([
      expect.objectContaining({ member: 'sam', helps: 4, share: 0.667, previousShare: 0.25, offHoursShare: 0.75, reasons: ['large_share', 'rising_share', 'off_hours'] }),
    ]);
    expect(m.lists.helpersAtRisk.map((h) => h.member)).toEqual(['sam']);
  });

  it('does not flag an even spread, nor anyone under three helps', async () => {
    const t = harness();
    for (let i = 0; i < 3; i++) for (const helper of ['sam', 'ola', 'kim']) await help(t, helper, 'nina', T0 + (i * 3 + 1) * HOUR + i);
    const m = await computePulse(t.core, t.community, { since: T0, until: T0 + DAY });
    expect(m.helping.absenceFactor).toBe(2);
    expect(m.burnout.atRisk).toEqual([]);
  });
});

describe('metric helpers', () => {
  it('absence factor: fewest members covering half of the help', () => {
    expect(absenceFactor([])).toBe(0);
    expect(absenceFactor([{ helps: 10 }])).toBe(1);
    expect(absenceFactor([{ helps: 5 }, { helps: 5 }])).toBe(1);
    expect(absenceFactor([{ helps: 4 }, { helps: 3 }, { helps: 3 }])).toBe(2);
    expect(absenceFactor([1, 1, 1, 1, 1, 1].map((helps) => ({ helps })))).toBe(3);
  });

  it('longest chain follows helps forward in time, in members', () => {
    const h = (actorId: string, subjectId: string, at: number) => ({ actorId, subjectId, at });
    expect(longestChain([h('a', 'b', 1)])).toBe(0);
    expect(longestChain([h('a', 'b', 1), h('b', 'c', 2), h('c', 'd', 3)])).toBe(4);
    // b helped c before a helped b: no chain through b.
    expect(longestChain([h('b', 'c', 1), h('a', 'b', 2)])).toBe(0);
    // helping back the helper is not a chain.
    expect(longestChain([h('a', 'b', 1), h('b', 'a', 2)])).toBe(0);
  });

  it('longest chain counts each member once: three people helping each other in a circle are a chain of three', () => {
    const h = (actorId: string, subjectId: string, at: number) => ({ actorId, subjectId, at });
    const circle = [h('a', 'b', 1), h('b', 'c', 2), h('c', 'a', 3), h('a', 'b', 4), h('b', 'c', 5), h('c', 'a', 6)];
    expect(longestChain(circle)).toBe(3);
    // A cycle does not hide a longer chain of distinct members through the same people.
    expect(longestChain([...circle, h('c', 'd', 7), h('d', 'e', 8)])).toBe(5);
  });

  it('longest chain: the same as the rule read literally (every earlier chain into the helper), on random busy histories', () => {
    // The rule as docs/metrics.md states it, quadratic: the reference the indexed search must match.
    const literal = (helps: Array<{ actorId: string; subjectId: string; at: number }>) => {
      const into = new Map<string, Array<{ at: number; members: string[] }>>();
      let best = 0;
      for (const s of [...helps].sort((a, b) => a.at - b.at)) {
        let longest = [s.actorId];
        for (const e of into.get(s.actorId) ?? []) if (e.at < s.at && e.members.length >= longest.length && !e.members.includes(s.subjectId)) longest = e.members;
        const members = [...longest, s.subjectId];
        into.set(s.subjectId, [...(into.get(s.subjectId) ?? []), { at: s.at, members }]);
        best = Math.max(best, members.length);
      }
      return best >= 3 ? best : 0;
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const people = 3 + Math.floor(random() * 12);
      // Few distinct times, so many helps share one (a chain needs strictly earlier helps).
      const helps = Array.from({ length: 20 + Math.floor(random() * 200) }, () => ({
        actorId: `m${Math.floor(random() * people)}`,
        subjectId: `m${Math.floor(random() * people)}`,
        at: Math.floor(random() * 40),
      }));
      expect(longestChain(helps), JSON.stringify(helps)).toBe(literal(helps));
    }
  });

  it('local hours and off-hours ranges across midnight', () => {
    expect(localHour('Asia/Tokyo')(Date.UTC(2026, 0, 5, 14))).toBe(23);
    expect(localHour('UTC')(Date.UTC(2026, 0, 5, 0))).toBe(0);
    // Asked once per quarter hour: right either side of a +05:45 midnight and of a DST change.
    const nepal = localHour('Asia/Kathmandu');
    expect([nepal(Date.UTC(2026, 0, 5, 18, 14, 59)), nepal(Date.UTC(2026, 0, 5, 18, 15)), nepal(Date.UTC(2026, 0, 5, 18, 14))]).toEqual([23, 0, 23]);
    const newYork = localHour('America/New_York');
    expect([newYork(Date.UTC(2026, 2, 8, 6, 59)), newYork(Date.UTC(2026, 2, 8, 7)), newYork(Date.UTC(2026, 2, 8, 6, 30))]).toEqual([1, 3, 1]);
    expect(inRange(23, [22, 7])).toBe(true);
    expect(inRange(6, [22, 7])).toBe(true);
    expect(inRange(7, [22, 7])).toBe(false);
    expect(inRange(12, [9, 17])).toBe(true);
  });
});

describe('member ids in the locale’s order, faster', () => {
  it('orders ids of digits and one case of ASCII letters exactly as the collator does, and any others through it', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const id = (alphabet: string) => Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (const alphabet of ['0123456789abcdefghijklmnopqrstuvwxyz', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789']) {
      const ids = Array.from({ length: 3000 }, () => id(alphabet));
      for (let i = 0; i < 1000; i++) ids.push(ids[i].slice(0, Math.floor(random() * ids[i].length)));
      const compare = compareIdsAmong(ids);
      expect(compare).not.toBe(compareIds);
      expect([...ids].sort(compare)).toEqual([...ids].sort(compareIds));
    }
    // Mixed case, punctuation, accents: the collator itself.
    for (const ids of [['abc', 'ABD'], ['u-1', 'u1'], ['é1', 'e2']]) expect(compareIdsAmong(ids)).toBe(compareIds);
    expect(['abc', 'ABD'].sort(compareIdsAmong(['abc', 'ABD']))).toEqual(['abc', 'ABD']);
  });
});
