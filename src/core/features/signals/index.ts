/**
 * Relationship signals: who helped whom, who thanked whom, who came back to help, who
 * repaired a heated exchange, and mentorship links (A helped B, later B helped C).
 * Definitions live in docs/metrics.md. Historical (imported) events count like live ones;
 * bots, the companion and members who turned analytics off are never recorded. Every
 * signal has a dedupe key, so a replayed event records nothing twice.
 *
 * Reads `messages.reply_to` from the stored row, explicit or inferred by the links feature
 * (which must run before this one).
 */
import type { CoreContext, EventNotes, Feature, TaskHandler } from '../../context';
import type { ButtonPressedEvent, CommandInvokedEvent, HearthEvent, MessagePostedEvent, ReactionAddedEvent } from '../../events';
import type { MessageRow, NewSignal, SignalRow } from '../../storage';
import { DAY, MINUTE } from '../../clock';
import { isGratitude, isHeated, isQuestion, isReframe, isRepair, isSubstantive, mentionIds, thankedNames } from './detect';
import { PrivacyService } from './privacy';
import { computeTrend } from '../../metrics';
import { renderDigest } from '../../metrics/digest';
import type { MessageTarget } from '../../events';
import { attemptOf, type SendOnceResult } from '../../outbox';
import { cutText } from '../../text/mentions';

/**
 * Words deleted or edited away on the platform leave the store's short-lived copies (the
 * SQLite WAL: Repositories.flushDeleted) at the end of the quarter hour they went in: one
 * checkpoint a quarter hour at most, where one per deletion would rewrite the WAL each time.
 */
export const DELETED_WORDS_FLUSH = 15 * MINUTE;
const TASK_FLUSH_DELETED = 'privacy.flush_deleted';

/**
 * A digest claimed and never posted (the process died while rendering it) is taken again
 * by a later tick once the claim is this old: rendering takes seconds.
 */
export const DIGEST_CLAIM_LEASE = 15 * MINUTE;

/** A repair must come within this long of the heated message it repairs. */
export const REPAIR_WINDOW = 2 * DAY;
/** Most messages between an exchange's latest heated message and its cooling that are read for a reframe. */
const REFRAME_SCAN = 200;
/** Reactions that thank the author of a reply. */
const THANKS_REACTIONS = new Set(['🙏', '🙏🏻', '🙏🏼', '🙏🏽', '🙏🏾', '🙏🏿', 'pray', 'folded_hands']);

export class SignalsFeature implements Feature {
  readonly privacy: PrivacyService;

  constructor(private readonly core: CoreContext) {
    this.privacy = new PrivacyService(core);
  }

  readonly buttons = {
    'privacy:forget': (event: ButtonPressedEvent) => this.privacy.confirmForget(event),
  };

