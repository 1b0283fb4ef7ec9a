/**
 * The shell community's Platform port: everything the companion does is printed as a line
 * tagged with where it happened. Ids are names (members, channels), so `<@maya>` renders
 * as `@maya`.
 */
import type { MessageTarget } from '../../core/events';
import type { ModeratorAudience, OutgoingMessage, PlatformPort, PostDestination, PostedMessage, PostSearch } from '../../core/platform';
import { stripMassMentions } from '../../core/text/mentions';
import { shellPostLog, type ShellPostLog } from './post-log';

export const SHELL_SELF_ID = 'hearth';

export interface ShellOutput {
  write(line: string): void;
}

export class ShellPlatform implements PlatformPort {
  readonly name = 'shell';
  readonly selfId = SHELL_SELF_ID;
  private sequence = 0;

  constructor(
    private readonly out: ShellOutput,
    /** Prefix for the companion's message ids, unique per run (the database outlives a run). */
    private readonly idPrefix: string,
    /** The record of keyed posts that answers `findPosted` (in memory unless given one). */
    private readonly posts: ShellPostLog = shellPostLog(undefined),
  ) {}

  private nextId(): string {
    this.sequence += 1;
    return `${this.idPrefix}c${this.sequence}`;
  }

  /**
   * One write for the whole message: a process killed mid-post leaves all of it or none of it
   * in the transcript. A keyed post is recorded around that write (see post-log.ts).
   */
  private print(where: string, message: OutgoingMessage, note = '', target: MessageTarget | null = null): void {
    this.posts.record(message.idempotencyKey, target, () => this.out.write(formatShellMessage(where, message, note).join('\n')));
  }

  /** Whether a keyed post reached the terminal, from the shell's record of them. */
  async findPosted(_community: string, _where: PostDestination, key: string): Promise<PostSearch> {
    return this.posts.find(key);
  }

  async post(_community: string, channelId: string, message: OutgoingMessage): Promise<PostedMessage> {
    const id = this.nextId();
    this.print(`#${channelId}`, message, '', { channelId, messageId: id });
    return { channelId, messageId: id, permalink: `shell://${channelId}/${id}` };
  }

  async reply(_community: string, to: MessageTarget, message: OutgoingMessage): Promise<PostedMessage> {
    const id = this.nextId();
    this.print(`#${to.channelId}`, message, ` (reply to ${to.messageId})`, { channelId: to.channelId, messageId: id });
    return { channelId: to.channelId, messageId: id, permalink: `shell://${to.channelId}/${id}` };
  }

  async edit(_community: string, target: MessageTarget, message: OutgoingMessage): Promise<void> {
    this.print(`#${target.channelId}`, message, ` (edited ${target.messageId})`);
  }

  async dm(_community: string, memberId: string, message: OutgoingMessage): Promise<PostedMessage> {
    const id = this.nextId();
    this.print(`dm ${shellMention(memberId)}`, message, '', { channelId: `dm-${memberId}`, messageId: id });
    return { channelId: `dm-${memberId}`, messageId: id };
  }

  async ephemeral(_community: string, channelId: string, memberId: string, message: OutgoingMessage): Promise<void> {
    this.print(`#${channelId}`, message, ` (only ${shellMention(memberId)} sees this)`);
  }

  async react(_community: string, target: MessageTarget, emoji: string): Promise<void> {
    this.out.write(`[#${target.channelId}] Hearth reacted ${emoji} to ${target.messageId}`);
  }

  async notifyModerators(_community: string, audience: ModeratorAudience, message: OutgoingMessage): Promise<PostedMessage> {
    const channelId = audience.channelId ?? 'moderators';
    const mentions = [...(audience.roleIds ?? []), ...(audience.userIds ?? [])].map(shellMention).join(' ');
    const id = this.nextId();
    this.print(`#${channelId}`, { ...message, text: mentions ? `${mentions} ${message.text}` : message.text }, '', { channelId, messageId: id });
    return { channelId, messageId: id, permalink: `shell://${channelId}/${id}` };
  }

  async permalink(_community: string, target: MessageTarget): Promise<string> {
    return `shell://${target.channelId}/${target.messageId}`;
  }

  messageIdFromLink(link: string): string | undefined {
    return link.match(/^shell:\/\/[^/]+\/([^/]+)$/)?.[1];
  }
}

/** The transcript lines for one companion message (also used for interaction replies). */
export function formatShellMessage(where: string, message: OutgoingMessage, note = ''): string[] {
  const label = message.label ? `[${message.label}] ` : '';
  const [first, ...rest] = renderShellText(message.text).split('\n');
  const lines = [`[${where}]${note} Hearth: ${label}${first}`, ...rest.map((line) => `    ${line}`)];
  for (const attachment of message.attachments ?? []) lines.push(`    (attached ${attachment.name}, ${attachment.data.length} bytes)`);
  if (message.buttons?.length) lines.push(`    ${message.buttons.map((b) => `[${b.label}: :press ${b.action} ${b.value}]`).join('  ')}`);
  return lines;
}

/**
 * A member or role named in the shell's own line prefixes: `@maya`. Names are whatever was
 * typed (`:join everyone`), so they are made inert like any echoed text.
 */
export function shellMention(id: string): string {
  return stripMassMentions(`@${id}`);
}

/** `<@maya>` -> `@maya`; markdown kept as typed (readable in a terminal). */
export function renderShellText(text: string): string {
  return text.replace(/<@([^>|]+)(?:\|[^>]*)?>/g, '@$1');
}
