/**
 * "Same here": validation instead of noise. Same-here replies (text, the configured
 * reaction, the "Same here" message action, `/same-here`) are kept and counted: each
 * distinct member once per message, never the author. The author is told once, in the
 * thread of their message, and that one acknowledgement is edited as the count grows. When
 * enough members report similar problems within a short window, moderators get one
 * high-stakes "possible outage" escalation.
 *
 * Decisions:
 * - Reactions: only the configured `sameHereReaction` (default ➕, with its platform
 *   aliases) counts. 👍 is not counted by default because on most servers it means "ok" or
 *   "thanks"; a community that uses it for same-here sets `sameHereReaction` to 👍.
 * - Analytics opt-out (`/privacy off`): the member still counts as affected (the count and
 *   the incident are about the problem, not about them), but no `same_here` relationship
 *   signal is recorded when the validator or the original author has opted out.
 * - Historical events (import/backfill) record the count and the signal, never post, edit
 *   or escalate. Bots and the companion never count and are never validated.
 */
import type { CommandInvokedEvent, IncomingMessage, MemberRef, MessagePostedEvent, ReactionAddedEvent, ReactionRemovedEvent, HearthEvent } from '../../events';
import type { CoreContext, EventNotes, Feature } from '../../context';
import type { InteractionReply, OutgoingMessage } from '../../platform';
import type { MessageRow } from '../../storage';
import { HOUR } from '../../clock';
import { quote } from '../../text/mentions';
import { MODEL_MAX_CHARS, recognizeSameHere, sameHereByRules, type SameHereRecognition } from '../../samehere/recognize';
import { looksLikeProblem, looksLikeQuestionOrProblem, similarProblems } from '../../samehere/problem';

/** How far back a same-here without an explicit reply looks for the question it validates. */
export const TARGET_LOOKBACK = 2 * HOUR;
/** How many replies / same-heres we follow up a chain to find the original message. */
const MAX_CHAIN = 5;

export type SameHereVia = 'text' | 'reaction' | 'action' | 'command';

/** The message being validated. */
export interface ValidatedMessage {
  id: string;
  channelId: string;
  authorId: string;
  authorName?: string;
  text: string | null;
  title?: string | null;
  /** Written by a bot or by the companion: never validated. */
  fromBot: boolean;
}

export interface SameHereRequest {
  community: string;
  validator: MemberRef;
  target: ValidatedMessage;
  via: SameHereVia;
  at: number;
  historical?: boolean;
}

export interface SameHereOutcome {
  /**
   * counted: a new member; already: this member was counted before; own: their own message;
   * bot: a bot's message; unreadable: the member cannot read the message's channel.
   */
  status: 'counted' | 'already' | 'own' | 'bot' | 'unreadable';
  /** Distinct members who said same-here on the message. */
  count: number;
  target: ValidatedMessage;
  /** An incident escalation covers this message. */
  incident: boolean;
}

interface SearchOptions {
  channelId: string;
  /** Only messages before this point (time, then row order for equal times). */
  before: number;
  beforeRowId?: number;
  excludeId?: string;
  validatorId: string;
  /** Stop at the validator's own message (they have spoken since: a bare same-here is not about older questions). */
  stopAtOwn: boolean;
  /** Weak same-heres ("+1", 👍) only validate the latest substantive message, never reach past chatter. */
  strict: boolean;
  /** Ignore thread replies (the same-here itself is top level). */
  topLevelOnly: boolean;
}

/** Platform names of the same emoji (Slack sends names, Discord sends the character). */
const REACTION_ALIASES = [
  ['➕', 'heavy_plus_sign'],
  ['👍', '+1', 'thumbsup', 'thumbs_up'],
  ['🙋', 'raising_hand', 'raised_hand', 'person_raising_hand', 'woman_raising_hand', 'man_raising_hand'],
  ['👆', 'point_up_2'],
  ['💯', '100'],
];

function canonicalReaction(emoji: string): string {
  const bare = emoji
    .trim()
    .replace(/^:|:$/g, '')
    .replace(/::skin-tone-\d$/, '')
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '')
    .toLowerCase();
  return REACTION_ALIASES.find((group) => group.includes(bare))?.[0] ?? bare;
}

/** Does a reaction match the community's configured same-here reaction? */
export function isSameHereReaction(configured: string, emoji: string): boolean {
  return canonicalReaction(configured) === canonicalReaction(emoji);
}

