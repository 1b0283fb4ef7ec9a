/**
 * The shell community: a local community in the terminal (like Hubot's shell adapter).
 * It turns protocol lines into core events and prints what the companion does. Run
 * interactively, or scripted from stdin; the database file keeps what happened.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseCommandText } from '../../../commands/parse';
import type { ManualClock } from '../../core/clock';
import type { Companion } from '../../core/companion';
import type { ChannelRef, IncomingMessage, MemberRef } from '../../core/events';
import type { InteractionReply } from '../../core/platform';
import { parseShellLine, SHELL_HELP, type ShellLine } from './protocol';
import { formatShellMessage, shellMention, type ShellOutput } from './platform';
import type { ShellPostLog } from './post-log';

export interface ShellCommunityOptions {
  companion: Companion;
  clock: ManualClock;
  out: ShellOutput;
  community?: string;
  moderators?: string[];
  idPrefix: string;
  /** The record of keyed posts, shared with the platform: an acknowledging reply is one. */
  posts: ShellPostLog;
}

export class ShellCommunity {
  readonly communityId: string;
  private member = 'you';
  private channel = 'general';
  private readonly privateChannels = new Map<string, Set<string>>();
  private readonly moderators: Set<string>;
  private readonly lastMessage = new Map<string, string>();
  private sequence = 0;

  constructor(private readonly options: ShellCommunityOptions) {
    this.communityId = `shell:${options.community ?? 'local'}`;
    this.moderators = new Set(options.moderators ?? ['mod']);
  }

  get prompt(): string {
    return `${this.member}@#${this.channel}> `;
  }

  private memberRef(name = this.member): MemberRef {
    return { id: name, name, isModerator: this.moderators.has(name) };
  }

  private channelRef(name = this.channel): ChannelRef {
    const members = this.privateChannels.get(name);
    return members
      ? { id: name, name, visibility: 'private', kind: 'text', memberIds: [...members] }
      : { id: name, name, visibility: 'public', kind: 'text' };
  }

  private base() {
    return { community: this.communityId, communityName: this.options.community ?? 'local', at: this.options.clock.now() };
  }

  private say(line: string): void {
    this.options.out.write(line);
  }

  /** Run one protocol line. Errors are printed, never thrown: a typo must not end the session. */
  async run(raw: string): Promise<void> {
    const line = parseShellLine(raw);
    try {
      await this.apply(line);
    } catch (error) {
      this.say(`! ${(error as Error).message}`);
    }
  }

  private async apply(line: ShellLine): Promise<void> {
    const { companion, clock } = this.options;
    switch (line.kind) {
      case 'empty':
        return;
      case 'error':
        return this.say(`! ${line.message}`);
      case 'help':
        return this.say(SHELL_HELP);
      case 'join':
        this.member = line.name;
        await companion.handle({ ...this.base(), type: 'member_joined', member: this.memberRef(), welcomeChannelId: 'general' });
        return;
      case 'as':
        this.member = line.name;
        return;
      case 'mod':
        this.moderators.add(line.name);
        return this.say(`(${line.name} is now a moderator)`);
      case 'in': {
        this.channel = line.channel;
        const members = this.privateChannels.get(line.channel);
        if (line.private && !members) this.privateChannels.set(line.channel, new Set([this.member]));
        else if (members && !members.has(this.member)) members.add(this.member);
        if (this.privateChannels.has(line.channel)) {
          await companion.handle({ ...this.base(), type: 'channel_membership', channel: this.channelRef(), memberId: this.member, change: 'joined' });
        }
        return;
      }
      case 'message':
        return this.post(line.text, null);
      case 'reply':
        return this.post(line.text, this.lastMessage.get(this.channel) ?? null);
      case 'react': {
        const target = this.lastMessage.get(this.channel);
        if (!target) return this.say('! there is no message to react to in this channel yet');
        await companion.handle({ ...this.base(), type: 'reaction_added', channelId: this.channel, messageId: target, emoji: line.emoji, member: this.memberRef() });
        return;
      }
      case 'action': {
        const targetId = this.lastMessage.get(this.channel);
        if (!targetId) return this.say('! there is no message here to act on yet');
        const definition = companion.findCommand(line.label);
        if (!definition?.messageAction) return this.say(`! unknown message action "${line.label}"`);
        const target = await this.lastMessageRef(targetId);
        const reply = await companion.command({ ...this.base(), type: 'command_invoked', command: definition.name, options: {}, member: this.memberRef(), channel: this.channelRef(), target });
        return this.printReply(reply);
      }
      case 'press': {
        const reply = await companion.button({ ...this.base(), type: 'button_pressed', action: line.action, value: line.value, member: this.memberRef(), channel: this.channelRef() });
        if (reply) await this.printReply(reply);
        return;
      }
      case 'command': {
        const definition = companion.findCommand(line.name);
        if (!definition) return this.say(`! unknown command /${line.name} (commands: ${companion.commands.map((c) => `/${c.name}`).join(', ')})`);
        const options = parseCommandText(definition, line.args);
        const reply = await companion.command({ ...this.base(), type: 'command_invoked', command: definition.name, options, member: this.memberRef(), channel: this.channelRef() });
        return this.printReply(reply);
      }
      case 'advance': {
        clock.advance(line.ms);
        this.say(`(time is now ${new Date(clock.now()).toISOString()})`);
        await companion.runDueTasks();
        return;
      }
    }
  }

