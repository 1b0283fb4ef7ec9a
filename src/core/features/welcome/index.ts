/**
 * Newcomers should feel seen by people, not processed by a bot:
 * - on join, a personal welcome (the community's template, pointing to `/human` and the care
 *   policy) in the welcome channel or by DM, and one welcomer from the crew asked to greet
 *   them personally (fair rotation, see crew.ts). The bot's welcome never replaces theirs.
 *   Both go through the outbox (core/outbox.ts) keyed by the join, so a join handled again (a
 *   redelivery, a handler taking over from one killed mid-send) sends each once;
 * - on a newcomer's first post, the crew is told ("first time Maya has posted — say hello");
 * - a newcomer's first question with no human answer after `firstQuestionWait` nudges the
 *   crew once (a durable task: it reads its state from the database when due);
 * - a member's reply to, mention of, or reaction to a newcomer within 24 h of the join is
 *   recorded as a `welcome_given` signal (once per welcomer and newcomer);
 * - when joins come fast (`welcomeBatching`), channel welcomes are batched into one post
 *   naming the window's newcomers, or wait for each newcomer's first post. Either is a
 *   durable task per newcomer, so a restart loses no pending welcome.
 * Historical events record signals but never post, ping or schedule anything.
 */
import type { MessageRow, TaskRow } from '../../storage';
import { DAY } from '../../clock';
import type { CoreContext, EventNotes, Feature, TaskHandler } from '../../context';
import type { HearthEvent, MemberJoinedEvent, MessagePostedEvent, ReactionAddedEvent } from '../../events';
import type { OutgoingMessage, PostedMessage } from '../../platform';
import { attemptOf } from '../../outbox';
import type { CommunitySettings } from '../../settings';
import { formatDuration } from '../../text/format';
import { neutralizeMentions, quote } from '../../text/mentions';
import { mentionIds } from '../signals/detect';
import { WelcomeCrew } from './crew';
import { answers, isHelpChannel, isQuestion } from './questions';

export const TASK_FIRST_QUESTION = 'welcome.first_question';
/** Replies, mentions and reactions this soon after a join count as welcoming the newcomer. */
export const WELCOME_WINDOW = DAY;
/** How long after joining a member's first post and first question still get the crew's attention. */
export const NEWCOMER_WINDOW = 14 * DAY;

export const firstQuestionKey = (newcomerId: string) => `welcome:first-question:${newcomerId}`;
const WELCOME_POST_PREFIX = 'welcome:post:';
const WELCOME_CLAIM_PREFIX = 'welcome:claim:';
/** The outbox keys of a join's welcome and of its welcomer's ask. */
const welcomeKey = (newcomerId: string) => `welcome:${newcomerId}:welcome`;
const welcomerAskKey = (newcomerId: string) => `welcome:${newcomerId}:ask`;

/** Where a keyed welcome post goes. */
type Where = { kind: 'channel'; channelId: string } | { kind: 'dm'; memberId: string };

/** A newcomer waiting for the next batched welcome; due `welcomeBatchWindow` after their join. */
export const TASK_BATCHED_WELCOME = 'welcome.batched';
/** A newcomer to welcome on their first post; due (and then done, unwelcomed) when they stop being new. */
export const TASK_WELCOME_ON_FIRST_POST = 'welcome.on_first_post';
const batchedWelcomeKey = (newcomerId: string) => `welcome:batched:${newcomerId}`;
const firstPostWelcomeKey = (newcomerId: string) => `welcome:on-first-post:${newcomerId}`;
/** Newcomers included in a posted batch (several share one message, so it welcomes nobody in particular). */
const IN_BATCH_PREFIX = 'welcome:in-batch:';
/** A batched welcome names (and pings) at most this many newcomers, then says "and K others". */
export const BATCH_NAMED = 10;
/** Newcomers taken into one batch run; more wait for the next run. */
const BATCH_LIMIT = 500;

/** What became of a newcomer's welcome at their join. */
type WelcomeOutcome =
  | { kind: 'posted'; posted: PostedMessage }
  | { kind: 'failed' }
  | { kind: 'batched'; channelId: string }
  | { kind: 'on-first-post' };