/**
 * A stored message that is only a same-here (what a later same-here passes through). The
 * phrase rules alone decide: a model's guess must never hide the report itself ("my wifi keeps
 * dropping" read as a same-here would send every "me too" past it).
 */
function isPureSameHere(text: string | null | undefined): boolean {
  if (!text) return false;
  const r = sameHereByRules(text);
  return r.sameHere && !r.carriesContent;
}

/** A message a same-here passes through to the report it is about: a bare same-here, or the companion's acknowledgement. */
function isRelay(row: MessageRow): boolean {
  return row.isCompanion || isPureSameHere(row.text);
}

function fromRow(row: MessageRow): ValidatedMessage {
  return {
    id: row.id,
    channelId: row.channelId,
    authorId: row.authorId,
    text: row.text,
    title: row.title,
    fromBot: row.authorIsBot || row.isCompanion || row.kind !== 'message',
  };
}

const parentOf = (row: { replyTo: string | null; threadId: string | null; id: string }) =>
  row.replyTo ?? (row.threadId && row.threadId !== row.id ? row.threadId : null);

export function acknowledgementText(authorId: string, count: number, incident: boolean): string {
  const who = count === 1 ? '1 member has' : `${count} members have`;
  const lines = [`You're not alone, <@${authorId}>: ${who} the same experience.`];
  if (incident) lines.push("I've let the moderators know this may be affecting more people.");
  return lines.join('\n');
}

export class SameHereFeature implements Feature {
  /** Per-community queue: the acknowledgement and the incident check never race each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly core: CoreContext) {}

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type === 'message_posted') await this.onMessage(event, notes);
    else if (event.type === 'reaction_added') await this.onReaction(event, notes);
    else if (event.type === 'reaction_removed') await this.onUnreaction(event, notes);
  }

  /**
   * The member took their same-here reaction back: they no longer count (unless they also
   * said it another way), and a live acknowledgement shows the new count. Nothing is deleted
   * from the conversation; an incident already raised stays with the moderators.
   */
  private async onUnreaction(event: ReactionRemovedEvent, notes: EventNotes): Promise<void> {
    if (notes.fromBot) return;
    const config = await this.core.settings.get(event.community);
    if (!isSameHereReaction(config.sameHereReaction, event.emoji)) return;
    const row = notes.reactedTo;
    if (!row) return;
    const target = await this.reportOf(event.community, row);
    if (!target || target.fromBot) return;
    const community = event.community;
    if (!(await this.core.repos.sameHere.removeVia(community, target.id, event.member.id, 'reaction'))) return;
    if (notes.historical) return;
    await this.serial(community, async () => {
      const latest = await this.core.repos.sameHere.count(community, target.id);
      const existing = await this.core.repos.companionPosts.get(community, `samehere:${target.id}`);
      if (!existing || latest === 0) return;
      try {
        await this.acknowledge(community, target, latest, await this.incidentKnown(community, target.id));
      } catch (error) {
        this.core.log.error({ err: error, community, messageId: target.id }, 'same-here acknowledgement update failed');
      }
    });
  }

  /**
   * The report a reaction is about: a reaction on another member's bare "same here" or on the
   * companion's acknowledgement joins the original report, as a "me too" reply to them does.
   */
  private async reportOf(community: string, row: MessageRow): Promise<ValidatedMessage | undefined> {
    return isRelay(row) ? this.follow(community, row.id, 0, true) : fromRow(row);
  }

  /** An open (or recent) incident escalation about this message. */
  private async incidentKnown(community: string, messageId: string): Promise<boolean> {
    const open = await this.core.repos.escalations.list(community, { status: ['open', 'claimed'] });
    return open.some((e) => e.messageId === messageId && e.sameHereCount > 0);
  }

  private async onMessage(event: MessagePostedEvent, notes: EventNotes): Promise<void> {
    const message = event.message;
    if (notes.fromBot || (message.kind ?? 'message') !== 'message') return;
    const recognition = await this.recognise(event.community, message);
    if (!recognition.sameHere) return;
    const target = await this.targetOfMessage(event.community, message, recognition.strength === 'weak', notes.message?.rowId);
    if (!target) return;
    notes.sameHere = { messageId: target.id, carriesContent: recognition.carriesContent };
    await this.validate({ community: event.community, validator: message.author, target, via: 'text', at: message.at, historical: notes.historical });
  }

