/**
 * Streaming reply inference over many channels: keeps a bounded history per channel and
 * links each message to an earlier one with `inferParent`. Used by the `links` CLI and the
 * IRC benchmark; the live feature reads the same window from the repository instead.
 */
import { shareAnalysis } from './analyze';
import { DEFAULT_WINDOW, inferParent, type InferOptions } from './infer';
import type { ThreadMessage } from './types';

export class ReplyLinker {
  private readonly history = new Map<string, ThreadMessage[]>();
  private readonly keep: number;

  constructor(private readonly options: InferOptions = {}) {
    // Join lines and other threads are skipped as candidates, so keep some slack.
    const window = { ...DEFAULT_WINDOW, ...options.window };
    this.keep = 2 * Math.max(2 * window.messages, window.named);
  }

  /** The parent of `message` (posted in `channel` after everything linked so before), or null. */
  link(channel: string, message: ThreadMessage): string | null {
    let earlier = this.history.get(channel);
    if (!earlier) this.history.set(channel, (earlier = []));
    const parent = inferParent(message, earlier, this.options);
    // Later messages see who this one answered, as they would in the database.
    if (parent === message.replyTo) earlier.push(message);
    else {
      const linked = { ...message, replyTo: parent };
      shareAnalysis(message, linked);
      earlier.push(linked);
    }
    if (earlier.length > 2 * this.keep) earlier.splice(0, earlier.length - this.keep);
    return parent;
  }
}
