/**
 * A Platform port that records every call, for asserting on what the core asked the
 * platform to do. Ids are predictable (`out1`, `out2`, ...).
 */
import type { AudioClip, MessageTarget } from '../../src/core/events';
import type { ModeratorAudience, OutgoingMessage, PlatformPort, PostedMessage } from '../../src/core/platform';

export type RecordedCall =
  | { kind: 'post'; community: string; channelId: string; message: OutgoingMessage; id: string }
  | { kind: 'reply'; community: string; to: MessageTarget; message: OutgoingMessage; id: string }
  | { kind: 'edit'; community: string; target: MessageTarget; message: OutgoingMessage }
  | { kind: 'dm'; community: string; memberId: string; message: OutgoingMessage; id: string }
  | { kind: 'ephemeral'; community: string; channelId: string; memberId: string; message: OutgoingMessage; via?: { replyToken?: string } }
  | { kind: 'react'; community: string; target: MessageTarget; emoji: string }
  | { kind: 'notifyModerators'; community: string; audience: ModeratorAudience; message: OutgoingMessage; id: string };

export class RecordingPlatform implements PlatformPort {
  readonly name: string;
  readonly selfId = 'hearth-bot';
  readonly calls: RecordedCall[] = [];
  private sequence = 0;
  /** Set to play a platform whose history can be searched for a post (see PlatformPort). */
  findPosted?: PlatformPort['findPosted'];
  /** Make the next N calls of a kind fail (fault injection). */
  failNext: Partial<Record<RecordedCall['kind'], number>> = {};
  /** Audio this platform serves, by clip URL, and the URLs fetched (a clip's URL says what is spoken, e.g. `audio://hello`). */
  readonly audioFetches: string[] = [];

  constructor(name = 'test') {
    this.name = name;
  }

  async fetchAudio(_community: string, clip: AudioClip, maxBytes: number): Promise<Buffer> {
    this.audioFetches.push(clip.url);
    const data = Buffer.from(decodeURIComponent(clip.url.replace(/^audio:\/\//, '')));
    if (data.length > maxBytes) throw new Error('over the limit');
    return data;
  }

  private id(): string {
    this.sequence += 1;
    return `out${this.sequence}`;
  }

  private maybeFail(kind: RecordedCall['kind']): void {
    const left = this.failNext[kind] ?? 0;
    if (left > 0) {
      this.failNext[kind] = left - 1;
      throw new Error(`injected ${kind} failure`);
    }
  }

  async post(community: string, channelId: string, message: OutgoingMessage): Promise<PostedMessage> {
    this.maybeFail('post');
    const id = this.id();
    this.calls.push({ kind: 'post', community, channelId, message, id });
    return { channelId, messageId: id, permalink: `https://chat.test/${channelId}/${id}` };
  }
  async reply(community: string, to: MessageTarget, message: OutgoingMessage): Promise<PostedMessage> {
    this.maybeFail('reply');
    const id = this.id();
    this.calls.push({ kind: 'reply', community, to, message, id });
    return { channelId: to.channelId, messageId: id };
  }
  async edit(community: string, target: MessageTarget, message: OutgoingMessage): Promise<void> {
    this.maybeFail('edit');
    this.calls.push({ kind: 'edit', community, target, message });
  }
  async dm(community: string, memberId: string, message: OutgoingMessage): Promise<PostedMessage> {
    this.maybeFail('dm');
    const id = this.id();
    this.calls.push({ kind: 'dm', community, memberId, message, id });
    return { channelId: `dm-${memberId}`, messageId: id };
  }
  async ephemeral(community: string, channelId: string, memberId: string, message: OutgoingMessage, via?: { replyToken?: string }): Promise<void> {
    this.maybeFail('ephemeral');
    this.calls.push({ kind: 'ephemeral', community, channelId, memberId, message, ...(via ? { via } : {}) });
  }
  async react(community: string, target: MessageTarget, emoji: string): Promise<void> {
    this.maybeFail('react');
    this.calls.push({ kind: 'react', community, target, emoji });
  }
  async notifyModerators(community: string, audience: ModeratorAudience, message: OutgoingMessage): Promise<PostedMessage> {
    this.maybeFail('notifyModerators');
    const id = this.id();
    const channelId = audience.channelId ?? 'mod-default';
    this.calls.push({ kind: 'notifyModerators', community, audience, message, id });
    return { channelId, messageId: id };
  }
  async permalink(_community: string, target: MessageTarget): Promise<string> {
    return `https://chat.test/${target.channelId}/${target.messageId}`;
  }
  messageIdFromLink(link: string): string | undefined {
    return link.match(/^https:\/\/chat\.test\/[^/]+\/([^/]+)$/)?.[1];
  }

  of<K extends RecordedCall['kind']>(kind: K): Extract<RecordedCall, { kind: K }>[] {
    return this.calls.filter((c) => c.kind === kind) as Extract<RecordedCall, { kind: K }>[];
  }

  clear(): void {
    this.calls.length = 0;
  }
}