  private async post(text: string, replyTo: string | null): Promise<void> {
    const channel = this.privateChannels.get(this.channel);
    if (channel && !channel.has(this.member)) return this.say(`! ${this.member} is not a member of the private channel #${this.channel}`);
    this.sequence += 1;
    const id = `${this.options.idPrefix}m${this.sequence}`;
    const message: IncomingMessage = {
      id,
      channel: this.channelRef(),
      author: this.memberRef(),
      text,
      replyTo,
      mentions: [...text.matchAll(/(?:^|\s)@([\p{L}\p{N}_.-]+)/gu)].map((m) => m[1]),
      at: this.options.clock.now(),
    };
    this.lastMessage.set(this.channel, id);
    await this.options.companion.handle({ ...this.base(), type: 'message_posted', message });
  }

  private async lastMessageRef(id: string): Promise<IncomingMessage> {
    const row = await this.options.companion.core.repos.messages.get(this.communityId, id);
    return {
      id,
      channel: this.channelRef(),
      author: this.memberRef(row?.authorId ?? this.member),
      text: row?.text ?? '',
      at: row?.createdAt ?? this.options.clock.now(),
    };
  }

  /** Print a command's reply and confirm its delivery at once (nothing awaited in between). */
  private printReply(reply: InteractionReply): Promise<void> {
    const note = reply.visibility === 'ephemeral' ? ` (only ${shellMention(this.member)} sees this)` : '';
    this.options.posts.record(reply.receipt?.key, null, () => this.say(formatShellMessage(`#${this.channel}`, reply, note).join('\n')));
    return this.options.companion.delivered(reply);
  }

  /** Read lines until end of input: interactive with a prompt on a terminal, scripted otherwise. */
  async runStream(input: Readable, interactive: boolean, stop?: AbortSignal, terminal?: NodeJS.WritableStream): Promise<void> {
    // On a terminal readline needs the output stream to echo what is typed and show the prompt.
    const rl = createInterface({ input, ...(interactive && terminal ? { output: terminal } : {}), terminal: interactive, crlfDelay: Infinity });
    // SIGINT / SIGTERM: stop reading; the line being handled finishes, then the caller closes the database.
    stop?.addEventListener('abort', () => rl.close(), { once: true });
    if (interactive) {
      this.say(`Hearth shell community "${this.options.community ?? 'local'}". Type :help for commands, Ctrl-D to leave.`);
      rl.setPrompt(this.prompt);
      rl.prompt();
    }
    for await (const raw of rl) {
      await this.run(raw);
      if (interactive) {
        rl.setPrompt(this.prompt);
        rl.prompt();
      }
    }
  }
}
