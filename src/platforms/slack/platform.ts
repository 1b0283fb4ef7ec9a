/**
 * The Platform port on Slack: core output -> Web API calls. Text is rendered to mrkdwn with
 * everything escaped except the mentions the core allows; buttons become Block Kit; the only
 * group ever mentioned is a moderator user group, and only in `notifyModerators`.
 */
import type { types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AudioClip, MessageTarget } from '../../core/events';
import { downloadCapped } from '../download';
import { markOutcomeUnknown, type Attachment, type Button, type ModeratorAudience, type OutgoingMessage, type PlatformPort, type PostDestination, type PostedMessage, type PostSearch } from '../../core/platform';
import { isTimeout } from './errors';
import type { Repositories } from '../../core/storage';
import type { Logger } from '../../log';
import type { SlackDirectory } from './directory';
import { slackEmojiName } from './emoji';
import { slackMessageId, slackTs } from './ids';
import { cutText } from '../../core/text/mentions';
import { escapeSlack, mentionedIds, toMrkdwn, toPlain } from './mrkdwn';

/**
 * The message metadata event that carries a post's idempotency key (the outbox key), so
 * `findPosted` can tell a post that arrived before a crash from one that never left.
 */
export const POST_EVENT_TYPE = 'hearth_post';

/** How far before its intent a keyed post is looked for (clock skew between Hearth and Slack). */
const LOOKUP_MARGIN_MS = 60_000;

/** Slack's cap for one section block's text. */
export const SECTION_MAX = 3000;

export interface SlackPlatformOptions {
  client: WebClient;
  directory: SlackDirectory;
  repos: Repositories;
  log: Logger;
  /** The bot's user id (from auth.test). */
  selfId: string;
  /** Used when the core gives no escalation channel (SLACK_MOD_CHANNEL_ID). */
  moderatorChannel?: string;
  /** Hosts private files are downloaded from with the bot token: Slack's, and a local fake's in tests. */
  fileHosts?: string[];
}

/** Where Slack serves private files (`url_private_download`). */
export const SLACK_FILE_HOSTS = ['files.slack.com'];

/** A message as Slack arguments: mrkdwn fallback text plus blocks when there is more than text. */
export type SlackBlock = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks?: SlackBlock[];
}

export class SlackPlatform implements PlatformPort {
  readonly name = 'slack';
  readonly selfId: string;

  constructor(private readonly options: SlackPlatformOptions) {
    this.selfId = options.selfId;
  }

