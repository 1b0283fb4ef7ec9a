/**
 * Deleted means unrecoverable: after `/forget-me` and after the retention purge, the words are
 * gone from the SQLite file and its WAL (raw bytes, as `grep -a` would read them), from the
 * search index, and from the companion's moderator posts that quoted them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock';
import { openDatabase } from '../../src/db/connection';
import { DELETED_WORDS_FLUSH } from '../../src/core/features/signals';
import { runRetention } from '../../src/jobs/digest';
import { harness, type Harness, sqliteOf } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';

// Distinctive words (porter stemming leaves them as they are), one per place text is kept.
const MESSAGE = 'zorblatquux';
const THANKS = 'quiffendorp';
const HUMAN = 'frobnitzelk';
const LATER = 'glimmerwook';
/** Only in nina's question, which sam asked a human about (the request keeps a copy). */
const COPIED = 'vextrimoul';
const ALL = [MESSAGE, THANKS, HUMAN, LATER, COPIED];

/** Which of these words can be read in the database file or its WAL (byte for byte, any case). */
function onDisk(path: string, words: string[]): string[] {
  const read = (file: string) => (existsSync(file) ? readFileSync(file).toString('latin1').toLowerCase() : '');
  const bytes = read(path) + read(`${path}-wal`);
  return words.filter((w) => bytes.includes(w));
}

function fileHarness(settings: Parameters<typeof harness>[0] = {}): Harness & { path: string } {
  const path = join(tempDir('hearth-erasure-'), 'hearth.db');
  const t = harness({ ...settings, database: openDatabase(path) });
  return Object.assign(t, { path });
}

/** Enough other traffic that the search index has merged segments holding nina's words. */
async function chatter(t: Harness, n: number) {
  for (let i = 0; i < n; i++) await t.say(i % 2 ? 'sam' : 'ola', `How do I configure widget number ${i} for the export?`, { channelId: 'help' });
}

describe('/forget-me leaves nothing readable in the database file', () => {
  it('messages, /thanks and /human reasons and search tokens are gone from the db and its WAL', async () => {
    const t = fileHarness();
    await chatter(t, 40);
    const q = await t.say('nina', `Why does the ${MESSAGE} export fail on ${COPIED} files?`, { channelId: 'help' });
    await t.say('sam', `The ${MESSAGE} export needs more memory; raise the limit`, { channelId: 'help', replyTo: q });
    await chatter(t, 40);
    await t.command('nina', 'thanks', { member: 'sam', for: `the ${THANKS} trick` });
    await t.command('nina', 'human', { reason: `my ${HUMAN} account is locked` });
    // sam asks a human about nina's message: the request carries a copy of her words.
    const target = { id: q, channel: t.channel('help'), author: t.member('nina'), text: `Why does the ${MESSAGE} export fail on ${COPIED} files?`, at: t.clock.now() };
    await t.command('sam', 'Ask a human about this', {}, { channel: t.channel('help'), target });
    await t.say('nina', `another ${LATER} question about exports?`, { channelId: 'help' });
    await chatter(t, 40);
    sqliteOf(t.database).sqlite.pragma('wal_checkpoint(PASSIVE)');
    expect(onDisk(t.path, ALL)).toEqual(ALL);

    await t.press('nina', 'privacy:forget', 'nina', 'general');

    expect(onDisk(t.path, [THANKS, HUMAN, LATER, COPIED])).toEqual([]);
    // sam's reply keeps the word (it is his); nina's own copies and tokens are gone: one row left.
    const fts = sqliteOf(t.database).sqlite.prepare(`SELECT count(*) AS n FROM related_fts WHERE related_fts MATCH ?`).get(MESSAGE) as { n: number };
    expect(fts.n).toBe(1);
    // The search index still works for what is left.
    expect((await t.command('ola', 'related', { question: `${MESSAGE} export memory` })).text).toContain('chat.test/help/');
  });

  it('a member whose words nobody else repeated leaves no byte of them behind', async () => {
    const t = fileHarness();
    await chatter(t, 30);
    await t.say('nina', `Why does the ${MESSAGE} export fail on large files?`, { channelId: 'help' });
    await chatter(t, 30);
    sqliteOf(t.database).sqlite.pragma('wal_checkpoint(PASSIVE)');
    expect(onDisk(t.path, [MESSAGE])).toEqual([MESSAGE]);
    await t.press('nina', 'privacy:forget', 'nina', 'general');
    expect(onDisk(t.path, [MESSAGE])).toEqual([]);
    expect(existsSync(`${t.path}-wal`) ? readFileSync(`${t.path}-wal`).length : 0).toBe(0);
  });
});