  /**
   * Rules first (no I/O); when they find nothing, the learned model reads the message with
   * the one it answers (an explicit reply or the thread's first message), when Hearth has it.
   */
  private async recognise(community: string, message: MessagePostedEvent['message']): Promise<SameHereRecognition> {
    const config = await this.core.settings.get(community);
    const parentId = message.text.length > MODEL_MAX_CHARS ? null : (message.replyTo ?? (message.threadId && message.threadId !== message.id ? message.threadId : null));
    const parent = parentId ? await this.core.repos.messages.get(community, parentId) : undefined;
    return recognizeSameHere(message.text, { threshold: config.sameHereThreshold, parent: parent?.text ?? null });
  }

  private async onReaction(event: ReactionAddedEvent, notes: EventNotes): Promise<void> {
    if (notes.fromBot) return;
    const config = await this.core.settings.get(event.community);
    if (!isSameHereReaction(config.sameHereReaction, event.emoji)) return;
    const row = notes.reactedTo;
    if (!row) return; // A message we never saw: we cannot know whose it is.
    const target = await this.reportOf(event.community, row);
    if (!target) return;
    await this.validate({ community: event.community, validator: event.member, target, via: 'reaction', at: event.at, historical: notes.historical });
  }

  /** The "Same here" message action and `/same-here` (without a target: the latest question here by someone else). */
  async fromCommand(invocation: CommandInvokedEvent): Promise<InteractionReply> {
    const { repos, platform } = this.core;
    const community = invocation.community;
    let target: ValidatedMessage | undefined;
    if (invocation.target) {
      const row = await repos.messages.get(community, invocation.target.id);
      target = row ? await this.reportOf(community, row) : fromIncoming(invocation.target, platform.selfId);
    } else {
      target = await this.recentQuestion(community, {
        channelId: invocation.channel.id,
        before: invocation.at,
        validatorId: invocation.member.id,
        stopAtOwn: false,
        strict: false,
        topLevelOnly: invocation.channel.kind !== 'thread',
      });
    }
    if (!target) {
      return {
        visibility: 'ephemeral',
        text: 'I could not find a recent question from someone else in this channel. Use the “Same here” action on the message itself.',
      };
    }
    const outcome = await this.validate({
      community,
      validator: invocation.member,
      target,
      via: invocation.target ? 'action' : 'command',
      at: invocation.at,
    });
    const soFar = `${outcome.count} ${outcome.count === 1 ? 'member' : 'members'} so far`;
    switch (outcome.status) {
      case 'own':
        return { visibility: 'ephemeral', text: 'That is your own message: same-here counts the other members who share it.' };
      case 'bot':
        return { visibility: 'ephemeral', text: 'I only count same-heres on members’ messages, not on bots’.' };
      case 'unreadable':
        return { visibility: 'ephemeral', text: 'I can only count a same-here on a message you can read.' };
      case 'already':
        return { visibility: 'ephemeral', text: `You have already said same here on that message; each member counts once (${soFar}).` };
      case 'counted': {
        const about = target.text ? ` (“${quote(target.text, 80)}”)` : '';
        return { visibility: 'ephemeral', text: `Thanks. I've let <@${target.authorId}> know they're not alone${about}: ${soFar}.` };
      }
    }
  }

  /**
   * Count a same-here: the member once per message (never the author), the `same_here`
   * signal (unless either side opted out of analytics), then, for live events, the
   * acknowledgement and the incident check. Written before anything is sent.
   */
  async validate(request: SameHereRequest): Promise<SameHereOutcome> {
    const { repos, log } = this.core;
    const { community, validator, target, via, at } = request;
    const count = () => repos.sameHere.count(community, target.id);
    // Only someone who can read the message may validate it (and learn its count or words),
    // however the same-here reached us: action, command, reaction or a reply followed to its
    // report. History is what the platform showed its members then: not checked again.
    if (!request.historical && !(await repos.channels.canRead(community, target.channelId, validator.id))) {
      return { status: 'unreadable', count: 0, target, incident: false };
    }
    if (target.fromBot) return { status: 'bot', count: 0, target, incident: false };
    if (validator.isBot || validator.id === this.core.platform.selfId) return { status: 'bot', count: await count(), target, incident: false };
    if (validator.id === target.authorId) return { status: 'own', count: await count(), target, incident: false };

    const added = await repos.sameHere.add(community, target.id, validator.id, via, at);
    const [validatorRow, authorRow] = await Promise.all([repos.members.get(community, validator.id), repos.members.get(community, target.authorId)]);
    if (!validatorRow?.analyticsOptOut && !authorRow?.analyticsOptOut) {
      await repos.signals.record(community, {
        kind: 'same_here',
        actorId: validator.id,
        subjectId: target.authorId,
        messageId: target.id,
        channelId: target.channelId,
        at,
        data: { via },
        dedupeKey: `same_here:${target.id}:${validator.id}`,
      });
    }
    const total = await count();
    if (!added || request.historical) return { status: added ? 'counted' : 'already', count: total, target, incident: false };

    return this.serial(community, async () => {
      let incident = false;
      try {
        incident = await this.checkIncident(community, { ...target, authorName: target.authorName ?? authorRow?.name });
      } catch (error) {
        log.error({ err: error, community, messageId: target.id }, 'same-here incident check failed');
      }
      const latest = await count();
      try {
        await this.acknowledge(community, target, latest, incident);
      } catch (error) {
        // The count is safe; the next same-here posts (or edits) the acknowledgement again.
        log.error({ err: error, community, messageId: target.id }, 'same-here acknowledgement failed');
      }
      return { status: 'counted' as const, count: latest, target, incident };
    });
  }

