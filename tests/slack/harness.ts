/**
 * Runs the real Slack adapter (Bolt, Socket Mode or the signed HTTP receiver) against the
 * fake Slack, over an in-memory database and a manual clock. Helpers read like a workspace:
 *   const t = await slackHarness('socket'); await t.join('U0NEW'); await t.say('U0MAYA', 'hi')
 * Delivery goes through the real wire for the chosen mode; effects are polled with
 * `t.eventually` (bounded), never waited for with sleeps.
 */
import { vi } from 'vitest';
import type { CommandDefinition } from '../../commands';
import { parseConfig } from '../../src/config';
import type { AiPort } from '../../src/core/ai/port';
import { ManualClock } from '../../src/core/clock';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { silentLogger, type Logger } from '../../src/log';
import { startSlack, type SlackService, type SlackStartOptions } from '../../src/platforms/slack';
import { slackMessageId } from '../../src/platforms/slack/ids';
import { noteSlackUnchecked } from '../fakes/spec/slack';
import { signedPost } from '../fakes/slack/signing';
import { IDS, SIGNING_SECRET, slashCommandPayload, startFakeSlack } from './workspace';

export type SlackMode = 'socket' | 'http';

export { IDS, SIGNING_SECRET } from './workspace';

export interface SlackHarnessOptions {
  commands?: CommandDefinition[];
  env?: Record<string, string>;
  /** Default: silent. */
  log?: Logger;
  /** Web API retry / timeout policy (fault tests). */
  webApi?: SlackStartOptions['webApi'];
  /** Directory cache time-to-live (0: every lookup asks the fake again). */
  cacheTtlMs?: number;
  /** The AI port (e.g. OpenAiPort against tests/fakes/openai-server.ts); default: AI off. */
  ai?: AiPort;
  /** A database shared with another community (the caller closes it); default: a new in-memory one. */
  database?: DatabaseHandle;
  clock?: ManualClock;
  /** How long an interaction waits for the core before it is acknowledged all the same. */
  acknowledgeWithinMs?: number;
}

