/**
 * Through Bolt against the fake Slack: a member outside a private channel who uses the
 * "Same here" shortcut or the same-here reaction on a message there gets no quote of it and
 * counts nothing; "Ask a human about this" reaches the team without the message. A member
 * of the channel still counts.
 */
import { afterEach, expect, it } from 'vitest';
import { IDS, slackHarness, type SlackHarness } from './harness';

const SECRET = 'Why does the payroll export to Quarrymoor fail?';

let t: SlackHarness;
afterEach(async () => {
  await t?.close();
});

async function privateQuestion() {
  const ts = await t.say(IDS.maya, SECRET, { channel: IDS.staff });
  await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.staff, ts))).toBeDefined());
  return ts;
}

it('the "Same here" shortcut and the ➕ reaction from outside a private channel count nothing and quote nothing', async () => {
  t = await slackHarness('socket');
  const ts = await privateQuestion();
  const id = t.id(IDS.staff, ts);
  await t.shortcut(IDS.outsider, 'same-here', { channel: IDS.staff, ts, user: IDS.maya, text: SECRET });
  await t.eventually(() => expect(t.fake.responses.map((r) => r.body.text)).toContain('I can only count a same-here on a message you can read.'));
  await t.react(IDS.outsider, IDS.staff, ts, 'heavy_plus_sign');
  // The channel's member, for comparison, is counted (and acknowledged in the thread).
  await t.react(IDS.mod, IDS.staff, ts, 'heavy_plus_sign');
  await t.eventually(async () => expect(await t.repos.sameHere.count(t.community, id)).toBe(1));
  expect((await t.repos.sameHere.forMember(t.community, IDS.outsider)).length).toBe(0);
  const wire = JSON.stringify([t.fake.responses, t.fake.posted()]);
  expect(wire).not.toContain('Quarrymoor');
});

it('"Ask a human about this" from outside a private channel reaches the team without the message', async () => {
  t = await slackHarness('socket');
  const ts = await privateQuestion();
  await t.shortcut(IDS.outsider, 'human', { channel: IDS.staff, ts, user: IDS.maya, text: SECRET });
  const request = await t.eventually(async () => {
    const row = await t.repos.escalations.get(t.community, 1);
    expect(row).toBeDefined();
    return row!;
  });
  expect(request).toMatchObject({ requesterId: IDS.outsider, messageId: null, reason: null, source: 'command' });
  expect(JSON.stringify([t.fake.responses, t.fake.posted()])).not.toContain('Quarrymoor');
});
