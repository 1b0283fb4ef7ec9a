import { describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness';

const nudges = (t: Harness) => t.platform.calls.filter((c) => 'message' in c && /first question has had no answer/.test(c.message.text));

async function newcomerAsks(t: Harness, question = 'How do I export my data?') {
  await t.command('sam', 'welcomer', { state: 'on' });
  await t.command('lee', 'welcomer', { state: 'on' });
  await t.join('maya');
  t.clock.advance(t.minutes(1));
  return t.say('maya', question);
}

describe('first-question nudge', () => {
  it('nudges the crew exactly once when nobody answered within the wait', async () => {
    const t = harness();
    const question = await newcomerAsks(t);
    await t.advance(t.minutes(29));
    expect(nudges(t)).toHaveLength(0);
    await t.advance(t.minutes(2));
    const sent = nudges(t);
    // The welcomer asked at the join, and the next one in rotation as a second pair of eyes.
    expect(sent.map((c) => c.kind === 'dm' && c.memberId)).toEqual(['lee', 'sam']);
    expect(sent[0].kind === 'dm' && sent[0].message.text).toBe(
      `<@maya>’s first question has had no answer from a person for 31 minutes. “How do I export my data?” [Open the message](https://chat.test/general/${question})\n` +
        'Could you help, or bring in someone who can?',
    );
    await t.say('maya', 'Also, can I import from CSV?');
    await t.advance(t.minutes(120));
    expect(nudges(t)).toHaveLength(2);
  });

  it('is nudged once across a restart: the new process reads the task from the database', async () => {
    const t = harness();
    await newcomerAsks(t);
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(31));
    expect(nudges(restarted)).toHaveLength(2);
    await t.advance(t.minutes(5)); // the old process (or an overlapping runner) finds nothing due
    await restarted.advance(t.minutes(60));
    expect(nudges(t)).toHaveLength(0);
    expect(nudges(restarted)).toHaveLength(2);
  });

  it('a human greeting the newcomer records welcome_given and stops the nudge', async () => {
    const t = harness();
    const question = await newcomerAsks(t);
    await t.say('ana', 'Welcome Maya! Settings > Export.', { replyTo: question });
    expect((await t.repos.tasks.get(t.community, 'welcome:first-question:maya'))?.status).toBe('cancelled');
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(0);
    expect((await t.repos.signals.list(t.community, { kind: 'welcome_given' })).map((s) => s.actorId)).toEqual(['ana']);
  });

  it('a mention of the newcomer where they cannot see it (a staff channel) is not an answer', async () => {
    const t = harness();
    await newcomerAsks(t);
    const staff = t.channel('staff', { visibility: 'private', memberIds: ['mod', 'ana'] });
    await t.say('ana', 'has anyone seen the question from <@maya>?', { channel: staff, mentions: ['maya'] });
    expect((await t.repos.tasks.get(t.community, 'welcome:first-question:maya'))?.status).toBe('pending');
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(2);
  });

  it('a mention of the newcomer counts as an answer', async () => {
    const t = harness();
    await newcomerAsks(t);
    await t.say('ana', '@maya I think the export is under Settings', { mentions: ['maya'] });
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(0);
  });

  it('an answer inferred later (reply_to filled in by reply inference) is seen when the task runs', async () => {
    const t = harness();
    const question = await newcomerAsks(t);
    const answer = await t.say('ana', 'Settings > Export does it');
    await t.repos.messages.setReply(t.community, answer, question, true, question);
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(0);
  });

  it('bots, the companion and the newcomer’s own follow-ups are not answers', async () => {
    const t = harness();
    t.bots.add('faqbot');
    const question = await newcomerAsks(t);
    await t.say('faqbot', 'Maybe this FAQ helps', { replyTo: question, mentions: ['maya'] });
    await t.say('hearth-bot', 'Related discussions: ...', { replyTo: question, mentions: ['maya'] });
    await t.say('maya', 'anyone?', { replyTo: question });
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(2);
  });

  it('does not nudge about a question that was deleted', async () => {
    const t = harness();
    const question = await newcomerAsks(t);
    await t.remove(question);
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(0);
  });

  it('waits as long as the community configured, and a plain hello is not a question', async () => {
    const t = harness();
    await t.command('mod', 'hearth-config', { setting: 'firstQuestionWait', value: '2h' });
    await newcomerAsks(t, 'hello everyone, happy to be here');
    await t.say('maya', 'Hi again. Is there a dark mode');
    await t.advance(t.minutes(119));
    expect(nudges(t)).toHaveLength(0);
    await t.advance(t.minutes(2));
    expect(nudges(t)).toHaveLength(2);
  });

  it('treats any top-level post in a help channel as a question', async () => {
    const t = harness();
    await newcomerAsks(t, 'hi');
    await t.say('maya', 'export button greyed out', { channelId: 'help' });
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(2);
  });

  it('with nobody on the crew, the nudge reaches the moderator channel without a role ping', async () => {
    const t = harness();
    await t.join('maya');
    await t.say('maya', 'How do I export my data?');
    await t.advance(t.minutes(31));
    const [nudge] = nudges(t);
    expect(nudge).toMatchObject({ kind: 'notifyModerators', audience: { channelId: 'mods' } });
    expect(nudge.kind === 'notifyModerators' && nudge.audience.roleIds).toBeUndefined();
  });

  it('retries a nudge whose every delivery failed, without repeating one that went through', async () => {
    const t = harness();
    await newcomerAsks(t);
    t.platform.failNext.dm = 2;
    await t.advance(t.minutes(31));
    expect(nudges(t)).toHaveLength(0);
    await t.advance(t.minutes(2));
    expect(nudges(t)).toHaveLength(2);
    await t.advance(t.minutes(60));
    expect(nudges(t)).toHaveLength(2);
  });
});

describe('first-question nudge and crashes', () => {
  it('a nudge sent just before the process died is not sent again when the task runs again', async () => {
    const t = harness();
    await newcomerAsks(t);
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    t.repos.tasks.complete = () => {
      died();
      return new Promise(() => {}); // killed before the task was marked done
    };
    t.clock.advance(t.minutes(31));
    void t.companion.runDueTasks();
    await dead;
    expect(nudges(t)).toHaveLength(2);
    const restarted = harness({ database: t.database, clock: t.clock, community: t.community });
    await restarted.advance(t.minutes(10));
    expect(nudges(restarted)).toHaveLength(0);
    expect(await restarted.repos.tasks.get(t.community, 'welcome:first-question:maya')).toMatchObject({ status: 'done' });
  });
});
