/**
 * Related past discussions by human authors. `/related <question>` always answers (or says
 * nothing is close enough); questions in help and forum channels get at most three
 * suggestions, unasked, only when they clear the score threshold; "am I the only one?"
 * messages hear who else mentioned it recently. All of it goes through `find`, the same
 * search and ranking that `related-eval` benchmarks.
 *
 * Never for history (imports), bots, high-stakes messages (those belong to a human) or
 * messages someone already answered for the companion.
 */
import type { CoreContext, EventNotes, Feature } from '../../context';
import type { HearthEvent, MessagePostedEvent, ReactionAddedEvent } from '../../events';
import type { InteractionReply, OutgoingMessage } from '../../platform';
import { DAY } from '../../clock';
import { ACCEPTED_ANSWER_KEY } from '../../resolution';
import { DEFAULT_PARAMS, HELPER_RECORD_SATURATION, rankDiscussions, type RankedDiscussion, type RankParams } from '../../search/rank';
import { queryTerms, tokens } from '../../search/text';
import type { DiscussionMessage } from '../../search/types';
import { isAcceptReaction, looksLikeQuestion, notAloneTopic } from './cues';
import { renderNotAlone, renderResults, type NotAloneMention } from './render';

export interface RelatedQuery {
  community: string;
  /** Whose eyes the results are for: only channels they can read are searched. */
  askerId: string;
  text: string;
  title?: string | null;
  /** The asker's own current discussion(s), never suggested back to them. */
  excludeDiscussionIds?: string[];
  /** Rank exactly these discussions instead of searching (evaluation, re-ranking). */
  onlyDiscussionIds?: string[];
  /** How many ranked results to return (default 10). */
  limit?: number;
  /**
   * The channel where the results will be shown to everyone who reads it (unasked replies).
   * Then only discussions every reader of that channel may see are searched: public channels
   * and that channel itself, never another private channel the asker happens to be in.
   */
  shownIn?: string;
  /**
   * The channel the query text was posted in, when it is a member's message. Text from a
   * channel that is not public is never sent to the embeddings endpoint (lexical order).
   */
  textFrom?: string;
}

export interface RelatedResult extends RankedDiscussion {
  /** Would the companion show it: among the top results and above the score threshold. */
  surface: boolean;
}

/** At most this many suggestions are shown. */
export const MAX_SHOWN = 3;
/** Candidate discussions fetched from the index before ranking. */
const CANDIDATES = 40;
/** "Am I the only one?" looks this far back. */
const NOT_ALONE_WINDOW = 14 * DAY;

