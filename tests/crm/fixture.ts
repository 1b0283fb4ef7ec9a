/**
 * Two small communities in one database file, built through the real Companion, with every
 * member-health figure known in advance (see tests/crm/export.test.ts):
 *
 * test:c1 (T0 = Monday 2026-01-05 09:00 UTC; the export runs at T0 + 1 day)
 * - rita, a regular, posted 5 times 40 days ago and never since (went quiet).
 * - sam, an old member, posted once 40 days ago; today he welcomes and helps nina (10 min
 *   after she joined), ola and kim: 3 helps, all of the week's (burnout: large share).
 * - nina joins (with an email), asks, is helped and welcomed by sam, thanks him, asks again
 *   3 h later (a return), and asks for a human: claimed by mod after 4 minutes.
 * - ola joins, says "same here" to nina's question, is helped by sam in her thread.
 * - kim joins, is helped by sam, asks for a human (still open); a stray welcome signal from
 *   omar (opted out) about her must neither count nor name him.
 * - omar joins, greets kim, then turns analytics off: never exported.
 * - fred joins, answers ola, then asks to be forgotten: never exported, never named, even
 *   when, analytics back on, he greets pia, who joins at 09h.
 * test:c2: zoe (a name with a comma and quotes, and an email), and members with the ids of
 * test:c1's sam and nina (other people: nothing of test:c1 may count for them).
 */
import { DAY, HOUR, MINUTE } from '../../src/core/clock';
import { harness, type Harness } from '../helpers/harness';
import { openDatabase } from '../../src/db/connection';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const NOW = T0 + DAY;
export const ZOE_NAME = 'Zoe "Z", Admin';

export async function buildCommunities(file: string): Promise<void> {
  const database = openDatabase(file);
  try {
    await communityOne(harness({ database, community: 'test:c1' }));
    await communityTwo(harness({ database, community: 'test:c2' }));
  } finally {
    database.close();
  }
}

async function communityOne(t: Harness) {
  const at = (ms: number) => t.clock.set(T0 + ms);
  at(-40 * DAY);
  await t.say('sam', 'release notes are up in the wiki', { channelId: 'news' });
  for (let i = 0; i < 5; i++) {
    at(-40 * DAY + i * MINUTE);
    await t.say('rita', `daily build report number ${i + 1} is green`, { channelId: 'builds' });
  }

  at(0);
  await t.companion.handle({
    community: t.community,
    communityName: 'Test Community',
    at: t.clock.now(),
    type: 'member_joined',
    member: { id: 'nina', name: 'nina', email: 'nina@example.org' },
    welcomeChannelId: 'general',
  });
  for (const m of ['ola', 'kim', 'omar', 'fred']) await t.join(m);

  const q1 = await t.say('nina', 'How do I reset my password?', { channelId: 'accounts' });
  at(2 * MINUTE);
  await t.say('ola', 'same here', { replyTo: q1, channelId: 'accounts' });
  at(10 * MINUTE);
  const a1 = await t.say('sam', 'Settings, then Security, then Reset password', { replyTo: q1, channelId: 'accounts' });
  at(12 * MINUTE);
  await t.say('nina', 'thanks sam!', { replyTo: a1, channelId: 'accounts' });

  at(HOUR);
  const q2 = await t.say('ola', 'is there a dark mode anywhere', { channelId: 'design' });
  at(HOUR + 20 * MINUTE);
  await t.say('fred', 'Yes, look under Appearance then Theme', { threadId: q2, channelId: 'design' });
  at(HOUR + 30 * MINUTE);
  await t.say('sam', 'Yes: Appearance, then Theme, then Dark', { threadId: q2, replyTo: q2, channelId: 'design' });

  at(2 * HOUR);
  const q3 = await t.say('kim', 'my upload fails with error 413', { channelId: 'uploads' });
  at(2 * HOUR + 5 * MINUTE);
  await t.say('sam', 'Uploads are limited to 10 MB, compress the file first', { replyTo: q3, channelId: 'uploads' });
  await t.say('omar', 'welcome kim, glad you are here', { replyTo: q3, channelId: 'uploads' });

  at(3 * HOUR);
  await t.say('nina', 'Why does the export take so long?', { channelId: 'exports' });

  at(6 * HOUR);
  await t.command('nina', 'human', { reason: 'billing question' });
  at(6 * HOUR + 4 * MINUTE);
  await t.press('mod', 'escalation:claim', '1');
  at(7 * HOUR);
  await t.command('kim', 'human', { reason: 'still cannot upload' });

  at(8 * HOUR);
  await t.command('omar', 'privacy', { analytics: 'off' });
  // A late retry after the opt-out: a welcome by omar written anyway must not count or name him.
  await t.repos.signals.record(t.community, { kind: 'welcome_given', actorId: 'omar', subjectId: 'kim', at: T0 + 2 * HOUR + MINUTE, dedupeKey: 'stray' });
  await t.command('fred', 'forget-me');
  await t.press('fred', 'privacy:forget', 'fred', 'general');

  // Forgotten, fred turns analytics back on and greets pia: the welcome counts (what he does
  // now is new) but the export never names him.
  at(9 * HOUR);
  await t.command('fred', 'privacy', { analytics: 'on' });
  // sam joins the welcome crew and is asked to greet pia: being asked is not his activity.
  await t.command('sam', 'welcomer', { state: 'on' });
  await t.join('pia');
  const hi = await t.say('pia', 'hello all, new here', { channelId: 'lobby' });
  at(9 * HOUR + 3 * MINUTE);
  await t.say('fred', 'welcome pia!', { replyTo: hi, channelId: 'lobby' });
}

async function communityTwo(t: Harness) {
  t.clock.set(T0 + HOUR);
  await t.companion.handle({
    community: t.community,
    communityName: 'Second Community',
    at: t.clock.now(),
    type: 'member_joined',
    member: { id: 'zoe', name: ZOE_NAME, email: 'zoe@example.org' },
    welcomeChannelId: 'general',
  });
  await t.say('sam', 'hello from the other community', { channelId: 'general' });
  // nina here is another person with the same id as test:c1's nina.
  await t.say('nina', 'hi sam, good to see you here', { channelId: 'general' });
}
