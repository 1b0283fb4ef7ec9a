/** `npm run hearth -- backfill`: env and flags pointing at the local fakes, a temp database file. */
// discord.js first: loaded after the core inside vitest's module runner, its bundled inspect fails to initialise.
import 'discord.js';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/backfill';
import type { CliIo } from '../../src/cli/io';
import { openDatabase } from '../../src/db/connection';
import { FakeDiscord } from '../fakes/discord/server';
import { FakeSlack } from '../fakes/slack/server';
import { tempDir } from '../helpers/temp-dir';

const GUILD = '100000000000000001';
const GENERAL = '100000000000000010';

function io() {
  const err: string[] = [];
  const out: string[] = [];
  const value: CliIo = { out: (l) => void out.push(l), err: (l) => void err.push(l), stdin: process.stdin };
  return { io: value, err, out };
}

const dbFile = () => join(tempDir('hearth-backfill-cli-'), 'hearth.db');

function messageCount(file: string, community: string): number {
  const database = openDatabase(file);
  try {
    return (database.sqlite.prepare('select count(*) as n from messages where community_id = ?').get(community) as { n: number }).n;
  } finally {
    database.close();
  }
}

beforeEach(() => {
  for (const key of ['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'SLACK_BOT_TOKEN', 'SLACK_API_URL']) vi.stubEnv(key, '');
  vi.stubEnv('HEARTH_LOG_LEVEL', 'silent');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('hearth backfill (CLI)', () => {
  it('explains a missing token', async () => {
    const { io: cli, err } = io();
    expect(await run(['--db', dbFile()], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/no platform token is set \(DISCORD_TOKEN or SLACK_BOT_TOKEN\)/);
    const again = io();
    expect(await run(['--platform', 'slack', '--db', dbFile()], again.io)).toBe(2);
    expect(again.err.join('\n')).toMatch(/SLACK_BOT_TOKEN is not set/);
  });

  it('explains a missing guild', async () => {
    vi.stubEnv('DISCORD_TOKEN', 'fake-token');
    const { io: cli, err } = io();
    expect(await run(['--db', dbFile()], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/which guild\? pass --guild ID or set DISCORD_GUILD_ID/);
  });

  it('rejects an unknown flag or platform', async () => {
    const bad = io();
    expect(await run(['--nope'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/usage:/);
    vi.stubEnv('DISCORD_TOKEN', 'fake-token');
    const unknown = io();
    expect(await run(['--platform', 'irc', '--db', dbFile()], unknown.io)).toBe(2);
    expect(unknown.err.join('\n')).toMatch(/unknown platform "irc"/);
  });

  it('backfills a Discord guild into the database file, and a second run adds nothing', async () => {
    const fake = await FakeDiscord.start({
      guilds: [{ id: GUILD, name: 'Guild', owner_id: '1', roles: [{ id: GUILD, name: '@everyone', permissions: '1024' }], members: [], channels: [{ id: GENERAL, type: 0, name: 'general' }] }],
    });
    try {
      const ana = { id: '300000000000000001', username: 'ana' };
      fake.seedMessage(GENERAL, ana, 'hello');
      fake.seedMessage(GENERAL, ana, 'anyone around?');
      vi.stubEnv('DISCORD_TOKEN', fake.token);
      vi.stubEnv('DISCORD_API_URL', fake.apiUrl);
      const file = dbFile();
      const first = io();
      expect(await run(['--guild', GUILD, '--db', file], first.io)).toBe(0);
      expect(first.err.join('\n')).toMatch(/backfill discord: 1 channels, 1 pages/);
      expect(messageCount(file, `discord:${GUILD}`)).toBe(2);
      expect(await run(['--guild', GUILD, '--db', file], io().io)).toBe(0);
      expect(messageCount(file, `discord:${GUILD}`)).toBe(2);
      expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('backfills a Slack workspace; a channel it cannot read is named and the exit code says so', async () => {
    const fake = new FakeSlack();
    await fake.start();
    try {
      // #locked: the bot was never invited, so Slack answers not_in_channel.
      fake.addUser({ id: 'U00000001', name: 'ana' }).addChannel({ id: 'C00000001', name: 'general' }).addChannel({ id: 'C00000002', name: 'locked', members: ['U00000001'] });
      fake.seedMessage('C00000001', { user: 'U00000001', text: 'hello' });
      vi.stubEnv('SLACK_BOT_TOKEN', fake.botToken);
      vi.stubEnv('SLACK_API_URL', fake.apiUrl);
      const file = dbFile();
      const cli = io();
      expect(await run(['--platform', 'slack', '--db', file], cli.io)).toBe(1);
      expect(cli.err.join('\n')).toMatch(/#locked \(C00000002\): .*not_in_channel/);
      expect(fake.callsTo('conversations.history').map((a) => a.channel)).toEqual(['C00000001', 'C00000002']);
      expect(messageCount(file, 'slack:T0TEAM')).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
