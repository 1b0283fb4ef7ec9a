/**
 * Builds a companion over a fresh migrated store, a manual clock and a recording platform,
 * with small helpers that read like the story of a community:
 *   const t = harness(); await t.join('maya'); await t.say('maya', 'hello'); t.clock.advance(...)
 * The store is an in-memory SQLite database, or an empty PostgreSQL one when the file runs in
 * the `postgres` vitest project (HEARTH_TEST_STORE=postgres; tests/setup/harness-postgres.ts).
 */
import { ManualClock, MINUTE } from '../../src/core/clock';
import { Companion } from '../../src/core/companion';
import type { AiPort } from '../../src/core/ai/port';
import type { ChannelRef, IncomingMessage, MemberRef, OptionValue } from '../../src/core/events';
import type { CommunitySettings } from '../../src/core/settings';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import type { Repositories } from '../../src/core/storage';
import type { PostgresHandle } from '../../src/db/postgres/connection';
import { createPostgresRepositories } from '../../src/db/postgres';
import { silentLogger } from '../../src/log';
import { harnessStore, takeHarnessPostgres } from './postgres';
import { RecordingPlatform } from './recording-platform';

export interface HarnessOptions {
  community?: string;
  platformName?: string;
  settings?: Partial<CommunitySettings>;
  /** Reuse a database (to simulate a restart, or two communities in one store). */
  database?: TestDatabase;
  clock?: ManualClock;
  /** An AI port (e.g. OpenAiPort against tests/fakes/openai-server.ts); default: AI off. */
  ai?: AiPort;
  /** Queue CRM webhook events (as with HEARTH_WEBHOOK_URL set). */
  webhooks?: boolean;
}

export type Harness = ReturnType<typeof harness>;

/** The store under a harness: SQLite's handle, or PostgreSQL's in the `postgres` project. */
export type TestDatabase = DatabaseHandle | PostgresHandle;

export const isPostgres = (database: TestDatabase): database is PostgresHandle => 'pool' in database;

/** The SQLite handle, for checks of SQLite's own machinery (run them with `onSqlite`). */
export function sqliteOf(database: TestDatabase): DatabaseHandle {
  if (isPostgres(database)) throw new Error('a SQLite-only check ran on PostgreSQL: guard it with onSqlite');
  return database;
}

/** Is the harness on SQLite in this run? (For the few checks of a store's own machinery.) */
export const onSqlite = (): boolean => harnessStore() === 'sqlite';

export function harness(options: HarnessOptions = {}) {
  const platformName = options.platformName ?? 'test';
  const community = options.community ?? `${platformName}:c1`;
  const database: TestDatabase = options.database ?? (harnessStore() === 'postgres' ? takeHarnessPostgres() : openDatabase(':memory:'));
  const repos: Repositories = isPostgres(database) ? createPostgresRepositories(database) : createRepositories(database);
  const clock = options.clock ?? new ManualClock();
  const platform = new RecordingPlatform(platformName);
  const companion = new Companion({
    repos,
    platform,
    clock,
    log: silentLogger,
    ai: options.ai,
    webhooks: options.webhooks,
    settingsDefaults: { moderatorChannel: 'mods', moderatorRoles: ['mod-role'], ...options.settings },
  });
  const moderators = new Set<string>(['mod']);
  const bots = new Set<string>();
  let sequence = 0;

  const member = (id: string): MemberRef => ({ id, name: id, isBot: bots.has(id), isModerator: moderators.has(id) });
  const channel = (id = 'general', extra: Partial<ChannelRef> = {}): ChannelRef => ({ id, name: id, visibility: 'public', kind: 'text', ...extra });
  const base = () => ({ community, communityName: 'Test Community', at: clock.now() });

  return {
    community,
    database,
    repos,
    clock,
    platform,
    companion,
    core: companion.core,
    member,
    channel,
    moderators,
    bots,
    advance(ms: number) {
      clock.advance(ms);
      return companion.runDueTasks();
    },
    minutes(n: number) {
      return n * MINUTE;
    },
    join(id: string, welcomeChannelId = 'general') {
      return companion.handle({ ...base(), type: 'member_joined', member: member(id), welcomeChannelId });
    },
    /** Post a message; returns its id. */
    async say(author: string, text: string, extra: Partial<IncomingMessage> & { channelId?: string } = {}): Promise<string> {
      sequence += 1;
      const id = extra.id ?? `m${sequence}`;
      const { channelId, ...rest } = extra;
      await companion.handle({
        ...base(),
        type: 'message_posted',
        message: { id, channel: rest.channel ?? channel(channelId), author: member(author), text, at: clock.now(), ...rest },
      });
      return id;
    },
    edit(messageId: string, text: string, channelId = 'general') {
      return companion.handle({ ...base(), type: 'message_edited', channelId, messageId, text });
    },
    remove(messageId: string, channelId = 'general') {
      return companion.handle({ ...base(), type: 'message_deleted', channelId, messageId });
    },
    react(memberId: string, messageId: string, emoji: string, channelId = 'general') {
      return companion.handle({ ...base(), type: 'reaction_added', channelId, messageId, emoji, member: member(memberId) });
    },
    /** Run a command and deliver its reply, like an adapter (which confirms delivery). */
    async command(memberId: string, command: string, options: Record<string, OptionValue | undefined> = {}, extra: { channel?: ChannelRef; target?: IncomingMessage } = {}) {
      const reply = await companion.command({ ...base(), type: 'command_invoked', command, options, member: member(memberId), channel: extra.channel ?? channel(), target: extra.target });
      await companion.delivered(reply);
      return reply;
    },
    press(memberId: string, action: string, value: string, channelId = 'mods') {
      return companion.button({ ...base(), type: 'button_pressed', action, value, member: member(memberId), channel: channel(channelId) });
    },
    /** Every text the platform was asked to send, in order. */
    texts(): string[] {
      return platform.calls.flatMap((c) => ('message' in c ? [c.message.text] : []));
    },
  };
}