  /** Private files need the bot token (`files:read`); it is sent to Slack's file host only. */
  async fetchAudio(_community: string, clip: AudioClip, maxBytes: number): Promise<Buffer> {
    const token = this.options.client.token;
    return downloadCapped(clip.url, {
      allowedHosts: this.options.fileHosts ?? SLACK_FILE_HOSTS,
      maxBytes,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  private get client(): WebClient {
    return this.options.client;
  }

  /**
   * Render an outgoing message. Public so interaction replies (response_url) and the App Home
   * share it. Members named without a ping are looked up first, so they read `@maya`.
   */
  async render(message: OutgoingMessage, prefix = ''): Promise<SlackMessage> {
    const allowed = new Set(message.mentionUsers ?? []);
    const named = mentionedIds(message.text).filter((id) => !allowed.has(id) && !this.options.directory.knownName(id));
    await Promise.all(named.slice(0, 20).map((id) => this.options.directory.user(id)));
    const nameOf = (id: string) => this.options.directory.knownName(id);
    const body = prefix + toMrkdwn(message.text, { mentionUsers: message.mentionUsers, nameOf });
    const text = message.label ? `_${escapeSlack(message.label)}_\n${body}` : body;
    const needsBlocks = Boolean(message.label || message.buttons?.length);
    if (!needsBlocks) return { text };
    const blocks: SlackBlock[] = [];
    if (message.label) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${escapeSlack(message.label)}_` }] });
    for (const chunk of chunks(body, SECTION_MAX)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
    if (message.buttons?.length) blocks.push({ type: 'actions', elements: buttonElements(message.buttons, nameOf) });
    return { text, blocks };
  }

  async post(community: string, channelId: string, message: OutgoingMessage): Promise<PostedMessage> {
    return this.send(community, channelId, message);
  }

  async reply(community: string, to: MessageTarget, message: OutgoingMessage): Promise<PostedMessage> {
    // Replies to a reply go in the same thread: Slack threads hang off the root message.
    const row = await this.options.repos.messages.get(community, to.messageId);
    return this.send(community, to.channelId, message, { threadTs: slackTs(row?.threadId ?? to.messageId) });
  }

  async edit(_community: string, target: MessageTarget, message: OutgoingMessage): Promise<void> {
    const rendered = await this.render(message);
    // Always send blocks on update: an edit that drops the buttons must replace the old blocks.
    await this.client.chat.update({
      channel: target.channelId,
      ts: slackTs(target.messageId),
      text: rendered.text,
      blocks: rendered.blocks ?? chunks(rendered.text, SECTION_MAX).map((chunk): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: chunk || ' ' } })),
    });
  }

  async dm(community: string, memberId: string, message: OutgoingMessage): Promise<PostedMessage> {
    const opened = await this.client.conversations.open({ users: memberId });
    const channelId = opened.channel?.id;
    if (!channelId) throw new Error(`conversations.open gave no channel for ${memberId}`);
    return this.send(community, channelId, message);
  }

  async ephemeral(community: string, channelId: string, memberId: string, message: OutgoingMessage): Promise<void> {
    // A post that must happen once goes where `findPosted` can look for it: the DM (an
    // ephemeral message shows in no history).
    if (message.idempotencyKey) {
      await this.dm(community, memberId, message);
      return;
    }
    const rendered = await this.render(message);
    try {
      await this.client.chat.postEphemeral({ channel: channelId, user: memberId, ...rendered });
    } catch (error) {
      // Not in the channel, or the member left it: a DM still reaches them.
      this.options.log.info({ err: (error as Error).message, channel: channelId }, 'chat.postEphemeral failed; sending a DM instead');
      await this.dm(community, memberId, message);
    }
  }

  async react(_community: string, target: MessageTarget, emoji: string): Promise<void> {
    try {
      await this.client.reactions.add({ channel: target.channelId, timestamp: slackTs(target.messageId), name: slackEmojiName(emoji) });
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'already_reacted') throw error;
    }
  }

  async notifyModerators(community: string, audience: ModeratorAudience, message: OutgoingMessage): Promise<PostedMessage> {
    const channelId = audience.channelId ?? this.options.moderatorChannel;
    if (!channelId) {
      throw new Error('no moderator channel: set SLACK_MOD_CHANNEL_ID or `/hearth-config setting:moderatorChannel value:#channel`');
    }
    const mentions: string[] = [];
    const people: string[] = [];
    for (const id of [...(audience.roleIds ?? []), ...(audience.userIds ?? [])]) {
      if (/^S[A-Z0-9]+$/.test(id)) mentions.push(`<!subteam^${id}>`);
      else if (/^[UW][A-Z0-9]+$/.test(id)) {
        mentions.push(`<@${id}>`);
        people.push(id);
      } else this.options.log.warn({ id }, 'ignoring a moderator audience id that is neither a user group nor a user');
    }
    const prefix = mentions.length ? `${mentions.join(' ')} ` : '';
    return this.send(community, channelId, message, { prefix });
  }

  /**
   * A keyed post is found by its metadata among the bot's messages since its intent, where it
   * went: the moderator channel, the channel it was posted in, or the member's DM (for an
   * acknowledgement or a DM). A reply to a command
   * (response_url) shows in no history: not found, an acknowledgement that may have been one is
   * unknown.
   */
  async findPosted(_community: string, where: PostDestination, key: string, since: number): Promise<PostSearch> {
    if (where.kind === 'ephemeral' || where.kind === 'dm') {
      let found: PostedMessage | undefined;
      try {
        const opened = await this.client.conversations.open({ users: where.memberId });
        found = opened.channel?.id ? await this.findKeyed(opened.channel.id, key, since) : undefined;
      } catch (error) {
        // An app installed before the `im:history` scope cannot read the DM: the member is
        // acknowledged again, marked, rather than not at all.
        this.options.log.warn({ err: (error as Error).message, memberId: where.memberId }, 'could not look in a DM for an acknowledgement (re-apply the manifest for im:history)');
        return 'unknown';
      }
      return found ?? (where.kind === 'ephemeral' && where.interaction ? 'unknown' : 'absent');
    }
    const channel = where.kind === 'channel' ? where.channelId : (where.audience.channelId ?? this.options.moderatorChannel);
    if (!channel) return 'absent';
    return (await this.findKeyed(channel, key, since)) ?? 'absent';
  }

  /** The bot's message carrying `key` in its metadata in `channel` since `since`, if any. */
  private async findKeyed(channel: string, key: string, since: number): Promise<PostedMessage | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.client.conversations.history({
        channel,
        oldest: String(Math.max(0, since - LOOKUP_MARGIN_MS) / 1000),
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const found = page.messages?.find(
        (m) => m.user === this.selfId && m.metadata?.event_type === POST_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      if (found?.ts) return { channelId: channel, messageId: slackMessageId(channel, found.ts) };
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  /** Slack message links end in the channel, then `p` + the ts without its dot: `.../archives/C123/p1700000000123456`. */
  messageIdFromLink(link: string): string | undefined {
    const m = link.match(/^https:\/\/[\w.-]+\.slack\.com\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})(?:\?.*)?$/);
    return m ? slackMessageId(m[1], `${m[2]}.${m[3]}`) : undefined;
  }

  async permalink(_community: string, target: MessageTarget): Promise<string | undefined> {
    try {
      const result = await this.client.chat.getPermalink({ channel: target.channelId, message_ts: slackTs(target.messageId) });
      return result.permalink;
    } catch (error) {
      this.options.log.debug({ err: (error as Error).message }, 'chat.getPermalink failed');
      return undefined;
    }
  }

  private async send(
    _community: string,
    channelId: string,
    message: OutgoingMessage,
    extra: { threadTs?: string; prefix?: string } = {},
  ): Promise<PostedMessage> {
    const rendered = await this.render(message, extra.prefix);
    const result = await this.client.chat
      .postMessage({
        channel: channelId,
        ...rendered,
        ...(extra.threadTs ? { thread_ts: extra.threadTs } : {}),
        ...(message.idempotencyKey ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: message.idempotencyKey } } } : {}),
        // Never let Slack turn bare names or links into pings or previews of member text.
        link_names: false,
        unfurl_links: false,
        unfurl_media: false,
      })
      .catch((error: unknown) => {
        // A timed-out attempt may have posted (app.ts): the outbox looks for it before sending again.
        throw isTimeout(error) ? markOutcomeUnknown(error) : error;
      });
    const postedIn = result.channel ?? channelId;
    const posted: PostedMessage = { channelId: postedIn, messageId: slackMessageId(postedIn, result.ts!) };
    if (message.attachments?.length) await this.upload(postedIn, message.attachments, extra.threadTs ?? result.ts!);
    return posted;
  }

