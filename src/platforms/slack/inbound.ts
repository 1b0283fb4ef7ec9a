/**
 * Slack payloads -> core events. An interaction (command, shortcut, button) is acknowledged
 * once the core has it, or at a deadline inside Slack's 3 seconds (../deadline.ts); replies go
 * back through `response_url`, falling back to an ephemeral message. No business rule lives
 * here: the core decides what to do.
 */
import type { App, RespondFn } from '@slack/bolt';
import { parseCommandText } from '../../../commands/parse';
import type { CommandDefinition } from '../../../commands';
import type { Clock } from '../../core/clock';
import type { Companion } from '../../core/companion';
import type { AudioClip, ChannelRef, IncomingMessage, MemberRef } from '../../core/events';
import type { InteractionReply } from '../../core/platform';
import type { Logger } from '../../log';
import type { SlackDirectory } from './directory';
import { emojiFromSlack } from './emoji';
import { slackMessageId } from './ids';
import { fromSlackText, mentionedIds } from './mrkdwn';
import { actionFromId, type SlackPlatform } from './platform';
import { POSTED_SUBTYPES } from './subtypes';
import { buildHomeView } from './home';
import { ACKNOWLEDGE_WITHIN_MS, within } from '../deadline';

export interface InboundDeps {
  app: App;
  companion: Companion;
  directory: SlackDirectory;
  platform: SlackPlatform;
  log: Logger;
  clock: Clock;
  /** The installed workspace (auth.test): used when a payload does not name its team. */
  teamId: string;
  teamName?: string;
  /** SLACK_WELCOME_CHANNEL_ID; else the workspace's #general. */
  welcomeChannel?: string;
  /** How long an interaction waits for the core before it is acknowledged all the same (tests). */
  acknowledgeWithinMs?: number;
}

/** The subset of a Slack message event the adapter reads. */
interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  message?: SlackMessageEvent;
  previous_message?: SlackMessageEvent;
  deleted_ts?: string;
  files?: SlackFile[];
}

/** The fields of a shared file the adapter reads (audio and video clips become audio clips). */
interface SlackFile {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
  /** Recorded clips (`slack_audio`, `slack_video`) carry their length. */
  duration_ms?: number;
  subtype?: string;
}