export class RelatedFeature implements Feature {
  constructor(
    private readonly core: CoreContext,
    readonly params: RankParams = DEFAULT_PARAMS,
  ) {}

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type === 'reaction_added') return this.recordAccepted(event, notes);
    if (event.type !== 'message_posted') return;
    // A late transcript was asked for privately, perhaps long after: no public automatic answer.
    if (notes.historical || notes.fromBot || notes.duplicate || notes.answered || notes.lateTranscript) return;
    if (notes.stakes?.level === 'high') return;
    const config = await this.core.settings.get(event.community);
    if (!config.autoRelated) return;
    const message = event.message;
    const topic = notAloneTopic(message.text);
    if (topic) {
      const reply = await this.notAlone({ ...event, text: topic });
      if (reply) await this.core.platform.reply(event.community, { channelId: message.channel.id, messageId: message.id }, reply);
      return;
    }
    if (await this.isHelpQuestion(event, config.helpChannels)) await this.suggest(event);
  }

  /** Search and rank related discussions for a question. */
  async find(query: RelatedQuery): Promise<RelatedResult[]> {
    const { repos, clock } = this.core;
    let readable = await repos.channels.readableBy(query.community, query.askerId);
    if (query.shownIn) readable = await this.readableByAllIn(query.community, query.shownIn, readable);
    // rankDiscussions derives the same list from the same text.
    const terms = queryTerms(`${query.title ?? ''}\n${query.text}`);
    const found = await repos.related.candidates({
      community: query.community,
      terms,
      readableChannelIds: readable,
      excludeDiscussionIds: query.excludeDiscussionIds,
      onlyDiscussionIds: query.onlyDiscussionIds,
      limit: CANDIDATES,
      helperRecordCap: HELPER_RECORD_SATURATION,
    });
    const lexical = rankDiscussions({ text: query.text, title: query.title, authorId: query.askerId }, found, clock.now(), this.params);
    // With an embeddings model configured, fuse the lexical order with vector similarity;
    // otherwise (and on any failure) the lexical order stands.
    const ranked = await this.hybridOrder(query, lexical);
    // One shared word is a coincidence, not a related discussion (unless the question has one word).
    const minMatched = Math.min(2, new Set(terms.map((t) => t.stem)).size);
    return ranked
      .slice(0, query.limit ?? 10)
      .map((r, i) => ({ ...r, surface: i < MAX_SHOWN && r.score >= this.params.surfaceThreshold && r.matched.length >= minMatched }));
  }

  /** Of `readable`, the channels every reader of `channelId` can read too. */
  private async readableByAllIn(community: string, channelId: string, readable: Set<string>): Promise<Set<string>> {
    const shared = new Set<string>();
    for (const id of readable) if (id === channelId || (await this.core.repos.channels.isPublic(community, id))) shared.add(id);
    return shared;
  }

  private async hybridOrder(query: RelatedQuery, lexical: RankedDiscussion[]): Promise<RankedDiscussion[]> {
    const embeddings = this.core.features.embeddings;
    if (!embeddings || lexical.length < 2) return lexical;
    if (query.textFrom && !(await this.core.repos.channels.isPublic(query.community, query.textFrom))) return lexical;
    const outcome = await embeddings.rerank(
      query.community,
      `${query.title ?? ''}\n${query.text}`.trim(),
      lexical.map((r) => ({ discussionId: r.discussion.id, score: r.score })),
    );
    if (outcome.mode !== 'hybrid') return lexical;
    const byId = new Map(lexical.map((r) => [r.discussion.id, r]));
    return outcome.hits.map((hit) => byId.get(hit.discussionId)).filter((r): r is RankedDiscussion => r !== undefined);
  }

  /** `/related <question>`: always an answer, ephemeral. */
  async answer(query: RelatedQuery): Promise<InteractionReply> {
    if (!tokens(`${query.title ?? ''} ${query.text}`).length) {
      return { visibility: 'ephemeral', text: 'Tell me what to look for, e.g. `/related how do I reset my password`.' };
    }
    const shown = (await this.find(query)).filter((r) => r.surface);
    if (shown.length === 0) {
      return {
        visibility: 'ephemeral',
        text: 'Nothing close enough in past discussions. Asking in a help channel is a good next step, and `/human` always reaches the team.',
      };
    }
    return { visibility: 'ephemeral', ...(await renderResults(this.core, query.community, shown, this.core.clock.now())) };
  }

  /**
   * For "am I the only one seeing X?": recent messages by other people about the same thing,
   * as a reply ("you're not: @sam mentioned this 2 days ago"), or undefined when none is close.
   */
  async notAlone(input: { community: string; text: string; message: { id: string; author: { id: string }; channel: { id: string } } }): Promise<OutgoingMessage | undefined> {
    const { clock } = this.core;
    const own = await this.core.repos.messages.get(input.community, input.message.id);
    const results = await this.find({
      community: input.community,
      askerId: input.message.author.id,
      text: input.text,
      excludeDiscussionIds: [own?.discussionId ?? input.message.id],
      shownIn: input.message.channel.id,
      textFrom: input.message.channel.id,
    });
    const since = clock.now() - NOT_ALONE_WINDOW;
    const stems = new Set(tokens(input.text).map((t) => t.stem));
    const mentions: NotAloneMention[] = [];
    const seen = new Set<string>();
    for (const result of results) {
      if (!result.surface) continue;
      const best = bestRecentMention(result.discussion.messages, stems, input.message.author.id, since);
      if (!best || seen.has(best.authorId)) continue;
      seen.add(best.authorId);
      mentions.push({ message: best, channelId: result.discussion.channelId });
      if (mentions.length === MAX_SHOWN) break;
    }
    if (mentions.length === 0) return undefined;
    return renderNotAlone(this.core, input.community, mentions, clock.now());
  }

  private async suggest(event: MessagePostedEvent): Promise<void> {
    const { message, community } = event;
    const stored = await this.core.repos.messages.get(community, message.id);
    const shown = (
      await this.find({
        community,
        askerId: message.author.id,
        text: message.text,
        title: message.title,
        excludeDiscussionIds: [stored?.discussionId ?? message.id],
        shownIn: message.channel.id,
        textFrom: message.channel.id,
      })
    ).filter((r) => r.surface);
    if (shown.length === 0) return;
    const rendered = await renderResults(this.core, community, shown, this.core.clock.now());
    await this.core.platform.reply(community, { channelId: message.channel.id, messageId: message.id }, rendered);
  }

  /** A new question in a help channel, a forum channel, or a thread of one. */
  private async isHelpQuestion(event: MessagePostedEvent, helpChannels: string[]): Promise<boolean> {
    const { message, community } = event;
    // Only a message that opens a discussion (top-level post, forum post) is a new question.
    const stored = await this.core.repos.messages.get(community, message.id);
    if (!stored || stored.discussionId !== stored.id) return false;
    if (!message.title && !looksLikeQuestion(message.text)) return false;
    const wanted = new Set(helpChannels.map((c) => c.toLowerCase()));
    let channel = await this.core.repos.channels.get(community, message.channel.id);
    for (let depth = 0; channel && depth < 3; depth++) {
      if (channel.kind === 'forum' || wanted.has(channel.id.toLowerCase()) || wanted.has(channel.name.toLowerCase())) return true;
      channel = channel.parentId ? await this.core.repos.channels.get(community, channel.parentId) : undefined;
    }
    return false;
  }

  /**
   * ✅ from the asker (or a moderator) on someone else's reply: that reply solved the
   * discussion (src/core/resolution reads it as an accepted answer).
   */
  private async recordAccepted(event: ReactionAddedEvent, notes: EventNotes): Promise<void> {
    if (notes.fromBot || !isAcceptReaction(event.emoji)) return;
    const { repos } = this.core;
    const answer = notes.reactedTo;
    if (!answer || answer.authorIsBot || answer.authorId === event.member.id || !answer.discussionId) return;
    const root = await repos.messages.get(event.community, answer.discussionId);
    if (!root || root.id === answer.id) return;
    const byModerator = root.authorId !== event.member.id;
    if (byModerator && !event.member.isModerator) return;
    // Through the signals feature: no signal when either side is a bot or opted out of analytics.
    await this.core.features.signals.record(event.community, {
      kind: 'helped',
      actorId: answer.authorId,
      subjectId: root.authorId,
      messageId: answer.id,
      channelId: answer.channelId,
      at: event.at,
      data: { via: byModerator ? 'moderator_reaction' : 'accepted_reaction' },
      dedupeKey: `${ACCEPTED_ANSWER_KEY}${answer.id}`,
    });
  }
}

/** The recent message by someone else that shares the most words with the topic. */
function bestRecentMention(messages: DiscussionMessage[], stems: Set<string>, askerId: string, since: number): DiscussionMessage | undefined {
  let best: DiscussionMessage | undefined;
  let bestOverlap = 0;
  for (const m of messages) {
    if (m.authorId === askerId || m.createdAt < since) continue;
    const overlap = new Set(tokens(`${m.title ?? ''} ${m.text}`).filter((t) => stems.has(t.stem)).map((t) => t.stem)).size;
    if (overlap > bestOverlap || (overlap === bestOverlap && best && m.createdAt > best.createdAt)) {
      best = m;
      bestOverlap = overlap;
    }
  }
  return bestOverlap > 0 ? best : undefined;
}