  readonly tasks: Record<string, TaskHandler> = {
    [TASK_FLUSH_DELETED]: () => this.core.repos.flushDeleted(),
  };

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    // The companion's own edits (a ping updated when claimed) take no member's words away.
    if ((event.type === 'message_deleted' || event.type === 'message_edited') && !notes.duplicate) {
      if (notes.fromBot && event.type === 'message_edited') return;
      const now = this.core.clock.now();
      const bucket = Math.floor(now / DELETED_WORDS_FLUSH);
      await this.core.repos.tasks.schedule(event.community, TASK_FLUSH_DELETED, `privacy:flush:${bucket}`, (bucket + 1) * DELETED_WORDS_FLUSH, {}, now);
      return;
    }
    if (notes.fromBot) return;
    if (event.type === 'message_posted') await this.onMessage(event, notes);
    else if (event.type === 'reaction_added') await this.onReaction(event, notes);
  }

  /**
   * Post the weekly digest (card + trend chart) to the moderators, without mentioning any
   * role. Once per community per `day` (the digest day's local date; default the UTC date),
   * so an overlapping or repeated tick posts nothing twice. Returns the post, or undefined
   * when switched off or already posted.
   */
  async postWeeklyDigest(community: string, day?: string): Promise<MessageTarget | undefined> {
    const { repos, settings, platform, clock } = this.core;
    const config = await settings.get(community);
    if (!config.weeklyDigest) return undefined;
    const now = clock.now();
    const key = `digest:${day ?? new Date(now).toISOString().slice(0, 10)}`;
    if ((await repos.companionPosts.get(community, key))?.messageId) return undefined;
    // Claimed atomically before the (slow) rendering: two ticks or two processes running at
    // once post it once. A failed attempt gives the claim back, and one whose process died
    // is taken again after DIGEST_CLAIM_LEASE: the next tick retries either. The post itself
    // goes through the outbox, under the same key: a retry after a post the platform may have
    // taken (a timeout, a kill right after it) looks for it before posting again.
    if (!(await repos.companionPosts.claimIfIdle(community, key, '', now, now - DIGEST_CLAIM_LEASE))) return undefined;
    let sent: SendOnceResult;
    try {
      const audience = { channelId: config.moderatorChannel ?? undefined, roleIds: [] };
      // Rendered only when it is to be sent (not when the outbox finds it posted already).
      sent = await this.core.outbox.sendOnce(community, key, { kind: 'moderators', audience }, async (attempt) =>
        platform.notifyModerators(community, audience, attemptOf(await renderDigest(await computeTrend(this.core, community, now + 1)), attempt)),
      );
    } catch (error) {
      await repos.companionPosts.remove(community, key);
      throw error;
    }
    if (!sent.posted) {
      await repos.companionPosts.remove(community, key);
      return undefined;
    }
    await repos.companionPosts.put(community, key, sent.posted.channelId, sent.posted.messageId, now);
    return sent.fresh ? sent.posted : undefined;
  }

  /**
   * Record a signal unless an end of it is a bot, the companion, or a member with analytics
   * off. Returns true when newly recorded.
   */
  async record(community: string, signal: NewSignal): Promise<boolean> {
    if (!(await this.countable(community, signal.actorId))) return false;
    if (signal.subjectId && !(await this.countable(community, signal.subjectId))) return false;
    if (signal.subjectId === signal.actorId) return false;
    return this.core.repos.signals.record(community, signal);
  }

  /** A human member who has not opted out of analytics. */
  async countable(community: string, memberId: string): Promise<boolean> {
    if (memberId === this.core.platform.selfId) return false;
    const member = await this.core.repos.members.get(community, memberId);
    return Boolean(member && !member.isBot && !member.analyticsOptOut);
  }

  private async onMessage(event: MessagePostedEvent, notes: EventNotes): Promise<void> {
    const { repos } = this.core;
    const community = event.community;
    if ((event.message.kind ?? 'message') !== 'message') return;
    // The links feature runs first and puts the inferred parent into notes.message.
    const row = notes.message ?? (await repos.messages.get(community, event.message.id));
    if (!row || row.text == null) return;
    const parent = await this.parentOf(row);
    const mentioned = [...new Set([...(event.message.mentions ?? []), ...mentionIds(row.text)])];

    await this.detectHelp(community, row, parent);
    await this.detectThanks(community, row, parent, mentioned);
    await this.detectConflictOrRepair(community, row, parent, mentioned);
    await this.detectReframe(community, row);
  }

  /** The message this one answers: its explicit/inferred reply target, else its thread root. */
  private async parentOf(row: MessageRow): Promise<MessageRow | undefined> {
    const { repos } = this.core;
    const parentId = row.replyTo ?? (row.threadId && row.threadId !== row.id ? row.threadId : null);
    if (!parentId) return undefined;
    const parent = await repos.messages.get(row.communityId, parentId);
    return parent && !parent.authorIsBot && parent.kind === 'message' ? parent : undefined;
  }

  /**
   * `helped`: a substantive reply by someone else to a question. The question is the parent
   * when it is one; otherwise the discussion's opening question when the parent's author
   * asked it (a follow-up such as "still failing" keeps the same question).
   */
  private async detectHelp(community: string, row: MessageRow, parent: MessageRow | undefined): Promise<void> {
    if (!parent || parent.authorId === row.authorId || !isSubstantive(row.text ?? '')) return;
    let question: MessageRow | undefined;
    if (isQuestion(parent.text ?? '')) question = parent;
    else if (parent.discussionId && parent.discussionId !== parent.id) {
      const root = await this.core.repos.messages.get(community, parent.discussionId);
      if (root && root.authorId === parent.authorId && !root.authorIsBot && isQuestion(root.text ?? '')) question = root;
    }
    if (!question) return;
    const helper = row.authorId;
    const asker = question.authorId;
    const recorded = await this.record(community, {
      kind: 'helped',
      actorId: helper,
      subjectId: asker,
      messageId: row.id,
      channelId: row.channelId,
      at: row.createdAt,
      data: { questionId: question.id },
      dedupeKey: `helped:${question.id}:${helper}`,
    });
    if (!recorded) return;
    // The helper's help before this one: both "came back" and mentorship read it.
    const previousHelp = await this.core.repos.signals.latestBy(community, 'helped', helper, row.createdAt);
    await this.detectReturn(community, row, asker, previousHelp);
    await this.detectMentorship(community, row, asker, previousHelp);
  }

  /** `returned_to_help`: this help comes after a gap (setting helperReturnGap) without helping. */
  private async detectReturn(community: string, row: MessageRow, asker: string, previous: Pick<SignalRow, 'at' | 'subjectId'> | undefined): Promise<void> {
    const { settings } = this.core;
    if (!previous) return;
    const gap = row.createdAt - previous.at;
    if (gap < (await settings.get(community)).helperReturnGap) return;
    await this.record(community, {
      kind: 'returned_to_help',
      actorId: row.authorId,
      subjectId: asker,
      messageId: row.id,
      channelId: row.channelId,
      at: row.createdAt,
      data: { gapMs: gap, previousHelpAt: previous.at },
      dedupeKey: `returned_to_help:${row.id}`,
    });
  }

  /**
   * `mentorship` (actor A = mentor, subject B = mentee): B, earlier helped by A, now helps
   * someone else C (C is not A). Recorded once per (A, B) pair, with C as `passedTo`.
   */
  private async detectMentorship(community: string, row: MessageRow, recipient: string, previousHelp: Pick<SignalRow, 'at' | 'subjectId'> | undefined): Promise<void> {
    const { repos } = this.core;
    const helper = row.authorId;
    // Help the mentee received before their previous help was linked then, except from that
    // help's recipient (helping someone back is not mentorship): look only at what came since,
    // plus that one person. The query stays small however much help a member received.
    for (const mentor of await repos.signals.mentorsOf(community, helper, recipient, previousHelp, row.createdAt)) {
      await this.record(community, {
        kind: 'mentorship',
        actorId: mentor,
        subjectId: helper,
        messageId: row.id,
        channelId: row.channelId,
        at: row.createdAt,
        data: { passedTo: recipient },
        dedupeKey: `mentorship:${mentor}:${helper}`,
      });
    }
  }

  /**
   * `thanked` from text: a message with thanks ("thanks", "thank you", "ty", "cheers") names
   * its targets by mention or by name ("thanks alice"); with no named target, a thanks in
   * reply to someone thanks the parent's author.
   */
  private async detectThanks(community: string, row: MessageRow, parent: MessageRow | undefined, mentioned: string[]): Promise<void> {
    const text = row.text ?? '';
    if (!isGratitude(text)) return;
    const targets = new Set(mentioned);
    for (const name of thankedNames(text)) {
      const member = await this.core.repos.members.findByName(community, name);
      if (member) targets.add(member.id);
    }
    if (targets.size === 0 && parent) {
      if (parent.authorId !== row.authorId) targets.add(parent.authorId);
      else if (row.threadId && parent.id === row.threadId) {
        // A reply in one's own thread that points at its root (Slack marks every thread reply
        // so) thanks nobody by that link: it thanks the latest other person who wrote there.
        const earlier = (await this.core.repos.messages.inDiscussion(community, row.threadId)).filter(
          (m) => m.id !== row.id && m.createdAt <= row.createdAt && m.authorId !== row.authorId && !m.authorIsBot && m.kind === 'message',
        );
        const latest = earlier.at(-1);
        if (latest) targets.add(latest.authorId);
      }
    }
    for (const subject of targets) {
      await this.record(community, {
        kind: 'thanked',
        actorId: row.authorId,
        subjectId: subject,
        messageId: row.id,
        channelId: row.channelId,
        at: row.createdAt,
        data: { via: 'text' },
        dedupeKey: `thanked:${row.id}:${subject}`,
      });
    }
  }

  /** `thanked` from a 🙏 reaction on a reply (a message answering someone). */
  private async onReaction(event: ReactionAddedEvent, notes: EventNotes): Promise<void> {
    if (!THANKS_REACTIONS.has(event.emoji.replace(/^:|:$/g, ''))) return;
    const target = notes.reactedTo;
    if (!target || target.authorIsBot || target.kind !== 'message') return;
    const isReply = Boolean(target.replyTo) || Boolean(target.threadId && target.threadId !== target.id);
    if (!isReply) return;
    await this.record(event.community, {
      kind: 'thanked',
      actorId: event.member.id,
      subjectId: target.authorId,
      messageId: target.id,
      channelId: target.channelId,
      at: event.at,
      data: { via: 'reaction' },
      dedupeKey: `thanked:reaction:${target.id}:${event.member.id}`,
    });
  }

  /** `/thanks @member [for ...]`. Returns false when the thanks cannot be recorded (bot, self, opted out). */
  async thankByCommand(event: CommandInvokedEvent, subjectId: string, reason: string | null): Promise<boolean> {
    return this.record(event.community, {
      kind: 'thanked',
      actorId: event.member.id,
      subjectId,
      channelId: event.channel.id,
      at: event.at,
      data: { via: 'command', ...(reason ? { reason: cutText(reason, 300) } : {}) },
      dedupeKey: `thanked:command:${event.member.id}:${subjectId}:${event.at}`,
    });
  }

  /**
   * `conflict`: a heated message aimed at another member (reply or mention). `repair`: an
   * apology or clarification by one of the two, aimed at the other (or, with no target, in
   * the same channel), within REPAIR_WINDOW of their latest unrepaired conflict.
   */
  private async detectConflictOrRepair(community: string, row: MessageRow, parent: MessageRow | undefined, mentioned: string[]): Promise<void> {
    const { repos } = this.core;
    const text = row.text ?? '';
    const author = row.authorId;
    const targets = new Set(mentioned);
    if (parent) targets.add(parent.authorId);
    targets.delete(author);

    if (isRepair(text)) {
      const since = row.createdAt - REPAIR_WINDOW;
      const candidates = targets.size
        ? (await Promise.all([...targets].map((other) => repos.signals.between(community, 'conflict', author, other, since)))).flat()
        : (await repos.signals.list(community, { kind: 'conflict', since })).filter(
            (s) => s.channelId === row.channelId && (s.actorId === author || s.subjectId === author),
          );
      const open = candidates.filter((c) => c.at <= row.createdAt).sort((a, b) => b.at - a.at || b.id - a.id);
      for (const conflict of open) {
        const other = conflict.actorId === author ? conflict.subjectId! : conflict.actorId;
        const repaired = await this.record(community, {
          kind: 'repair',
          actorId: author,
          subjectId: other,
          messageId: row.id,
          channelId: row.channelId,
          at: row.createdAt,
          data: { conflictId: conflict.id, afterMs: row.createdAt - conflict.at },
          dedupeKey: `repair:${conflict.id}`,
        });
        if (repaired) break;
      }
      return;
    }
    if (!isHeated(text)) return;
    for (const other of targets) {
      await this.record(community, {
        kind: 'conflict',
        actorId: author,
        subjectId: other,
        messageId: row.id,
        channelId: row.channelId,
        at: row.createdAt,
        dedupeKey: `conflict:${row.id}:${other}`,
      });
    }
  }

  /**
   * `reframed_debate` (actor: the reframer; one signal per member of the exchange as subject),
   * recorded when the exchange has cooled: a member of a heated exchange (a `conflict` in this
   * channel within REPAIR_WINDOW, the window repair uses) posts again without heat, and since
   * the exchange's latest heated message (theirs or their opponents', at anyone) a third
   * member reframed it (see `isReframe`: not a scripted warning, not a joke). A new heated
   * message after the reframe means it did not cool, and that reframe never counts.
   */
  private async detectReframe(community: string, row: MessageRow): Promise<void> {
    const { repos } = this.core;
    const text = row.text ?? '';
    if (isHeated(text) && !isRepair(text)) return;
    const since = row.createdAt - REPAIR_WINDOW;
    const involving = async (member: string) =>
      (await repos.signals.involving(community, 'conflict', member, since, row.createdAt + 1)).filter((c) => c.channelId === row.channelId && c.subjectId && c.messageId !== row.id);
    // Most messages stop here: one index probe finds no recent clash of theirs in this channel.
    const own = await involving(row.authorId);
    if (own.length === 0) return;
    // The exchange: the author and everyone they clashed with here; its heat, anything they said in anger here.
    const parties = new Set(own.flatMap((c) => [c.actorId, c.subjectId!]).sort());
    const heat = (await Promise.all([...parties].map(involving))).flat().filter((c) => parties.has(c.actorId));
    const lastHeat = heat.sort((a, b) => b.at - a.at || b.id - a.id)[0];
    if (!lastHeat) return;
    const reframes: Array<{ id: string; authorId: string; createdAt: number }> = [];
    // Newest first, back to the latest heated message: the earliest reframe after it by a member who counts wins.
    for (const m of await repos.messages.before(community, row.channelId, row, lastHeat.at, REFRAME_SCAN)) {
      if (m.id === lastHeat.messageId) break;
      if (m.kind !== 'message' || m.authorIsBot || m.isCompanion) continue;
      if (parties.has(m.authorId)) {
        // Heat from the exchange with no one named (no conflict recorded) still means it had not cooled.
        if (isHeated(m.text ?? '') && !isRepair(m.text ?? '')) break;
        continue;
      }
      if (isReframe(m.text ?? '')) reframes.unshift(m);
    }
    const reframe = await firstAsync(reframes, (m) => this.countable(community, m.authorId));
    if (!reframe) return;
    for (const party of parties) {
      await this.record(community, {
        kind: 'reframed_debate',
        actorId: reframe.authorId,
        subjectId: party,
        messageId: reframe.id,
        channelId: row.channelId,
        at: reframe.createdAt,
        data: { cooledAfterMs: row.createdAt - reframe.createdAt },
        dedupeKey: `reframed_debate:${reframe.id}:${party}`,
      });
    }
  }
}

async function firstAsync<T>(items: T[], test: (item: T) => Promise<boolean>): Promise<T | undefined> {
  for (const item of items) if (await test(item)) return item;
  return undefined;
}