type Via = 'reply' | 'mention' | 'reaction';

export class WelcomeFeature implements Feature {
  readonly crew: WelcomeCrew;

  constructor(private readonly core: CoreContext) {
    this.crew = new WelcomeCrew(core);
  }

  readonly tasks: Record<string, TaskHandler> = {
    [TASK_FIRST_QUESTION]: (task) => this.nudge(task),
    [TASK_BATCHED_WELCOME]: (task) => this.postBatch(task),
    // Never posted while new: the crew was asked at the join; nothing is left to do.
    [TASK_WELCOME_ON_FIRST_POST]: async () => {},
  };

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (notes.fromBot) return;
    switch (event.type) {
      case 'member_joined':
        // A member coming back is not greeted as a newcomer a second time.
        if (!notes.historical && !notes.rejoined) await this.onJoin(event, notes);
        return;
      case 'message_posted':
        return this.onMessage(event, notes);
      case 'reaction_added':
        return this.onReaction(event);
    }
  }

  /**
   * The join's welcome claim is taken atomically before anything is sent: two handlers of one
   * join that share no lock (two processes on one SQLite file, an overlapping restart) welcome
   * the newcomer and ask a welcomer once. A handler that took the join's delivery over from
   * one that died (`notes.resumed`) goes on past that one's claim: it keeps what the first run
   * decided (a welcome sent or on its way, a deferred one's task, the welcomer whose turn was
   * taken) and sends only what is missing, each post through the outbox under the join's key.
   */
  private async onJoin(event: MemberJoinedEvent, notes: EventNotes): Promise<void> {
    const claimed = await this.core.repos.companionPosts.claimIfIdle(
      event.community,
      WELCOME_CLAIM_PREFIX + event.member.id,
      event.welcomeChannelId ?? '',
      this.core.clock.now(),
      Number.MIN_SAFE_INTEGER,
    );
    if (!claimed && !notes.resumed) return;
    // An earlier run was posting the welcome (its intent is written): post it, once.
    const posting = await this.core.repos.outbox.get(event.community, welcomeKey(event.member.id));
    let outcome = posting ? undefined : ((await this.deferredBefore(event)) ?? (await this.deferWelcome(event)));
    if (!outcome) {
      try {
        outcome = { kind: 'posted', posted: await this.welcome(event) };
      } catch (error) {
        // The welcomer is still asked: a person greeting matters more than the bot's text.
        this.core.log.error({ err: error, community: event.community }, 'could not post the welcome');
        outcome = { kind: 'failed' };
      }
    }
    await this.askWelcomer(event, outcome);
  }

  /** A welcome an earlier run of this join deferred (its task is the record). */
  private async deferredBefore(event: MemberJoinedEvent): Promise<WelcomeOutcome | undefined> {
    const { repos } = this.core;
    const c = event.community;
    const id = event.member.id;
    const batched = await repos.tasks.get(c, batchedWelcomeKey(id));
    if (batched) return { kind: 'batched', channelId: String(batched.payload?.channelId) };
    if (await repos.tasks.get(c, firstPostWelcomeKey(id))) return { kind: 'on-first-post' };
    return undefined;
  }

  /**
   * When joins come fast, a channel welcome waits: for the next batch, or for the newcomer's
   * first post (`welcomeBatching`). Returns undefined to welcome now. A DM floods no channel.
   */
  private async deferWelcome(event: MemberJoinedEvent): Promise<WelcomeOutcome | undefined> {
    const { repos, clock } = this.core;
    const c = event.community;
    const config = await this.core.settings.get(c);
    if (config.welcomeBatching === 'off') return undefined;
    const channelId = await this.welcomeChannel(config, event);
    if (!channelId) return undefined;
    // This join is counted too (stored before the features run).
    const joins = await repos.members.countJoinedSince(c, event.at - config.welcomeBatchWindow, config.welcomeBatchJoins + 1);
    if (joins <= config.welcomeBatchJoins) return undefined;
    const id = event.member.id;
    const now = clock.now();
    if (config.welcomeBatching === 'first-post') {
      await repos.tasks.schedule(c, TASK_WELCOME_ON_FIRST_POST, firstPostWelcomeKey(id), event.at + NEWCOMER_WINDOW, { newcomerId: id }, now);
      return { kind: 'on-first-post' };
    }
    await repos.tasks.schedule(c, TASK_BATCHED_WELCOME, batchedWelcomeKey(id), now + config.welcomeBatchWindow, { newcomerId: id, channelId }, now);
    return { kind: 'batched', channelId };
  }

  /**
   * The batched welcome, run by the first waiting newcomer's task that falls due: one post per
   * welcome channel naming everyone waiting (their tasks are then done). Each newcomer is
   * recorded once posted, so a run repeated after a failure or a crash skips them.
   */
  private async postBatch(task: TaskRow): Promise<void> {
    const { repos, platform, clock } = this.core;
    const c = task.communityId;
    const waiting = [task, ...(await repos.tasks.pendingOfKind(c, TASK_BATCHED_WELCOME, BATCH_LIMIT)).filter((t) => t.id !== task.id)];
    const byChannel = new Map<string, string[]>();
    for (const t of waiting) {
      const id = String(t.payload?.newcomerId);
      const member = await repos.members.get(c, id);
      // Forgotten meanwhile: never named. Already in a posted batch: a repeated run.
      if (!member || member.forgottenAt != null || (await repos.companionPosts.get(c, IN_BATCH_PREFIX + id))) continue;
      const channelId = String(t.payload?.channelId);
      byChannel.set(channelId, [...(byChannel.get(channelId) ?? []), id]);
    }
    const config = await this.core.settings.get(c);
    const community = await repos.communities.get(c);
    for (const [channelId, ids] of byChannel) {
      const named = ids.slice(0, BATCH_NAMED);
      const text = renderWelcomeFor(config.welcomeTemplate, nameList(named, ids.length - named.length), community?.name ?? 'the community');
      const posted = await platform.post(c, channelId, { text, mentionUsers: named });
      for (const id of ids) await repos.companionPosts.put(c, IN_BATCH_PREFIX + id, posted.channelId, posted.messageId, clock.now());
    }
    for (const t of waiting) if (t.id !== task.id) await repos.tasks.cancel(c, t.key, clock.now());
  }

  /** A newcomer whose welcome waited for their first post (joins came fast): welcome them under it. */
  private async welcomeOnFirstPost(c: string, row: MessageRow): Promise<void> {
    const { repos, platform, clock, log } = this.core;
    const key = firstPostWelcomeKey(row.authorId);
    if ((await repos.tasks.get(c, key))?.status !== 'pending') return;
    const config = await this.core.settings.get(c);
    const community = await repos.communities.get(c);
    const text = renderWelcome(config.welcomeTemplate, row.authorId, community?.name ?? 'the community');
    try {
      const posted = await platform.reply(c, { channelId: row.channelId, messageId: row.id }, { text, mentionUsers: [row.authorId] });
      // Replies and reactions to it count as welcoming the newcomer, as under a join welcome.
      await repos.companionPosts.put(c, WELCOME_POST_PREFIX + row.authorId, posted.channelId, posted.messageId, clock.now());
      await repos.tasks.cancel(c, key, clock.now());
    } catch (error) {
      // Still pending: their next post tries again.
      log.error({ err: error, community: c }, 'could not post the welcome on a first post');
    }
  }

  /** Post the community's welcome for a newcomer, once (see onJoin); returns where it went. */
  async welcome(event: MemberJoinedEvent): Promise<PostedMessage> {
    const { repos, clock } = this.core;
    const config = await this.core.settings.get(event.community);
    const community = await repos.communities.get(event.community);
    const text = renderWelcome(config.welcomeTemplate, event.member.id, community?.name ?? 'the community');
    const message = { text, mentionUsers: [event.member.id] };
    const channelId = await this.welcomeChannel(config, event);
    const where: Where = channelId ? { kind: 'channel', channelId } : { kind: 'dm', memberId: event.member.id };
    const posted = await this.postOnce(event.community, welcomeKey(event.member.id), where, message);
    // Remembered so that replies and reactions to the welcome count as welcoming the newcomer.
    await repos.companionPosts.put(event.community, WELCOME_POST_PREFIX + event.member.id, posted.channelId, posted.messageId, clock.now());
    return posted;
  }

  /**
   * Post (or DM) once under `key`, through the outbox: a post the platform took before a crash
   * is not sent again. A fresh post keeps its permalink; one found or recorded has none.
   */
  private async postOnce(c: string, key: string, where: Where, message: OutgoingMessage): Promise<PostedMessage> {
    const { outbox, platform } = this.core;
    let fresh: PostedMessage | undefined;
    const { posted } = await outbox.sendOnce(c, key, where, async (attempt) => {
      const keyed = attemptOf(message, attempt);
      fresh = where.kind === 'channel' ? await platform.post(c, where.channelId, keyed) : await platform.dm(c, where.memberId, keyed);
      return fresh;
    });
    const target = fresh ?? posted;
    if (!target) throw new Error(`${key} was recorded without its post`);
    return target;
  }

  /** The channel to welcome in, or undefined for a DM (also when the newcomer could not read the channel). */
  private async welcomeChannel(config: CommunitySettings, event: MemberJoinedEvent): Promise<string | undefined> {
    if (config.welcomeMode === 'dm') return undefined;
    const channelId = config.welcomeChannel ?? event.welcomeChannelId;
    if (!channelId) return undefined;
    // A channel we know to be closed to the newcomer (private, staff-only) would hide their
    // own welcome from them: send it by DM instead. An unknown channel is the platform's own.
    const { repos } = this.core;
    const known = await repos.channels.get(event.community, channelId);
    if (known && !(await repos.channels.canRead(event.community, channelId, event.member.id))) return undefined;
    return channelId;
  }

  /**
   * Ask the next welcomer in rotation to greet the newcomer personally, once: a join handled
   * again asks the welcomer its first run chose (their turn was taken), if the ask is not out.
   */
  private async askWelcomer(event: MemberJoinedEvent, outcome: WelcomeOutcome): Promise<void> {
    const { platform, log, outbox } = this.core;
    const c = event.community;
    const key = welcomerAskKey(event.member.id);
    if (await outbox.wasSent(c, key)) return;
    const welcomer = (await this.crew.askedFor(c, event.member.id, 'join'))[0] ?? (await this.crew.next(c, event.member.id, 'join'));
    if (!welcomer) {
      log.info({ community: c }, 'no welcomer available (none opted in, or all carrying a lot)');
      return;
    }
    const config = await this.core.settings.get(c);
    const community = await this.core.repos.communities.get(c);
    const posted = outcome.kind === 'posted' ? outcome.posted : undefined;
    const inChannel = posted && (await this.welcomeChannel(config, event));
    const link = inChannel ? (posted.permalink ?? (await platform.permalink(c, posted))) : undefined;
    const where =
      outcome.kind === 'batched'
        ? ` Joins are coming fast, so they'll be welcomed together with other newcomers in <#${outcome.channelId}>: a hello from you that mentions them, or a DM, means all the more.`
        : outcome.kind === 'on-first-post'
          ? ' Joins are coming fast, so Hearth will welcome them when they first post: a hello from you that mentions them, or a DM, means all the more.'
          : !posted
            ? ' I could not post their welcome, so a hello from you in a channel or a DM matters all the more.'
            : inChannel
              ? link
                ? ` [Say hello under the welcome](${link}).`
                : ` Say hello under the welcome in <#${posted.channelId}>.`
              : ' They were welcomed by direct message, so a hello in a channel or a DM from you both work.';
    const body =
      `<@${event.member.id}> just joined ${neutralizeMentions(community?.name ?? 'the community')}. ` +
      `Could you greet them personally? A hello from a person means more than any bot welcome.${where}\n` +
      '_You’re on the welcome crew; `/welcomer off` steps back any time._';
    await this.tellCrew(c, config, [welcomer.id], body, false, key);
  }

  private async onMessage(event: MessagePostedEvent, notes: EventNotes): Promise<void> {
    const c = event.community;
    // The stored row, not the event: reply inference (links, before us) fills in `replyTo`.
    const row = notes.message ?? (await this.core.repos.messages.get(c, event.message.id));
    if (!row || row.kind !== 'message') return;
    // The platform's mention list and the `<@id>` mentions in the text (all an imported log
    // or the pulse CLI has), as the signals feature reads them.
    // Only mentions the member can see greet or answer them: talking about a newcomer in a
    // staff channel is neither a welcome nor an answer to their question.
    const mentions: string[] = [];
    for (const id of new Set([...(event.message.mentions ?? []), ...mentionIds(row.text ?? '')])) {
      if (await this.core.repos.channels.canRead(c, row.channelId, id)) mentions.push(id);
    }
    await this.recordGreetings(c, row, mentions);
    await this.settleFirstQuestions(c, row, mentions);
    // A late transcript is the words of a message welcomed (or not) when it arrived.
    if (notes.historical || notes.lateTranscript) return;
    const newcomer = await this.newcomer(c, row.authorId, row.createdAt);
    if (!newcomer || !(await this.inCommunityChannel(c, row.channelId))) return;
    await this.welcomeOnFirstPost(c, row);
    if (notes.firstPost) await this.tellFirstPost(c, row);
    await this.watchFirstQuestion(c, row);
  }

  private async onReaction(event: ReactionAddedEvent): Promise<void> {
    const newcomerId = await this.addressedMember(event.community, event.messageId);
    if (newcomerId) {
      await this.giveWelcome(event.community, event.member.id, newcomerId, 'reaction', event.at, event.messageId, event.channelId);
    }
  }

  /** welcome_given for every newcomer this message replies to (directly, in their thread, under their welcome) or mentions. */
  private async recordGreetings(c: string, row: MessageRow, mentions: string[]): Promise<void> {
    const targets = new Map<string, Via>();
    for (const id of [row.replyTo, row.threadId]) {
      if (!id || id === row.id) continue;
      const addressed = await this.addressedMember(c, id);
      if (addressed && !targets.has(addressed)) targets.set(addressed, 'reply');
    }
    for (const id of mentions) if (!targets.has(id)) targets.set(id, 'mention');
    for (const [newcomerId, via] of targets) {
      await this.giveWelcome(c, row.authorId, newcomerId, via, row.createdAt, row.id, row.channelId);
    }
  }

  /** Whom a message addresses: its author, or the newcomer a companion welcome was for. */
  private async addressedMember(c: string, messageId: string): Promise<string | undefined> {
    const { repos } = this.core;
    const row = await repos.messages.get(c, messageId);
    if (row && !row.isCompanion) return row.authorId;
    const post = await repos.companionPosts.findByMessage(c, messageId);
    return post?.key.startsWith(WELCOME_POST_PREFIX) ? post.key.slice(WELCOME_POST_PREFIX.length) : undefined;
  }

  /** Record that `actorId` welcomed `newcomerId`, if it is one (a human, another person, within 24 h of the join). */
  private async giveWelcome(c: string, actorId: string, newcomerId: string, via: Via, at: number, messageId: string, channelId: string): Promise<void> {
    const { repos, platform } = this.core;
    if (actorId === newcomerId || actorId === platform.selfId) return;
    const newcomer = await repos.members.get(c, newcomerId);
    if (!newcomer || newcomer.isBot || newcomer.joinedAt == null) return;
    if (at < newcomer.joinedAt || at - newcomer.joinedAt > WELCOME_WINDOW) return;
    const actor = await repos.members.get(c, actorId);
    if (!actor || actor.isBot) return;
    // `/privacy off`: no analytics about either of them.
    if (newcomer.analyticsOptOut || actor.analyticsOptOut) return;
    const asked = (await repos.signals.forSubject(c, 'welcomer_asked', newcomerId)).some((s) => s.actorId === actorId);
    await repos.signals.record(c, {
      kind: 'welcome_given',
      actorId,
      subjectId: newcomerId,
      messageId,
      channelId,
      at,
      data: { via, sinceJoinMs: at - newcomer.joinedAt, askedWelcomer: asked },
      dedupeKey: `welcome_given:${newcomerId}:${actorId}`,
    });
  }

  /** A member who joined (we saw it) at most `NEWCOMER_WINDOW` before `at`. */
  private async newcomer(c: string, memberId: string, at: number) {
    const member = await this.core.repos.members.get(c, memberId);
    if (!member || member.isBot || member.joinedAt == null) return undefined;
    return at >= member.joinedAt && at - member.joinedAt <= NEWCOMER_WINDOW ? member : undefined;
  }

  /** DMs to the companion are not posts in the community. */
  private async inCommunityChannel(c: string, channelId: string): Promise<boolean> {
    const channel = await this.core.repos.channels.get(c, channelId);
    return Boolean(channel && channel.kind !== 'dm');
  }

  private async tellFirstPost(c: string, row: MessageRow): Promise<void> {
    const config = await this.core.settings.get(c);
    const asked = await this.crew.askedFor(c, row.authorId);
    const recipients = asked.slice(0, 1).map((m) => m.id);
    if (recipients.length === 0) {
      const welcomer = await this.crew.next(c, row.authorId, 'first_post');
      if (welcomer) recipients.push(welcomer.id);
    }
    const body = `First time <@${row.authorId}> has posted — say hello!${await this.describe(c, row)}`;
    await this.tellCrew(c, config, recipients, body, false);
  }

  /** Schedule the one-time nudge for a newcomer's first question (the unique key keeps it to the first). */
  private async watchFirstQuestion(c: string, row: MessageRow): Promise<void> {
    const { repos, clock } = this.core;
    if (await repos.tasks.get(c, firstQuestionKey(row.authorId))) return;
    const config = await this.core.settings.get(c);
    const channel = await repos.channels.get(c, row.channelId);
    const parent = channel?.parentId ? await repos.channels.get(c, channel.parentId) : undefined;
    const topLevel = !row.replyTo && (!row.threadId || row.threadId === row.id);
    if (!isQuestion(row.text ?? '', isHelpChannel(channel, parent, config.helpChannels), topLevel)) return;
    const now = clock.now();
    await repos.tasks.schedule(c, TASK_FIRST_QUESTION, firstQuestionKey(row.authorId), now + config.firstQuestionWait, { newcomerId: row.authorId, messageId: row.id }, now);
  }

  /** A human answered (or mentioned) a newcomer with a pending first-question nudge: cancel it. */
  private async settleFirstQuestions(c: string, row: MessageRow, mentions: string[]): Promise<void> {
    const { repos, clock } = this.core;
    const candidates = new Set(mentions);
    for (const id of [row.replyTo, row.threadId, row.discussionId]) {
      if (!id || id === row.id) continue;
      const target = await repos.messages.get(c, id);
      if (target) candidates.add(target.authorId);
    }
    candidates.delete(row.authorId);
    for (const newcomerId of candidates) {
      const key = firstQuestionKey(newcomerId);
      const task = await repos.tasks.get(c, key);
      if (task?.status !== 'pending') continue;
      const question = await repos.messages.get(c, String(task.payload?.messageId));
      const mentioned = mentions.includes(newcomerId) && (!question || row.createdAt >= question.createdAt);
      if (mentioned || (question && answers(row, question))) await repos.tasks.cancel(c, key, clock.now());
    }
  }

  /**
   * The first-question task: nudge the crew once, unless a human answered meanwhile. The nudge
   * is recorded once sent, so the task run again after its process died does not repeat it.
   */
  private async nudge(task: TaskRow): Promise<void> {
    const { repos, clock } = this.core;
    const c = task.communityId;
    const newcomerId = String(task.payload?.newcomerId);
    const sentKey = `${firstQuestionKey(newcomerId)}:nudged`;
    if (await repos.companionPosts.get(c, sentKey)) return;
    const question = await repos.messages.get(c, String(task.payload?.messageId));
    if (!question || (await this.hasHumanAnswer(c, question))) return;
    const config = await this.core.settings.get(c);
    const recipients = (await this.crew.askedFor(c, newcomerId)).slice(0, 1).map((m) => m.id);
    // A second pair of eyes: the asked welcomer has not answered, so ask the next one too.
    const another = await this.crew.next(c, newcomerId, 'nudge', recipients);
    if (another) recipients.push(another.id);
    const waited = formatDuration(clock.now() - question.createdAt);
    const body =
      `<@${newcomerId}>’s first question has had no answer from a person for ${waited}.${await this.describe(c, question)}\n` +
      'Could you help, or bring in someone who can?';
    await this.tellCrew(c, config, recipients, body, true);
    await repos.companionPosts.put(c, sentKey, config.welcomeCrewChannel ?? '', '', clock.now());
  }

  private async hasHumanAnswer(c: string, question: MessageRow): Promise<boolean> {
    const { repos } = this.core;
    const candidates = await repos.messages.repliesTo(c, question.id);
    if (question.discussionId === question.id) candidates.push(...(await repos.messages.inDiscussion(c, question.id)));
    return candidates.some((m) => answers(m, question));
  }

  /** A quote of and link to a newcomer's message, only when everyone could read it anyway. */
  private async describe(c: string, row: MessageRow): Promise<string> {
    const { repos, platform } = this.core;
    if (!(await repos.channels.isPublic(c, row.channelId))) return '';
    const link = await platform.permalink(c, { channelId: row.channelId, messageId: row.id });
    const text = row.text ? ` “${quote(row.text, 200)}”` : '';
    return `${text}${link ? ` [Open the message](${link})` : ` (in <#${row.channelId}>)`}`;
  }

  /**
   * Tell the crew: in the crew channel (pinging only `recipients`) when one is set, otherwise
   * by DM to each recipient. With nobody to tell, a nudge still reaches the moderator channel
   * (without a role ping). Throws only when every delivery failed, so a task retries without
   * repeating a DM that went through. With an outbox `key` each post is sent once (a DM to one
   * of several recipients under the key and their id).
   */
  private async tellCrew(c: string, config: CommunitySettings, recipients: string[], body: string, fallbackToModerators: boolean, key?: string): Promise<void> {
    const { platform, log } = this.core;
    const send = (where: Where, message: OutgoingMessage, keyed?: string) =>
      keyed ? this.postOnce(c, keyed, where, message) : where.kind === 'channel' ? platform.post(c, where.channelId, message) : platform.dm(c, where.memberId, message);
    if (config.welcomeCrewChannel) {
      const mentions = recipients.map((id) => `<@${id}>`).join(' ');
      await send({ kind: 'channel', channelId: config.welcomeCrewChannel }, { text: mentions ? `${mentions} ${body}` : body, mentionUsers: recipients }, key);
      return;
    }
    if (recipients.length === 0) {
      if (fallbackToModerators) await platform.notifyModerators(c, { channelId: config.moderatorChannel ?? undefined }, { text: body });
      return;
    }
    let delivered = 0;
    let lastError: unknown;
    for (const id of recipients) {
      try {
        await send({ kind: 'dm', memberId: id }, { text: body, mentionUsers: [id] }, key && recipients.length > 1 ? `${key}:${id}` : key);
        delivered++;
      } catch (error) {
        lastError = error;
        log.warn({ err: error, community: c, member: id }, 'could not DM a welcomer');
      }
    }
    if (delivered === 0) throw lastError;
  }
}

