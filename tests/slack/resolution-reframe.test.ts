/**
 * Reframing and thread resolution through the real Bolt app and the fake Slack: thread
 * replies and `:white_check_mark:` reactions as Slack delivers them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { computePulse } from '../../src/core/metrics';
import { IDS, slackHarness, type SlackHarness } from './harness';

describe('Slack adapter: reframed debates and resolved threads', () => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  it('a third member reframing a heated thread that then cools earns reframed_debate; a joke does not', async () => {
    t = await slackHarness('http');
    const root = await t.say(IDS.owner, 'We are moving the standup to 8am from next week');
    await t.say(IDS.maya, 'that is ridiculous, nobody asked for this', { thread_ts: root });
    await t.say(IDS.outsider, 'lol just do standups at midnight 😂', { thread_ts: root });
    const reframe = await t.say(IDS.mod, 'Sounds like you both want a standup people can attend. What if we try 8am for two weeks and measure who shows up?', { thread_ts: root });
    await t.say(IDS.owner, 'fair, two weeks it is', { thread_ts: root });
    const signals = await t.eventually(async () => {
      const rows = await t.repos.signals.list(t.community, { kind: 'reframed_debate' });
      expect(rows).toHaveLength(2);
      return rows;
    });
    expect(new Set(signals.map((s) => s.actorId))).toEqual(new Set([IDS.mod]));
    expect(new Set(signals.map((s) => s.subjectId))).toEqual(new Set([IDS.maya, IDS.owner]));
    expect(new Set(signals.map((s) => s.messageId))).toEqual(new Set([t.id(IDS.general, reframe)]));
  });

  it('the asker’s :white_check_mark: on a thread reply resolves the question, by a member', async () => {
    t = await slackHarness('http');
    const q = await t.say(IDS.maya, 'How do I change my notification schedule?', { channel: IDS.help });
    const a = await t.say(IDS.outsider, 'Preferences, then Notifications, then Schedule', { channel: IDS.help, thread_ts: q });
    await t.react(IDS.maya, IDS.help, a, 'white_check_mark');
    await t.eventually(async () => {
      expect((await t.repos.signals.list(t.community, { kind: 'helped' })).map((s) => s.dedupeKey)).toContain(`helped:accepted:${t.id(IDS.help, a)}`);
    });
    const now = t.clock.now();
    const m = await computePulse(t.service.companion.core, t.community, { since: now - DAY, until: now + DAY });
    expect(m.resolution).toMatchObject({ questions: 1, resolvedByMember: 1, byHow: { accepted: 1 } });
  });
});