describe('/forget-me edits the moderator posts that quoted them', () => {
  it('escalation pings (their request, and a request about their message) and risk flags lose their words', async () => {
    const t = harness();
    const q = await t.say('nina', `This is ridiculous, the ${MESSAGE} export is broken again`, { channelId: 'help' });
    await t.command('nina', 'human', { reason: `my ${HUMAN} account is locked` });
    const target = { id: q, channel: t.channel('help'), author: t.member('nina'), text: `This is ridiculous, the ${MESSAGE} export is broken again`, at: t.clock.now() };
    await t.command('sam', 'Ask a human about this', {}, { channel: t.channel('help'), target });
    await t.advance(t.minutes(11)); // a re-ping quotes them again
    const quoting = t.platform.of('notifyModerators').filter((c) => c.message.text.includes(MESSAGE) || c.message.text.includes(HUMAN));
    expect(quoting.length).toBeGreaterThanOrEqual(4);
    t.platform.clear();

    await t.press('nina', 'privacy:forget', 'nina', 'general');

    const edits = t.platform.of('edit');
    expect(edits.map((e) => e.target.messageId).sort()).toEqual(quoting.map((c) => c.id).sort());
    for (const edit of edits) {
      expect(edit.message.text).not.toContain(MESSAGE);
      expect(edit.message.text).not.toContain(HUMAN);
      expect(edit.message.text).not.toMatch(/ridiculous/);
    }
    // Nothing new was posted: the words are removed where they were, not announced.
    expect(t.platform.calls.filter((c) => c.kind !== 'edit')).toEqual([]);
  });
});

describe('a deleted message leaves no copy with the requests for a human', () => {
  it('the request keeps no copy of the words in the database, and the moderator posts quoting them are edited', async () => {
    const t = fileHarness();
    await chatter(t, 30);
    const asked = await t.say('nina', `can I talk to a human please, my ${COPIED} account is locked and I am panicking`, { channelId: 'help' });
    const [request] = await t.repos.escalations.list(t.community);
    expect(request?.reason).toContain(COPIED);
    await t.advance(t.minutes(11)); // a re-ping quotes it again
    const quoting = t.platform.of('notifyModerators').filter((c) => c.message.text.includes(COPIED));
    expect(quoting.length).toBeGreaterThanOrEqual(2);
    await chatter(t, 30);
    sqliteOf(t.database).sqlite.pragma('wal_checkpoint(PASSIVE)');
    expect(onDisk(t.path, [COPIED])).toEqual([COPIED]);
    t.platform.clear();

    await t.remove(asked, 'help');

    // The request stays open, for a moderator to reach nina, without her words.
    expect(await t.repos.escalations.list(t.community)).toEqual([expect.objectContaining({ id: request.id, status: 'open', reason: null, requesterId: 'nina' })]);
    const edits = t.platform.of('edit');
    expect(edits.map((e) => e.target.messageId).sort()).toEqual(quoting.map((c) => c.id).sort());
    for (const e of edits) expect(e.message.text).not.toContain(COPIED);
    // The WAL keeps the old pages until the quarter hour's flush empties it.
    await t.advance(DELETED_WORDS_FLUSH);
    expect(onDisk(t.path, [COPIED])).toEqual([]);
  });
});

describe('retention leaves nothing readable in the database file', () => {
  it('purged message text, request and /thanks reasons and search tokens are gone from the db and its WAL', async () => {
    const t = fileHarness({ settings: { retentionDays: 30 } });
    await chatter(t, 30);
    await t.say('nina', `Why does the ${MESSAGE} export fail on large files?`, { channelId: 'help' });
    await t.command('ola', 'human', { reason: `my ${HUMAN} account is locked` });
    await t.command('ola', 'thanks', { member: 'sam', for: `the ${THANKS} trick` });
    await chatter(t, 30);
    t.clock.advance(31 * DAY);
    await t.say('sam', 'a recent message that stays', { channelId: 'help' });
    sqliteOf(t.database).sqlite.pragma('wal_checkpoint(PASSIVE)');
    expect(onDisk(t.path, [MESSAGE, HUMAN, THANKS])).toEqual([MESSAGE, HUMAN, THANKS]);
    await runRetention(t.companion);
    expect(onDisk(t.path, [MESSAGE, HUMAN, THANKS, 'a recent message that stays'])).toEqual(['a recent message that stays']);
  });
});