export async function slackHarness(mode: SlackMode, options: SlackHarnessOptions = {}) {
  const fake = await startFakeSlack();

  const shared = options.database !== undefined;
  const database = options.database ?? openDatabase(':memory:');
  const repos = createRepositories(database);
  const clock = options.clock ?? new ManualClock();
  const config = parseConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_APP_TOKEN: fake.appToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_MODE: mode,
    SLACK_PORT: '0',
    SLACK_HOST: '127.0.0.1',
    SLACK_API_URL: fake.apiUrl,
    SLACK_MOD_CHANNEL_ID: IDS.mods,
    SLACK_MOD_USERGROUP_ID: IDS.modGroup,
    ...options.env,
  });
  let service: SlackService;
  try {
    service = await startSlack({ config, repos, log: options.log ?? silentLogger, clock, commands: options.commands, webApi: options.webApi, cacheTtlMs: options.cacheTtlMs, ai: options.ai, acknowledgeWithinMs: options.acknowledgeWithinMs });
  } catch (error) {
    await fake.close();
    if (!shared) database.close();
    throw error;
  }
  const eventsUrl = `http://127.0.0.1:${service.port}/slack/events`;
  if (mode === 'socket') await vi.waitFor(() => expectTrue(fake.socketConnected, 'socket connected'), { timeout: 5000, interval: 10 });

  let sequence = 0;
  /** A Slack ts on the manual clock, unique per harness. */
  const ts = () => `${Math.floor(clock.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;

  /** Deliver an Events API callback. */
  async function event(payload: Record<string, unknown>) {
    const body = fake.eventCallback(payload, { eventId: `Ev${++sequence}`, eventTime: Math.floor(clock.now() / 1000) });
    // Acknowledged once handled (src/platforms/slack/app.ts): the fake waits for the handling, however slow the machine.
    if (mode === 'socket') return fake.sendEnvelope('events_api', body, 30_000);
    const response = await signedPost(eventsUrl, JSON.stringify(body), 'application/json', { secret: SIGNING_SECRET });
    if (response.status !== 200) throw new Error(`event rejected: HTTP ${response.status} ${response.text}`);
    return response;
  }

  /** Deliver a slash command; resolves with its response_url id once acknowledged. */
  async function command(user: string, name: string, text: string, channel: string = IDS.general) {
    const payload = slashCommandPayload(fake, user, name, text, channel, `trigger-${++sequence}`);
    const responseUrl = payload.response_url;
    noteSlackUnchecked('slash command payloads (not in the descriptions)');
    const ack = mode === 'socket'
      ? await fake.sendEnvelope('slash_commands', payload)
      : await signedPost(eventsUrl, new URLSearchParams(payload).toString(), 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET });
    return { responseId: responseUrl.split('/').pop()!, ack };
  }

  /** Deliver an interactivity payload (buttons, shortcuts); resolves once acknowledged. */
  async function interactive(payload: Record<string, unknown>) {
    noteSlackUnchecked(`interactive ${String(payload.type)} payloads (not in the descriptions)`);
    if (mode === 'socket') return fake.sendEnvelope('interactive', payload);
    const response = await signedPost(eventsUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET });
    if (response.status !== 200) throw new Error(`interaction rejected: HTTP ${response.status} ${response.text}`);
    return response;
  }

  const userRef = (id: string) => ({ id, username: fake.users.get(id)?.name ?? id, name: fake.users.get(id)?.name ?? id, team_id: fake.team.id });

  const t = {
    mode,
    fake,
    service,
    repos,
    clock,
    database,
    community: service.community,
    eventsUrl,
    event,
    command,
    interactive,
    ts,
    /** Bounded polling for an effect (throws the last assertion error after the timeout). */
    eventually<T>(check: () => T | Promise<T>, timeout = 5000): Promise<T> {
      return vi.waitFor(check, { timeout, interval: 10 });
    },
    /** A new member joins the workspace. */
    join(id: string, name = id.toLowerCase()) {
      fake.addUser({ id, name });
      return event({ type: 'team_join', user: { id, name, real_name: name, team_id: fake.team.id, is_bot: false, profile: { display_name: name } } });
    },
    /** Post a message in a channel; returns its ts. */
    /** Post as `user`; returns the message's Slack ts (`t.id(channel, ts)` is Hearth's id of it). */
    async say(user: string, text: string, extra: { channel?: string; thread_ts?: string; subtype?: string; bot_id?: string; ts?: string; files?: unknown[] } = {}) {
      const channel = extra.channel ?? IDS.general;
      const { channel: _c, ...rest } = extra;
      const id = extra.ts ?? ts();
      await event({ type: 'message', channel, channel_type: fake.channels.get(channel)?.is_private ? 'group' : 'channel', user, text, ...rest, ts: id });
      return id;
    },
    /** Hearth's id of the Slack message `ts` in `channel`. */
    id: slackMessageId,
    edit(channel: string, messageTs: string, text: string, user: string = IDS.maya) {
      return event({
        type: 'message', subtype: 'message_changed', channel, channel_type: fake.channels.get(channel)?.is_private ? 'group' : 'channel', ts: ts(),
        message: { type: 'message', user, text, ts: messageTs, edited: { user, ts: ts() } },
        previous_message: { type: 'message', user, text: '(before)', ts: messageTs },
      });
    },
    remove(channel: string, messageTs: string) {
      return event({ type: 'message', subtype: 'message_deleted', channel, channel_type: fake.channels.get(channel)?.is_private ? 'group' : 'channel', ts: ts(), deleted_ts: messageTs, previous_message: { type: 'message', ts: messageTs, text: '(gone)' } });
    },
    react(user: string, channel: string, messageTs: string, reaction: string) {
      return event({ type: 'reaction_added', user, reaction, item: { type: 'message', channel, ts: messageTs }, event_ts: ts() });
    },
    /** Press a Block Kit button on a message the bot posted. */
    press(user: string, button: { action_id: string; value: string }, message: { channel: string; ts: string }) {
      return interactive({
        type: 'block_actions',
        team: { id: fake.team.id, domain: fake.team.domain },
        user: userRef(user),
        api_app_id: 'A0APP',
        token: 'verification-token',
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
        trigger_id: `trigger-${++sequence}`,
        channel: { id: message.channel, name: fake.channels.get(message.channel)?.name ?? message.channel },
        message: { type: 'message', ts: message.ts, text: '', user: fake.bot.userId },
        response_url: fake.responseUrl(),
        actions: [{ type: 'button', block_id: 'b1', action_id: button.action_id, value: button.value, text: { type: 'plain_text', text: 'x' }, action_ts: ts() }],
      });
    },
    /** Run a message shortcut (callback_id = command name) on a message. */
    shortcut(user: string, callbackId: string, message: { channel: string; ts: string; user: string; text: string; files?: unknown[] }) {
      return interactive({
        type: 'message_action',
        callback_id: callbackId,
        trigger_id: `trigger-${++sequence}`,
        message_ts: message.ts,
        response_url: fake.responseUrl(),
        team: { id: fake.team.id, domain: fake.team.domain },
        channel: { id: message.channel, name: fake.channels.get(message.channel)?.name ?? message.channel },
        user: userRef(user),
        token: 'verification-token',
        message: { type: 'message', user: message.user, text: message.text, ts: message.ts, ...(message.files ? { files: message.files } : {}) },
      });
    },
    /** Buttons in a posted message's blocks. */
    buttonsOf(posted: { blocks?: unknown[] }): { action_id: string; value: string; text: { text: string } }[] {
      return (posted.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: never[] }).elements : []));
    },
    async close() {
      await service.stop();
      await fake.close();
      if (!shared) database.close();
    },
  };
  return t;
}

export type SlackHarness = Awaited<ReturnType<typeof slackHarness>>;

function expectTrue(value: boolean, what: string): void {
  if (!value) throw new Error(`waiting for: ${what}`);
}
