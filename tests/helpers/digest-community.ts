/**
 * Shared set-ups for the weekly digest's tests: a community with weeks to chart, and a
 * platform that takes a moderator post although the call times out.
 */
import { DAY, HOUR } from '../../src/core/clock';
import { markOutcomeUnknown } from '../../src/core/platform';
import { harness, type Harness } from './harness';

/** `weeks` weeks, each with a newcomer's question answered an hour later by sam (the digest has a chart to draw). */
export async function busyCommunity(weeks = 3): Promise<Harness> {
  const t = harness();
  for (let week = 0; week < weeks; week++) {
    await t.join(`newcomer${week}`);
    const q = await t.say(`newcomer${week}`, 'How do I get started here?');
    t.clock.advance(HOUR);
    await t.say('sam', 'Start with the pinned guide in #welcome', { replyTo: q });
    t.clock.advance(7 * DAY - HOUR);
  }
  return t;
}

/** The platform takes the next moderator post, and the call fails as a timed-out one does (the adapter says the outcome is unknown). */
export function moderatorPostTimesOut(t: Harness): void {
  const send = t.platform.notifyModerators.bind(t.platform);
  let left = 1;
  t.platform.notifyModerators = async (...args) => {
    const posted = await send(...args);
    if (left-- <= 0) return posted;
    throw markOutcomeUnknown(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }));
  };
}