  /** Tell the author once, then edit that one message as the count grows (also after a restart). */
  private async acknowledge(community: string, target: ValidatedMessage, count: number, incident: boolean): Promise<void> {
    const { repos, platform, clock } = this.core;
    const key = `samehere:${target.id}`;
    const message: OutgoingMessage = { text: acknowledgementText(target.authorId, count, incident), mentionUsers: [target.authorId] };
    const existing = await repos.companionPosts.get(community, key);
    if (existing) {
      await platform.edit(community, { channelId: existing.channelId, messageId: existing.messageId }, message);
      await repos.companionPosts.touch(community, key, clock.now());
      return;
    }
    const posted = await platform.reply(community, { channelId: target.channelId, messageId: target.id }, message);
    await repos.companionPosts.put(community, key, posted.channelId, posted.messageId, clock.now());
  }

  /**
   * N distinct members saying same-here within the window, across this message and the
   * messages about a similar problem, open one high-stakes escalation. Returns whether an
   * incident (new or already open) covers the message. Idempotent: an escalation carrying a
   * same-here count about one of these messages (or merged into the author's open request
   * here) within the window, or still open, means the incident is already known.
   */
  private async checkIncident(community: string, target: ValidatedMessage): Promise<boolean> {
    const { repos, settings, clock, features } = this.core;
    const now = clock.now();
    const config = await settings.get(community);
    const since = now - config.sameHereIncidentWindow;
    const recent = await repos.sameHere.since(community, since);
    const byMessage = new Map<string, Set<string>>();
    for (const row of recent) {
      if (row.at > now) continue;
      const members = byMessage.get(row.messageId) ?? new Set<string>();
      members.add(row.memberId);
      byMessage.set(row.messageId, members);
    }
    const cluster = new Set<string>([target.id]);
    for (const messageId of byMessage.keys()) {
      if (messageId === target.id) continue;
      const other = await repos.messages.get(community, messageId);
      if (other && other.channelId && similarProblems(`${other.title ?? ''} ${other.text ?? ''}`, `${target.title ?? ''} ${target.text ?? ''}`)) {
        cluster.add(messageId);
      }
    }
    const affected = new Set<string>();
    for (const messageId of cluster) for (const member of byMessage.get(messageId) ?? []) affected.add(member);

    const candidates = [
      ...(await repos.escalations.list(community, { since })),
      ...(await repos.escalations.list(community, { status: ['open', 'claimed'] })),
    ];
    const existing = candidates.find(
      (e) =>
        e.sameHereCount > 0 &&
        ((e.messageId !== null && cluster.has(e.messageId)) || (e.requesterId === target.authorId && e.channelId === target.channelId && e.status !== 'resolved')),
    );
    if (existing) {
      if (affected.size > existing.sameHereCount) await repos.escalations.update(community, existing.id, { sameHereCount: affected.size });
      return true;
    }
    if (affected.size < config.sameHereIncidentThreshold) return false;
    // An incident is many members hit by one problem: agreeing with a question that reports
    // nothing broken ("which editor do you use?") is counted, but pages nobody.
    if (!(await this.anyProblem(community, target, cluster))) return false;

    const author = await repos.members.get(community, target.authorId);
    // The reason goes to moderators, who may not read a private channel: no quote from one.
    const quotable = (target.text || target.title) && (await repos.channels.isPublic(community, target.channelId));
    const about = quotable ? `the same problem as “${quote(`${target.title ? `${target.title}: ` : ''}${target.text ?? ''}`, 150)}”` : 'the same problem';
    await features.escalation.open({
      community,
      requester: { id: target.authorId, name: author?.name ?? target.authorName ?? target.authorId },
      channelId: target.channelId,
      messageId: target.id,
      reason: `possible outage: ${affected.size} members report ${about} within ${Math.round(config.sameHereIncidentWindow / 60_000)} minutes`,
      source: 'incident',
      stakes: 'high',
      stakesClass: 'outage',
      sameHereCount: affected.size,
    });
    return true;
  }

