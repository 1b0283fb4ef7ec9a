/**
 * The learned same-here model must never turn a member's own problem report into a "me too":
 * that report is what later same-heres point at (found live through the shell: "my wifi keeps
 * dropping since the update" read as a same-here hid it from "my wifi is also dead").
 */
import { expect, it } from 'vitest';
import { recognizeSameHere } from '../../src/core/samehere/recognize';
import { harness } from '../helpers/harness';

it('a report of one’s own is no same-here, and the "me too" after it is counted on it', async () => {
  expect(recognizeSameHere('my wifi keeps dropping since the update').sameHere).toBe(false);
  const t = harness();
  await t.say('sam', 'my wifi keeps dropping since the update');
  await t.say('leo', 'my wifi is also dead');
  await t.say('kai', 'yep mine does that too');
  expect(await t.repos.sameHere.count(t.community, 'm1')).toBe(2);
  const acks = t.platform.calls.flatMap((c) => (c.kind === 'reply' || c.kind === 'edit') && /You're not alone, <@sam>/.test(c.message.text) ? [c.message.text] : []);
  expect(acks.at(-1)).toMatch(/2 members have the same experience/);
});