/** Audio and video file shares: what Hearth may transcribe (a video's sound track is its words). */
function slackAudio(files: SlackFile[] | undefined): AudioClip[] {
  return (files ?? [])
    .filter((f) => /^(audio|video)\//i.test(f.mimetype ?? '') && (f.url_private_download || f.url_private))
    .map((f) => ({
      id: f.id,
      name: f.name || `${f.id}.${f.mimetype?.split('/')[1] ?? 'audio'}`,
      contentType: f.mimetype!,
      size: f.size ?? 0,
      url: (f.url_private_download || f.url_private)!,
      ...(typeof f.duration_ms === 'number' ? { durationSeconds: f.duration_ms / 1000 } : {}),
      ...(f.subtype === 'slack_audio' ? { voiceMessage: true } : {}),
    }));
}

/** Conversations the companion listens to: public and private channels, never DMs. */
const LISTENED = new Set(['channel', 'group']);

export const slackCommunity = (teamId: string) => `slack:${teamId}`;

/** Slack `ts` ("1700000000.000100") -> milliseconds. */
export const tsToMs = (ts: string) => Math.round(Number(ts) * 1000) || 0;

export function registerInbound(deps: InboundDeps): void {
  const { app, companion, directory, log, clock } = deps;

  const base = (teamId: string | undefined, at?: number) => ({
    community: slackCommunity(teamId || deps.teamId),
    ...(deps.teamName && (!teamId || teamId === deps.teamId) ? { communityName: deps.teamName } : {}),
    at: at ?? clock.now(),
  });
  const eventAt = (body: { event_time?: number }) => (body.event_time ? body.event_time * 1000 : clock.now());
  /** Slack's id for an Events API delivery: a retry, or the same event on another connection, carries it again. */
  const delivery = (body: { event_id?: string }) => (body.event_id ? { deliveryId: body.event_id } : {});
  /**
   * A command, shortcut or button press, once: Slack re-sends a request it did not see
   * acknowledged, possibly on another connection (another process), with the same trigger_id.
   * Undefined for a repeat (the first copy answers).
   */
  const once = <T>(community: string, triggerId: string | undefined, run: () => Promise<T>): Promise<T | undefined> =>
    triggerId ? companion.once(community, `trigger:${triggerId}`, run) : run();

  /** Run work; a failure is logged (undefined), never thrown back into Bolt. */
  const work = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      log.error({ err: error, what }, 'slack handler failed');
      return undefined;
    }
  };
  /**
   * An interaction: `handle` (lookups and the core's call) is acknowledged once it is done, or
   * at the deadline if it is slower; then its reply is sent (`answer`). The listener returns
   * once acknowledged: in HTTP mode the acknowledgement is the response to Slack's request,
   * held until the listener returns (processBeforeResponse, app.ts).
   */
  const interaction = async <T>(what: string, ack: () => Promise<void>, handle: () => Promise<T>, answered: (handled: T) => Promise<void>): Promise<void> => {
    const handled = work(what, handle);
    await within(handled, deps.acknowledgeWithinMs ?? ACKNOWLEDGE_WITHIN_MS);
    // An acknowledgement that cannot be sent (the socket reconnecting) loses no reply: the
    // reply goes through response_url, which needs no socket.
    const acked = ack().catch((error: unknown) => log.warn({ err: error, what }, 'could not acknowledge a Slack interaction; replying all the same'));
    void handled.then(async (value) => {
      await acked;
      if (value !== undefined) await work(`${what}: reply`, () => answered(value));
    });
    await acked;
  };
  /**
   * Events run one after another in arrival order, lookups included: Bolt hands them over
   * concurrently, and a name lookup must not let a reply overtake the question it answers.
   */
  let queue: Promise<void> = Promise.resolve();
  const ordered = (what: string, fn: () => Promise<unknown>): Promise<void> => {
    const run = queue.then(async () => void (await work(what, fn)));
    queue = run;
    return run;
  };

  /**
   * A channel as the core sees it. When a private channel's whole member list was just
   * fetched, members recorded earlier and no longer in it are reported as having left first:
   * member_left_channel is lost while the app is down, and the core only ever adds members
   * from a list.
   */
  const channelRef = async (community: string, id: string, name?: string, channelType?: string): Promise<ChannelRef> => {
    const { ref, roster } = await directory.channelWithRoster(id, name, channelType);
    if (roster) {
      const current = new Set(roster);
      const { memberIds: _all, ...channel } = ref;
      for (const memberId of await companion.core.repos.channels.members(community, id)) {
        if (current.has(memberId)) continue;
        await companion.handle({ community, at: clock.now(), type: 'channel_membership', channel, memberId, change: 'left' });
      }
    }
    return ref;
  };

  const author = async (community: string, event: SlackMessageEvent): Promise<MemberRef> => {
    if (!event.user) return { id: event.bot_id ?? 'unknown-bot', name: event.bot_id ?? 'bot', isBot: true };
    const member = await directory.member(community, event.user);
    // Apps posting as a user, and the companion itself, never count as members.
    return event.bot_id || event.user === deps.platform.selfId ? { ...member, isBot: true, isModerator: false } : member;
  };

  const incoming = async (community: string, event: SlackMessageEvent, channel?: ChannelRef): Promise<IncomingMessage> => {
    const text = event.text ?? '';
    const inThread = Boolean(event.thread_ts && event.thread_ts !== event.ts);
    const root = inThread ? slackMessageId(event.channel, event.thread_ts!) : null;
    const audio = slackAudio(event.files);
    return {
      id: slackMessageId(event.channel, event.ts),
      channel: channel ?? (await channelRef(community, event.channel, undefined, event.channel_type)),
      author: await author(community, event),
      text: fromSlackText(text),
      threadId: root,
      replyTo: root,
      mentions: mentionedIds(text),
      at: tsToMs(event.ts),
      ...(audio.length ? { audio } : {}),
    };
  };

  // --- Events ------------------------------------------------------------------------------

  app.event('team_join', async ({ event, body }) => {
    await ordered('team_join', async () => {
      const user = event.user as unknown as Parameters<SlackDirectory['remember']>[0];
      const info = directory.remember(user);
      const welcomeChannelId = deps.welcomeChannel ?? (await directory.generalChannel());
      await companion.handle({
        ...base(body.team_id, eventAt(body)),
        ...delivery(body),
        type: 'member_joined',
        member: { id: info.id, name: info.name, isBot: info.isBot, isModerator: info.isAdmin, email: info.email },
        ...(welcomeChannelId ? { welcomeChannelId } : {}),
      });
    });
  });

  const membership = (change: 'joined' | 'left') =>
    async ({ event, body }: { event: { user: string; channel: string; channel_type?: string }; body: { team_id?: string; event_time?: number } }) => {
      await ordered(`member_${change}_channel`, async () => {
        // Membership changed: drop cached members so the next lookup is fresh.
        directory.forgetChannel(event.channel);
        if (event.channel_type !== 'G') return; // public channels: readable by everyone anyway
        const channel = await channelRef(slackCommunity(body.team_id || deps.teamId), event.channel);
        await companion.handle({ ...base(body.team_id, eventAt(body)), type: 'channel_membership', channel, memberId: event.user, change });
      });
    };
  /**
   * A deleted channel takes its messages with it, but Slack sends only channel_deleted /
   * group_deleted: each stored message of the channel is reported deleted, so the core
   * forgets it like any other deletion (storage, search index, discussion vectors).
   */
  const channelDeleted = async ({ event, body }: { event: { channel: string }; body: { team_id?: string } }) => {
    await ordered('channel_deleted', async () => {
      directory.forgetChannel(event.channel);
      const community = slackCommunity(body.team_id || deps.teamId);
      let previous = '';
      for (;;) {
        const rows = await companion.core.repos.messages.recentInChannel(community, event.channel, 0, 200);
        const page = rows.map((r) => r.id).join(',');
        if (!rows.length || page === previous) return; // done, or nothing could be removed: stop
        previous = page;
        for (const row of rows) await companion.handle({ ...base(body.team_id), type: 'message_deleted', channelId: event.channel, messageId: row.id });
      }
    });
  };
  app.event('channel_deleted', channelDeleted);
  app.event('group_deleted', channelDeleted);
  app.event('member_joined_channel', membership('joined'));
  app.event('member_left_channel', membership('left'));

  app.event('message', async ({ event, body }) => {
    await ordered('message', async () => {
      const message = event as unknown as SlackMessageEvent;
      if (!LISTENED.has(message.channel_type ?? '')) return;
      const community = slackCommunity(body.team_id || deps.teamId);
      if (message.subtype === 'message_changed' && message.message) {
        const edited = message.message;
        if (edited.subtype === 'tombstone') {
          // A deleted message with replies: Slack keeps a "This message was deleted." tombstone
          // in its place and sends this change, not message_deleted (that comes only if the
          // tombstone itself goes, with its last reply). The text is gone: forget it now.
          await companion.handle({ ...base(body.team_id, eventAt(body)), type: 'message_deleted', channelId: message.channel, messageId: slackMessageId(message.channel, edited.ts) });
          return;
        }
        await companion.handle({ ...base(body.team_id, eventAt(body)), ...delivery(body), type: 'message_edited', channelId: message.channel, messageId: slackMessageId(message.channel, edited.ts), text: fromSlackText(edited.text ?? '') });
        return;
      }
      if (message.subtype === 'message_deleted') {
        const ts = message.deleted_ts ?? message.previous_message?.ts;
        if (ts) await companion.handle({ ...base(body.team_id, eventAt(body)), type: 'message_deleted', channelId: message.channel, messageId: slackMessageId(message.channel, ts) });
        return;
      }
      if (!POSTED_SUBTYPES.has(message.subtype)) return; // joins, topic changes, pins: not conversation
      await companion.handle({ ...base(body.team_id, tsToMs(message.ts)), ...delivery(body), type: 'message_posted', message: await incoming(community, message) });
    });
  });

  // Added and removed carry the same fields: one mapping, two event types.
  for (const type of ['reaction_added', 'reaction_removed'] as const) {
    app.event(type, async ({ event, body }) => {
      await ordered(type, async () => {
        if (event.item.type !== 'message') return;
        const community = slackCommunity(body.team_id || deps.teamId);
        const member = await directory.member(community, event.user);
        await companion.handle({
          ...base(body.team_id, eventAt(body)),
          ...delivery(body),
          type,
          channelId: event.item.channel,
          messageId: slackMessageId(event.item.channel, event.item.ts),
          emoji: emojiFromSlack(event.reaction),
          member: event.user === deps.platform.selfId ? { ...member, isBot: true } : member,
        });
      });
    });
  }

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await work('app_home_opened', async () => {
      const community = slackCommunity(body.team_id || deps.teamId);
      const member = await directory.member(community, event.user);
      const view = await buildHomeView({
        companion,
        platform: deps.platform,
        member,
        channel: { id: event.channel || `home-${event.user}`, name: 'App Home', visibility: 'private', kind: 'dm' },
        base: base(body.team_id),
      });
      await app.client.views.publish({ user_id: event.user, view });
    });
  });

  // --- Interactions ------------------------------------------------------------------------

  /** Send an interaction reply to the invoker: response_url first, an ephemeral message if that fails. */
  const answer = async (reply: InteractionReply | undefined, respond: RespondFn | undefined, community: string, channelId: string, userId: string) => {
    if (!reply) return;
    const rendered = await deps.platform.render(reply);
    try {
      if (!respond) throw new Error('no response_url');
      await respond({
        ...rendered,
        ...(reply.updateOriginal ? { replace_original: true } : { response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral', replace_original: false }),
      });
    } catch (error) {
      log.info({ err: (error as Error).message }, 'response_url failed; replying with an ephemeral message');
      if (reply.visibility === 'public' && !reply.updateOriginal) await deps.platform.post(community, channelId, reply);
      else await deps.platform.ephemeral(community, channelId, userId, reply);
    }
    await companion.delivered(reply);
    // Files cannot travel through response_url: they go to the invoker by DM.
    if (reply.attachments?.length) {
      await deps.platform.dm(community, userId, { text: `📎 ${reply.attachments.map((a) => a.name).join(', ')}`, attachments: reply.attachments });
    }
  };

  for (const definition of companion.commands) {
    app.command(`/${definition.name}`, async ({ ack, command, respond }) => {
      const community = slackCommunity(command.team_id || deps.teamId);
      await interaction(
        `/${definition.name}`,
        ack,
        async () => {
          const [member, channel] = await Promise.all([
            directory.member(community, command.user_id),
            channelRef(community, command.channel_id, command.channel_name),
          ]);
          return {
            reply: await once(community, command.trigger_id, () =>
              companion.command({
                ...base(command.team_id),
                type: 'command_invoked',
                command: definition.name,
                options: parseCommandText(definition, command.text ?? ''),
                member,
                channel,
              }),
            ),
          };
        },
        ({ reply }) => answer(reply, respond, community, command.channel_id, command.user_id),
      );
    });
    if (definition.messageAction) registerShortcut(definition);
  }

  function registerShortcut(definition: CommandDefinition): void {
    app.shortcut({ type: 'message_action', callback_id: definition.name }, async ({ ack, shortcut, respond }) => {
      if (shortcut.type !== 'message_action') return void (await ack());
      const teamId = shortcut.team?.id ?? deps.teamId;
      const community = slackCommunity(teamId);
      await interaction(
        `shortcut ${definition.name}`,
        ack,
        async () => {
          const channel = await channelRef(community, shortcut.channel.id, shortcut.channel.name);
          const acted = shortcut.message as unknown as SlackMessageEvent;
          const target = await incoming(community, { ...acted, type: 'message', channel: shortcut.channel.id }, channel);
          const member = await directory.member(community, shortcut.user.id);
          return {
            reply: await once(community, shortcut.trigger_id, () =>
              companion.command({
                ...base(teamId),
                type: 'command_invoked',
                command: definition.name,
                options: {},
                member,
                channel,
                target,
              }),
            ),
          };
        },
        ({ reply }) => answer(reply, respond, community, shortcut.channel.id, shortcut.user.id),
      );
    });
  }

  app.action(/.+/, async ({ ack, body, action, respond }) => {
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return void (await ack());
    const teamId = body.team?.id ?? deps.teamId;
    const community = slackCommunity(teamId);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    await interaction(
      'block action',
      ack,
      async () => {
        const channel: ChannelRef = channelId
          ? await channelRef(community, channelId, body.channel?.name)
          : { id: `home-${body.user.id}`, name: 'App Home', visibility: 'private', kind: 'dm' };
        const member = await directory.member(community, body.user.id);
        return {
          channel,
          reply: await once(community, body.trigger_id, () =>
            companion.button({
              ...base(teamId),
              type: 'button_pressed',
              action: actionFromId(action.action_id),
              value: action.value ?? '',
              member,
              channel,
              ...(body.message?.ts && channelId ? { messageId: slackMessageId(channelId, body.message.ts) } : {}),
            }),
          ),
        };
      },
      ({ channel, reply }) => answer(reply, respond, community, channel.id, body.user.id),
    );
  });

  app.error(async (error) => {
    log.error({ err: error }, 'bolt error');
  });
}
