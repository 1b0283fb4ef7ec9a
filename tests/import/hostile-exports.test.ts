/**
 * Export files written by something other than the tool they claim to come from: a field of
 * the wrong type (a number or an object where Slack writes a string, null where it writes an
 * object) is an error naming the file and the message, and the import goes on with the rest;
 * a top-level file of the wrong shape is one error naming it. Nothing throws out of the import
 * halfway (before, a message whose `text` was not a string stopped it at that message with
 * "text.replace is not a function").
 */
import { describe, expect, it } from 'vitest';
import { replayHistory } from '../../src/import/replay';
import { openHistory } from '../../src/import/sources';
import { harness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/temp-dir';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { slackChannel, slackUsers, ts, writeFiles } from './fixtures';

const tmp = () => tempDir('hearth-hostile-');

async function importPath(t: Harness, path: string) {
  const source = await openHistory(path);
  const errors: string[] = [];
  const stats = await replayHistory(source.items, { companion: t.companion, repos: t.repos, community: t.community, onError: (e) => errors.push(e) });
  return { stats, errors };
}

describe('Slack exports with fields of the wrong type', () => {
  it('each bad message is an error naming it; every good message is imported', async () => {
    const t = harness({ platformName: 'slack', community: 'slack:T1' });
    const at = (minute: number) => ts(`2016-03-01T10:${String(minute).padStart(2, '0')}:00Z`);
    const day = [
      { type: 'message', user: 'U024BE7LH', text: 'first', ts: at(0) },
      { type: 'message', user: 'U024BE7LH', text: 5, ts: at(1) },
      { type: 'message', user: 'U024BE7LH', text: { rich: true }, ts: at(2) },
      null,
      { type: 'message', user: { id: 'U1' }, text: 'object user', ts: at(3) },
      { type: 'message', user: 'U024BE7LH', text: 'bad thread', ts: at(4), thread_ts: { ts: 1 } },
      { type: 'message', user: 'U024BE7LH', text: 'bad edit', ts: at(5), edited: 'yes' },
      { type: 'message', subtype: 'file_comment', comment: { user: 7, comment: 'numeric commenter' }, ts: at(6) },
      { type: 'message', user: 'U0G9QF9C6', text: 'last', ts: at(7) },
    ];
    const root = writeFiles(tmp(), { 'users.json': slackUsers, 'channels.json': [slackChannel('C01', 'general', { is_general: true })], 'general/2016-03-01.json': day });
    const { stats, errors } = await importPath(t, root);
    expect(await t.repos.messages.get(t.community, `C01/${at(0)}`)).toMatchObject({ text: 'first' });
    expect(await t.repos.messages.get(t.community, `C01/${at(7)}`)).toMatchObject({ text: 'last' });
    for (const message of [2, 3, 4, 5, 6]) expect(errors.join('\n')).toContain(`general/2016-03-01.json, message ${message}:`);
    expect(stats).toMatchObject({ messages: 3, errors: 5, skipped: 1 }); // "bad edit" kept (no edit time); the comment without a commenter skipped
  });

  it('users.json or channels.json of the wrong shape is one error naming the file', async () => {
    const day = [{ type: 'message', user: 'U024BE7LH', text: 'hello', ts: ts('2016-03-01T10:00:00Z') }];
    for (const files of [
      { 'users.json': { users: slackUsers }, 'channels.json': [slackChannel('C01', 'general')], 'general/2016-03-01.json': day },
      { 'users.json': [null, 5, ...slackUsers], 'channels.json': [slackChannel('C01', 'general')], 'general/2016-03-01.json': day },
      { 'users.json': slackUsers, 'channels.json': { channels: [] }, 'general/2016-03-01.json': day },
      { 'users.json': slackUsers, 'channels.json': [null, 7, slackChannel('C01', 'general')], 'general/2016-03-01.json': day },
    ]) {
      const t = harness({ platformName: 'slack', community: 'slack:T1' });
      const { errors } = await importPath(t, writeFiles(tmp(), files));
      expect(errors.length, JSON.stringify(files['users.json']).slice(0, 40)).toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(/(users|channels)\.json/);
    }
  });
});

describe('DiscordChatExporter files with fields of the wrong type', () => {
  it('each bad message is an error naming it; every good message is imported', async () => {
    const t = harness({ platformName: 'discord', community: 'discord:G1' });
    const at = (minute: number) => `2025-06-01T10:0${minute}:00+00:00`;
    const ana = { id: 'u1', name: 'ana' };
    const dir = tempDir('hearth-hostile-');
    writeFileSync(join(dir, 'general.json'), JSON.stringify({
      guild: { id: 'G1', name: 'Guild' },
      channel: { id: '100', type: 'GuildTextChat', name: 'general' },
      messages: [
        { id: '1', type: 'Default', timestamp: at(0), content: 'first', author: ana },
        { id: 2, type: 'Default', timestamp: at(1), content: 'numeric id, odd name', author: { id: 'u2', name: ' sam ' } },
        { id: '3', type: 'Default', timestamp: at(2), content: 'numeric author', author: { id: 3, name: ' lee ' } },
        { id: '4', type: 'Default', timestamp: at(3), content: 'mentions not a list', author: ana, mentions: { id: 'u2' } },
        { id: '5', type: 'Default', timestamp: at(4), content: 'a null mention', author: ana, mentions: [null] },
        { id: '6', type: 'Default', timestamp: at(5), content: 7, author: ana },
        { id: '7', type: 'Default', timestamp: at(6), content: 'numeric name', author: { id: 'u5', name: 42 } },
        { id: '9', type: 'Default', timestamp: at(9), content: 'last', author: ana },
      ],
    }));
    const { stats, errors } = await importPath(t, join(dir, 'general.json'));
    expect(await t.repos.messages.get(t.community, '1')).toMatchObject({ text: 'first' });
    expect(await t.repos.messages.get(t.community, '9')).toMatchObject({ text: 'last' });
    for (const message of [2, 3, 6]) expect(errors.join('\n')).toContain(`general.json, message ${message}:`);
    // A mention list of the wrong shape is no mention; the message itself is kept.
    expect(stats).toMatchObject({ messages: 5, errors: 3 });
    // A name that is no text: the member is named by their id.
    expect(await t.repos.members.get(t.community, 'u5')).toMatchObject({ name: 'u5' });
  });
});