  /** Does the target, or a report clustered with it, describe something broken? */
  private async anyProblem(community: string, target: ValidatedMessage, cluster: Set<string>): Promise<boolean> {
    if (looksLikeProblem(target.text, target.title)) return true;
    for (const id of cluster) {
      if (id === target.id) continue;
      const other = await this.core.repos.messages.get(community, id);
      if (other && looksLikeProblem(other.text, other.title)) return true;
    }
    return false;
  }

  /** What a same-here message validates: its explicit reply / thread parent, else the latest question here. */
  private async targetOfMessage(community: string, message: IncomingMessage, weak: boolean, rowId?: number): Promise<ValidatedMessage | undefined> {
    const parent = parentOf({ replyTo: message.replyTo ?? null, threadId: message.threadId ?? null, id: message.id });
    if (parent) {
      // A bare "+1" / 👍 / "me too" replying to an announcement or an answer is applause or
      // thanks, not a shared problem: only count it on a question or problem report.
      const target = await this.follow(community, parent, 0, weak);
      return target && weak && !looksLikeQuestionOrProblem(target.text, target.title) ? undefined : target;
    }
    return this.recentQuestion(community, {
      channelId: message.channel.id,
      before: message.at,
      beforeRowId: rowId,
      excludeId: message.id,
      validatorId: message.author.id,
      stopAtOwn: true,
      strict: weak,
      topLevelOnly: true,
    });
  }

  /**
   * Follow a reply chain to the message being validated: through other pure same-heres and
   * the companion's own posts (a "me too" under the acknowledgement validates the original).
   */
  private async follow(community: string, id: string, depth: number, weak: boolean): Promise<ValidatedMessage | undefined> {
    const row = await this.core.repos.messages.get(community, id);
    if (!row) return undefined;
    const relay = row.isCompanion || row.authorIsBot || isPureSameHere(row.text);
    if (!relay || depth >= MAX_CHAIN) return fromRow(row);
    // A bot post's inferred parent is a guess about the bot, not the member: do not relay through it.
    const parent = row.authorIsBot && row.replyInferred ? null : parentOf(row);
    if (parent) return this.follow(community, parent, depth + 1, weak);
    if (row.isCompanion || row.authorIsBot) return fromRow(row);
    // A pure same-here without a parent validates what it validated when it was posted.
    return this.recentQuestion(community, {
      channelId: row.channelId,
      before: row.createdAt,
      beforeRowId: row.rowId,
      excludeId: row.id,
      validatorId: row.authorId,
      stopAtOwn: true,
      strict: weak,
      topLevelOnly: !row.threadId,
    });
  }

  /** The most recent question or problem report in a channel by someone other than the validator. */
  private async recentQuestion(community: string, options: SearchOptions): Promise<ValidatedMessage | undefined> {
    const rows = await this.core.repos.messages.recentInChannel(community, options.channelId, options.before - TARGET_LOOKBACK, 100);
    for (const row of rows) {
      if (row.id === options.excludeId) continue;
      if (row.createdAt > options.before) continue;
      if (row.createdAt === options.before && options.beforeRowId !== undefined && row.rowId >= options.beforeRowId) continue;
      if (row.isCompanion || row.authorIsBot || row.kind !== 'message' || (!row.text && !row.title)) continue;
      if (options.topLevelOnly && row.threadId && row.threadId !== row.id) continue;
      if (row.authorId === options.validatorId) {
        if (options.stopAtOwn) return undefined;
        continue;
      }
      if (isPureSameHere(row.text)) continue;
      if (looksLikeQuestionOrProblem(row.text, row.title)) return fromRow(row);
      if (options.strict) return undefined;
    }
    return undefined;
  }

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }
}

function fromIncoming(message: IncomingMessage, selfId: string): ValidatedMessage {
  return {
    id: message.id,
    channelId: message.channel.id,
    authorId: message.author.id,
    authorName: message.author.name,
    text: message.text,
    title: message.title ?? null,
    fromBot: Boolean(message.author.isBot) || message.author.id === selfId || (message.kind ?? 'message') !== 'message',
  };
}
