/** A chat message as reply inference sees it: platform-neutral, storage-neutral. */
export interface ThreadMessage {
  id: string;
  /** Author id (the CLI uses the author's name as id). */
  author: string;
  /** Display name, when it differs from the id (used to spot "alice: ..." addressing). */
  authorName?: string;
  text: string;
  /** Epoch milliseconds. */
  at: number;
  kind?: 'message' | 'join' | 'system';
  /** Explicit reply target (Discord reply, Slack thread parent). */
  replyTo?: string | null;
  /** Root message id of the thread this message lives in. */
  threadId?: string | null;
  /** Member ids mentioned with the platform's mention syntax. */
  mentions?: readonly string[];
  authorIsBot?: boolean;
}