  /** Files go in the thread of the message they belong to (a chart under its summary). */
  private async upload(channelId: string, attachments: Attachment[], threadTs: string): Promise<void> {
    await this.client.filesUploadV2({
      channel_id: channelId,
      thread_ts: threadTs,
      file_uploads: attachments.map((a) => ({ file: a.data, filename: a.name, title: a.name })),
    });
  }
}

/** Block Kit buttons. action_id must be unique per block, so a repeated action gets `#n`. */
function buttonElements(buttons: Button[], nameOf: (id: string) => string | undefined): types.Button[] {
  const seen = new Map<string, number>();
  return buttons.slice(0, 25).map((button) => {
    const n = (seen.get(button.action) ?? 0) + 1;
    seen.set(button.action, n);
    const style = button.style === 'primary' || button.style === 'success' ? 'primary' : button.style === 'danger' ? 'danger' : undefined;
    return {
      type: 'button' as const,
      action_id: n === 1 ? button.action : `${button.action}#${n}`,
      value: button.value,
      text: { type: 'plain_text', text: cutText(toPlain(button.label, nameOf), 75) || '…', emoji: true },
      ...(style ? { style } : {}),
    };
  });
}

/** The core action behind a Block Kit action_id (drops the `#n` de-duplication suffix). */
export function actionFromId(actionId: string): string {
  return actionId.replace(/#\d+$/, '');
}

/** Split text at line breaks into pieces Slack accepts, never cutting inside `&amp;` or `<…>`. */
export function chunks(text: string, max: number): string[] {
  if (text.length <= max) return [text || ' '];
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    // Never between the two halves of an emoji (a surrogate pair).
    cut = cutText(rest, cut).length;
    const head = rest.slice(0, cut);
    const amp = head.lastIndexOf('&');
    if (amp > head.length - 6 && !head.slice(amp).includes(';')) cut = amp;
    const angle = head.lastIndexOf('<');
    if (angle > head.lastIndexOf('>')) cut = Math.min(cut, angle);
    if (cut <= 0) cut = max; // one token longer than a section: split it rather than loop
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) out.push(rest);
  return out.slice(0, 45);
}