/** Fill `{name}`-style placeholders; unknown placeholders are left as they are. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The welcome text from a community's template. The template is made mention-safe (only the
 * newcomer is ever mentioned), and the way to a human and the care policy are always there,
 * even when a moderator's template leaves them out.
 */
export function renderWelcome(template: string, newcomerId: string, communityName: string): string {
  return renderWelcomeFor(template, `<@${newcomerId}>`, communityName);
}

/** The welcome for `names`: newcomer mentions the caller built (one, or a batch's list). */
function renderWelcomeFor(template: string, names: string, communityName: string): string {
  let text = renderTemplate(neutralizeMentions(template), {
    name: names,
    community: neutralizeMentions(communityName),
  });
  if (!/\/human\b/.test(template)) text += '\nYou can reach a person from the team any time with `/human`.';
  if (!/\/care-policy\b/.test(template)) text += '\n`/care-policy` explains where the bot helps and where people lead.';
  return text;
}

/** "<@a>", "<@a> and <@b>", "<@a>, <@b> and <@c>", "<@a>, <@b> and 12 others". */
export function nameList(ids: string[], others: number): string {
  const names = ids.map((id) => `<@${id}>`);
  if (others > 0) return `${names.join(', ')} and ${others} other${others === 1 ? '' : 's'}`;
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}
