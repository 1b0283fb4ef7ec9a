/**
 * The one search interface the core uses for related past discussions. Storage backends
 * implement it (SQLite FTS5 in `src/db/repositories/related-search.ts`; a PostgreSQL
 * tsvector backend would implement the same): they find candidate discussions and hand back
 * their human messages and a few corpus statistics. Ranking happens in the core
 * (`rank.ts`), so every backend ranks the same way and the core never sees SQL.
 */
import type { Token } from './text';

export interface CandidateRequest {
  community: string;
  /** Query terms (letters and digits only, see `queryTerms`). */
  terms: Token[];
  /** Channels the asker can read: results never come from anywhere else. */
  readableChannelIds: ReadonlySet<string>;
  /** Discussions never to return (the asker's own current thread). */
  excludeDiscussionIds?: string[];
  /** Return exactly these discussions (when readable), matched or not, instead of searching. */
  onlyDiscussionIds?: string[];
  /** Most discussions to return from a search. */
  limit: number;
  /** Count each author's helper record only up to this (what the ranker can tell apart); default: all. */
  helperRecordCap?: number;
}

export interface DiscussionMessage {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  title: string | null;
  replyTo: string | null;
  createdAt: number;
  /** The text is an AI transcript of a voice message (shown as such). */
  transcribed?: boolean;
}

/** A usefulness fact about a message of the discussion (thanks, an accepted answer). */
export interface DiscussionSignal {
  kind: string;
  actorId: string;
  subjectId: string | null;
  messageId: string | null;
  /** A `helped` signal that is the asker's accepted answer (✅), not just any reply that helped. */
  accepted?: boolean;
}

export interface CandidateDiscussion {
  id: string;
  channelId: string;
  /** Human messages with text, oldest first; the first is the question (title and body). */
  messages: DiscussionMessage[];
  signals: DiscussionSignal[];
}

export interface CandidateResult {
  discussions: CandidateDiscussion[];
  /** Indexed human messages in the community (for inverse document frequency). */
  documents: number;
  /** Messages containing each query term, keyed by the term's stem. */
  documentFrequency: Record<string, number>;
  /**
   * Past help given (helped / thanked signals), at most `helperRecordCap`, per author of a reply
   * in a returned discussion other than its first message's author: the ranker's helpers.
   */
  helperRecord: Record<string, number>;
}

export interface RelatedSearch {
  candidates(request: CandidateRequest): Promise<CandidateResult>;
}
