/**
 * The human path: any member can reach a person, and high-stakes moments go to people first.
 *
 * - Ways in: `/human`, the "Ask a human about this" message action, typed requests ("can I
 *   talk to a human?"), high-stakes messages (the stakes map) and incidents (same-here).
 * - Durable first: the request and its follow-up steps (first ping, the requester's
 *   acknowledgement, re-ping, second tier) are written in one transaction before anything is
 *   posted. If the moderator ping fails (or the process dies), the durable ping step delivers
 *   it later; the requester is told honestly either way, and if that acknowledgement never
 *   arrived (the process died first) the durable acknowledgement step sends it.
 * - Each ping and acknowledgement goes through the outbox (core/outbox.ts): a step run again
 *   after a crash never repeats a post the platform took.
 * - This feature runs first on every message: it sets `notes.stakes` (and `notes.answered`
 *   for high stakes and typed requests) so features that answer automatically stay silent.
 */
import type { CoreContext, EventNotes, Feature, TaskHandler } from '../../context';
import type { ButtonPressedEvent, HearthEvent, MemberRef, MessagePostedEvent, MessageTarget } from '../../events';
import type { EscalationRow } from '../../storage';
import type { InteractionReply, OutgoingMessage, PostedMessage } from '../../platform';
import { DAY, MINUTE } from '../../clock';
import { quote } from '../../text/mentions';
import { formatDuration, median, percentile } from '../../text/format';
import { classifyStakes, wantsHuman, type StakesClass } from '../../stakes';
import { recentUnansweredQuestion } from './recent-question';
import { attemptOf, MAYBE_REPEAT_NOTE } from '../../outbox';

export type EscalationSource = 'command' | 'typed' | 'action' | 'incident' | 'stakes';

export interface EscalationRequest {
  community: string;
  requester: MemberRef;
  channelId: string;
  /** The message the request is about (or the typed request itself). */
  messageId?: string | null;
  reason?: string | null;
  source: EscalationSource;
  /** Stakes class; when absent (and `stakes` too) the reason is classified. */
  stakesClass?: string;
  stakes?: 'high' | 'low';
  sameHereCount?: number;
  /** Re-ping and second tier when unclaimed (default true; false = flag moderators once). */
  followUps?: boolean;
}

export interface EscalationOutcome {
  escalation: EscalationRow;
  /** True when the request joined an existing open one. */
  merged: boolean;
  /** False when the moderators could not be reached yet (a durable step retries). */
  pinged: boolean;
  /** The honest acknowledgement for the requester. */
  ack: string;
  /**
   * The outbox key of that acknowledgement (none for incidents): record it as delivered
   * (a command reply's `receipt`), or the durable acknowledgement step sends it.
   */
  ackKey?: string;
}

export interface EscalationMetrics {
  /** Escalations opened in the window. */
  opened: number;
  /** Time to claim over the window's claimed escalations (ms), null without any. */
  timeToClaim: { p50: number | null; p90: number | null; claimed: number };
  /** Open and unclaimed right now (any age), and how long the oldest has waited. */
  unclaimedNow: number;
  oldestUnclaimedMs: number | null;
  /** Escalations opened in the window by stakes class (`none` for low stakes) and by way in. */
  byClass: Record<string, number>;
  bySource: Record<string, number>;
}

const MODERATORS_ONLY: InteractionReply = { visibility: 'ephemeral', text: 'Only moderators can claim or resolve requests.' };
const TASK_PING = 'escalation.ping';
const TASK_REPING = 'escalation.reping';
const TASK_SECOND_TIER = 'escalation.second_tier';
const TASK_REMINDER = 'escalation.reminder';
const TASK_ACK = 'escalation.ack';
/** Reminders after the second tier wait `reminderAfter` times 1, 2, 4, then 8 for good. */
const REMINDER_GROWTH_CAP = 8;
/** Said to anyone whose request reads as personal distress: the team is not a crisis service. */
const CRISIS_LINE =
  'If you are in danger or thinking about harming yourself, please contact your local emergency number or a crisis line now: you deserve support right away, and you are not alone.';
/** What a moderator message is: 0 first ping, 1 re-ping, 2 second tier, 3 stakes raised, 4 reminder. */
type Step = 0 | 1 | 2 | 3 | 4;
/** How steps 0-3 open the moderators' message (a reminder says how long it has waited). */
const STEP_PREFIX = ['', '**Still unclaimed:** ', '**Second tier:** ', '**Update, stakes raised:** '] as const;
/** The expected wait is a median over this window, and only once it rests on this many claims. */
const WAIT_WINDOW = 30 * DAY;
const MIN_CLAIMS_FOR_WAIT = 5;
/** The durable first ping waits this long, so it only acts when the immediate ping failed. */
const PING_GRACE = MINUTE;
/** Likewise the durable acknowledgement: it only acts when the immediate one never arrived. */
const ACK_GRACE = MINUTE;
/** How the requester is acknowledged: the command's reply, or a note under their message. */
type AckVia = 'reply' | 'note';

export class EscalationFeature implements Feature {
  constructor(private readonly core: CoreContext) {}

  readonly tasks: Record<string, TaskHandler> = {
    [TASK_PING]: (task) => this.deliverFirstPing(task.communityId, Number(task.payload?.escalationId), Number(task.payload?.attempt ?? 0)),
    [TASK_REPING]: (task) => this.followUp(task.communityId, Number(task.payload?.escalationId), 1),
    [TASK_SECOND_TIER]: (task) => this.followUp(task.communityId, Number(task.payload?.escalationId), 2),
    [TASK_REMINDER]: (task) => this.remind(task.communityId, Number(task.payload?.escalationId), Number(task.payload?.reminder ?? 1)),
    [TASK_ACK]: (task) => this.acknowledge(task.communityId, Number(task.payload?.escalationId), Number(task.payload?.n ?? 1), task.payload?.via === 'note' ? 'note' : 'reply'),
  };

  readonly buttons = {
    'escalation:claim': (event: ButtonPressedEvent) => this.claim(event.community, Number(event.value), event.member),
    'escalation:resolve': (event: ButtonPressedEvent) => this.resolve(event.community, Number(event.value), event.member),
  };

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type === 'message_deleted' && !notes.duplicate && notes.message) return this.forgetDeletedMessage(event.community, notes.message.id);
    if (event.type !== 'message_posted' || notes.duplicate || notes.fromBot) return;
    if ((event.message.kind ?? 'message') !== 'message') return;
    // History (import, backfill) is never escalated, and the later features that read the
    // stakes (risk flags, related answers) ignore it too: no need to classify it.
    if (notes.historical) return;
    const config = await this.core.settings.get(event.community);
    const stakes = classifyStakes(event.message.text, config.humanFirstClasses, { money: config.moneyThreshold });
    notes.stakes = stakes;
    const typed = config.typedRequests && wantsHuman(event.message.text, config.wantsHumanThreshold);
    if (!typed && stakes.level === 'low') return;
    // A person leads from here: no automated answer for this message.
    notes.answered = true;
    // Moderators discussing or announcing a problem ("the site is down, we're on it") and
    // the moderator channel itself are already where the humans are: nothing to escalate.
    if (event.message.author.isModerator || event.message.channel.id === config.moderatorChannel) return;
    await this.humanFirst(event, stakes.categories, typed, config.autoEscalateClasses);
  }

  /** Open (or join) the escalation for a typed request or a high-stakes message and tell the member. */
  private async humanFirst(event: MessagePostedEvent, categories: StakesClass[], typed: boolean, autoEscalate: StakesClass[]): Promise<void> {
    const { message } = event;
    const stakesClass = categories[0];
    const outcome = await this.open({
      community: event.community,
      requester: message.author,
      channelId: message.channel.id,
      messageId: message.id,
      reason: message.text,
      source: typed ? 'typed' : 'stakes',
      stakes: stakesClass ? 'high' : 'low',
      stakesClass: stakesClass ?? 'none',
      followUps: typed || categories.some((c) => autoEscalate.includes(c)),
    });
    const text = typed && stakesClass !== 'distress' ? outcome.ack : await this.humanFirstNote(outcome, stakesClass);
    try {
      await this.sendAck(event.community, message.channel.id, message.author.id, outcome.ackKey!, text);
    } catch (error) {
      // The escalation is stored and moderators are (or will be) pinged; the durable
      // acknowledgement step sends the note later.
      this.core.log.warn({ err: error, escalation: outcome.escalation.id }, 'could not send the human-first note; retrying later');
    }
  }

  /**
   * An acknowledgement, once: through the outbox, marked when it may repeat one that arrived.
   * `interaction`: it was first the reply to the member's command, which no history shows.
   */
  private async sendAck(community: string, channelId: string, memberId: string, key: string, text: string, interaction = false): Promise<void> {
    const where = { kind: 'ephemeral' as const, channelId, memberId, interaction };
    await this.core.outbox.sendOnce(community, key, where, (attempt) =>
      this.core.platform.ephemeral(community, channelId, memberId, attemptOf({ text, mentionUsers: [] }, attempt), attempt.replyToken ? { replyToken: attempt.replyToken } : undefined),
    );
  }

  /**
   * The durable acknowledgement step: when the requester's acknowledgement (reply or note) was
   * never recorded as delivered, because the process died first or the platform refused it,
   * send it now. A request picked up meanwhile needs none: the claim told the requester.
   */
  private async acknowledge(community: string, id: number, n: number, via: AckVia): Promise<void> {
    const { repos, outbox } = this.core;
    const key = ackKey(id, n);
    if (await outbox.wasSent(community, key)) return;
    const row = await repos.escalations.get(community, id);
    if (!row || row.status !== 'open') return;
    const merged = n > 1;
    const pinged = row.acknowledgedAt != null;
    const ack = await this.ackText(row, merged ? 'merged' : pinged ? 'new' : 'unreached');
    const stakesClass = row.stakesClass === 'none' ? undefined : (row.stakesClass as StakesClass);
    const text =
      via === 'reply' || (row.source === 'typed' && stakesClass !== 'distress') ? ack : await this.humanFirstNote({ escalation: row, merged, pinged, ack }, stakesClass);
    await this.sendAck(community, row.channelId, row.requesterId, key, text, via === 'reply');
  }

  private async humanFirstNote(outcome: EscalationOutcome, stakesClass: StakesClass | undefined): Promise<string> {
    const id = outcome.escalation.id;
    if (stakesClass === 'distress') {
      const asked = outcome.pinged
        ? `I'm a bot, so I've asked a person from the team to reach out to you here (request #${id}).`
        : `I'm a bot: I've recorded this for a person from the team (request #${id}), but I couldn't reach the moderators just now, so I'll keep trying.`;
      return `Thank you for telling us. ${asked} ${CRISIS_LINE}`;
    }
    const reached = outcome.pinged ? "I've let the moderators know" : "I've recorded this for the moderators and will keep trying to reach them";
    return (
      `This looks like something a person from the team should handle, so I won't answer it automatically. ` +
      `${reached} (request #${id}); someone will follow up with you here. ${await this.waitText(outcome.escalation.communityId, outcome.pinged)}`
    );
  }

  /**
   * Open (or merge into) an escalation. The row and its follow-up steps are committed before
   * the moderators are pinged and before the acknowledgement is returned: if the ping fails,
   * or the process stops right after the write, the durable ping step delivers it later.
   * The same-here helper opens incidents through this call (`source: 'incident'`).
   */
  async open(request: EscalationRequest): Promise<EscalationOutcome> {
    // One at a time per member and place: two requests arriving together (a double-submitted
    // /human, a command racing a typed request) would both miss the open one and both ping.
    const key = `${request.community}|${request.requester.id}|${request.channelId}`;
    const run = (this.opening.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => this.openNow(request));
    this.opening.set(key, run);
    try {
      return await run;
    } finally {
      if (this.opening.get(key) === run) this.opening.delete(key);
    }
  }

  private readonly opening = new Map<string, Promise<unknown>>();

  private async openNow(request: EscalationRequest): Promise<EscalationOutcome> {
    const { repos, clock, settings, log } = this.core;
    const now = clock.now();
    const community = request.community;
    const classified = request.stakes || request.stakesClass ? undefined : classifyStakes(request.reason ?? '');
    const stakes = request.stakes ?? (request.stakesClass && request.stakesClass !== 'none' ? 'high' : (classified?.level ?? 'low'));
    const stakesClass = request.stakesClass ?? classified?.categories[0] ?? 'none';

    const existing = await repos.escalations.findOpenFor(community, request.requester.id, request.channelId);
    const via: AckVia = request.source === 'command' || request.source === 'action' ? 'reply' : 'note';
    if (existing) {
      const again = await this.countedAlready(existing, request);
      if (again) return again;
      // This repeat's acknowledgement is a durable step of its own, written before anything else
      // (with the message that asked: the same message handled again is not asking again).
      const n = existing.requestCount + 1;
      const repeatAck = request.source === 'incident' ? undefined : ackKey(existing.id, n);
      if (repeatAck) await repos.tasks.schedule(community, TASK_ACK, repeatAck, now + ACK_GRACE, { escalationId: existing.id, n, via, ...askedBy(request) }, now);
      const raise = stakes === 'high' && existing.stakes !== 'high';
      // Many members now report the same thing: news for moderators, not just a repeat.
      const becomesIncident = request.source === 'incident' && existing.sameHereCount === 0;
      const updated = (await repos.escalations.update(community, existing.id, {
        requestCount: existing.requestCount + (request.source === 'incident' ? 0 : 1),
        lastRequestAt: now,
        sameHereCount: Math.max(existing.sameHereCount, request.sameHereCount ?? 0),
        // The ping then quotes and links the latest message and reason, so what was added is not lost.
        ...(request.messageId ? { messageId: request.messageId } : {}),
        // (Only a /human reason is written to the team; other repeats bring their message.)
        ...(request.reason?.trim() && request.source === 'command' ? { latestReason: request.reason.slice(0, 1000) } : {}),
        ...(raise || becomesIncident ? { stakes, stakesClass } : {}),
        ...(becomesIncident && request.reason ? { reason: request.reason.slice(0, 1000) } : {}),
      }))!;
      if ((request.followUps ?? true) && existing.status === 'open') {
        // An explicit request (or a class with follow-ups) joining a flag-only escalation gets
        // the re-ping and second tier it would have had on its own (scheduling is idempotent).
        const config = await settings.get(community);
        const payload = { escalationId: existing.id };
        await repos.tasks.schedule(community, TASK_REPING, `escalation:${existing.id}:reping`, now + config.repingAfter, payload, now);
        await repos.tasks.schedule(community, TASK_SECOND_TIER, `escalation:${existing.id}:second_tier`, now + config.secondTierAfter, payload, now);
      }
      if (raise || becomesIncident) {
        // Stakes went up: ping again (the role), so it is not lost as an edit of an old message.
        try {
          await this.pingModerators(updated, 1, 3);
        } catch (error) {
          log.error({ err: error, escalation: updated.id }, 'moderator ping for raised stakes failed');
        }
      } else {
        await this.refreshPing(updated);
        // A claimed request has no follow-up steps left: without this, asking again (even days
        // later, when the claimer forgot) would only edit an old message and reach nobody.
        const config = await settings.get(community);
        if (existing.status === 'claimed' && existing.claimedBy && request.source !== 'incident' && now - existing.lastRequestAt >= config.repingAfter) {
          try {
            await this.remindClaimer(updated);
          } catch (error) {
            log.error({ err: error, escalation: updated.id }, 'could not tell the claimer about a repeated request');
          }
        }
      }
      return { escalation: updated, merged: true, pinged: existing.acknowledgedAt != null, ack: await this.ackText(updated, 'merged'), ackKey: repeatAck };
    }

    const config = await settings.get(community);
    const followUps = request.followUps ?? true;
    const row = (await this.core.crm.humanRequest('human_request.opened', (store) =>
      store.escalations.createWithSteps(
        community,
        {
          requesterId: request.requester.id,
          channelId: request.channelId,
          messageId: request.messageId ?? null,
          reason: request.reason?.slice(0, 1000) ?? null,
          stakesClass,
          stakes,
          source: request.source,
          sameHereCount: request.sameHereCount ?? 0,
          createdAt: now,
          lastRequestAt: now,
        },
        [
          { kind: TASK_PING, key: 'escalation:{id}:ping', dueAt: now + PING_GRACE },
          ...(request.source === 'incident' ? [] : [{ kind: TASK_ACK, key: ackKey('{id}', 1), dueAt: now + ACK_GRACE, payload: { n: 1, via, ...askedBy(request) } }]),
          ...(followUps
            ? [
                { kind: TASK_REPING, key: 'escalation:{id}:reping', dueAt: now + config.repingAfter },
                { kind: TASK_SECOND_TIER, key: 'escalation:{id}:second_tier', dueAt: now + config.secondTierAfter },
              ]
            : []),
        ],
      ),
    ))!;

    let pinged = true;
    try {
      await this.firstPing(row);
    } catch (error) {
      pinged = false;
      log.error({ err: error, escalation: row.id }, 'moderator ping failed; the durable ping step will retry');
    }
    return {
      escalation: row,
      merged: false,
      pinged,
      ack: await this.ackText(row, pinged ? 'new' : 'unreached'),
      ackKey: request.source === 'incident' ? undefined : ackKey(row.id, 1),
    };
  }

  /**
   * The same message handled again (its delivery taken over from a handler that died after
   * opening or joining the escalation): it counted already, so nothing is counted, scheduled
   * or re-pinged. Known by the message id kept with each request's acknowledgement step (the
   * newest requests are looked at). Returns that request's outcome, for its acknowledgement,
   * which the outbox sends only if it was not sent; the first ping is sent (once, through the
   * outbox) if the request is the escalation's first and no ping got through yet.
   */
  private async countedAlready(existing: EscalationRow, request: EscalationRequest): Promise<EscalationOutcome | undefined> {
    const asked = askedBy(request).messageId;
    if (!asked) return undefined;
    const { repos, log } = this.core;
    const community = existing.communityId;
    let n: number | undefined;
    for (let k = existing.requestCount; k >= Math.max(1, existing.requestCount - RERUN_LOOKBACK) && n === undefined; k--) {
      if ((await repos.tasks.get(community, ackKey(existing.id, k)))?.payload?.messageId === asked) n = k;
    }
    if (n === undefined) return undefined;
    let row = existing;
    if (n === 1 && row.acknowledgedAt == null && row.status === 'open') {
      try {
        await this.firstPing(row);
      } catch (error) {
        log.error({ err: error, escalation: row.id }, 'moderator ping failed; the durable ping step will retry');
      }
      row = (await repos.escalations.get(community, row.id)) ?? row;
    }
    const merged = n > 1;
    const pinged = row.acknowledgedAt != null;
    return { escalation: row, merged, pinged, ack: await this.ackText(row, merged ? 'merged' : pinged ? 'new' : 'unreached'), ackKey: ackKey(row.id, n) };
  }

  /**
   * Median time to claim over the last 30 days in this community, with how many claims it
   * rests on; the median is null below `MIN_CLAIMS_FOR_WAIT` (one quick claim is no promise).
   */
  async expectedWait(community: string): Promise<{ median: number | null; claimed: number }> {
    const now = this.core.clock.now();
    const recent = await this.core.repos.escalations.list(community, { since: now - WAIT_WINDOW });
    const waits = recent.filter((e) => e.claimedAt != null).map((e) => e.claimedAt! - e.createdAt);
    return { median: waits.length >= MIN_CLAIMS_FOR_WAIT ? median(waits) : null, claimed: waits.length };
  }

  /**
   * The expected-wait sentence shown to requesters (and in the care policy). `notified`: whether
   * this requester's moderators were actually reached (undefined: no request, the care policy).
   */
  async waitText(community: string, notified?: boolean): Promise<string> {
    const wait = await this.expectedWait(community);
    const requests = (n: number) => `${n} request${n === 1 ? '' : 's'} picked up in the last 30 days`;
    if (wait.median !== null) {
      const time = wait.median < MINUTE ? 'under a minute' : `about ${formatDuration(wait.median)}`;
      return `Recently, a moderator has picked requests up in ${time} (median of the ${requests(wait.claimed)}).`;
    }
    const tail = notified === undefined ? '.' : notified ? ', but the team has been notified.' : '.';
    if (wait.claimed > 0) return `This community has too little history of response times yet (${requests(wait.claimed)}), so I can’t promise a time${tail}`;
    return `This community has no history of response times yet, so I can’t promise a time${tail}`;
  }

  /** Health figures for `/pulse` and the digest: time to claim, unclaimed now, by class. */
  async metrics(community: string, options: { since?: number } = {}): Promise<EscalationMetrics> {
    const { repos, clock } = this.core;
    const now = clock.now();
    const rows = await repos.escalations.list(community, { since: options.since ?? now - 30 * DAY });
    const waits = rows.filter((e) => e.claimedAt != null).map((e) => e.claimedAt! - e.createdAt);
    const open = await repos.escalations.list(community, { status: ['open'] });
    const tally = (key: (row: EscalationRow) => string) =>
      rows.reduce<Record<string, number>>((acc, row) => ((acc[key(row)] = (acc[key(row)] ?? 0) + 1), acc), {});
    return {
      opened: rows.length,
      timeToClaim: { p50: waits.length ? percentile(waits, 50) : null, p90: waits.length ? percentile(waits, 90) : null, claimed: waits.length },
      unclaimedNow: open.length,
      oldestUnclaimedMs: open.length ? now - Math.min(...open.map((e) => e.createdAt)) : null,
      byClass: tally((row) => row.stakesClass),
      bySource: tally((row) => row.source),
    };
  }

  private async ackText(row: EscalationRow, state: 'new' | 'merged' | 'unreached'): Promise<string> {
    // Only say the team was reached when a ping actually got through (a merged repeat may
    // join a request whose pings have all failed so far).
    const notified = state === 'new' || (state === 'merged' && row.acknowledgedAt != null);
    const waitText = (await this.waitText(row.communityId, notified)) + (row.stakesClass === 'distress' ? ` ${CRISIS_LINE}` : '');
    if (state === 'merged' && row.status === 'claimed' && row.claimedBy) {
      return `You already have a request open here (#${row.id}), which <@${row.claimedBy}> from the team picked up; I've added this to it and let them know you asked again. ${waitText}`;
    }
    if (state === 'merged') {
      return notified
        ? `You already have a request open here (#${row.id}); I've added this to it, so the team sees one request. ${waitText}`
        : `You already have a request open here (#${row.id}); I've added this to it. I haven't been able to reach the moderators yet, but I'll keep trying automatically and your request stays open until a person from the team picks it up. ${waitText}`;
    }
    if (state === 'unreached') {
      return (
        `I've recorded your request (#${row.id}), but I couldn't reach the moderators' channel just now. ` +
        `I'll keep trying automatically, and your request stays open until a person from the team picks it up. ${waitText}`
      );
    }
    return `I've asked the moderators to help you (request #${row.id}). A person from the team will reply to you here — not a bot. ${waitText}`;
  }

  private async moderatorMessage(row: EscalationRow, step: Step): Promise<OutgoingMessage> {
    const { repos, platform, clock } = this.core;
    const about = row.messageId ? await repos.messages.get(row.communityId, row.messageId) : undefined;
    const link = row.messageId
      ? await platform.permalink(row.communityId, { channelId: row.channelId, messageId: row.messageId })
      : undefined;
    const prefix = step === 4 ? `**Reminder, unclaimed for ${formatDuration(clock.now() - row.createdAt)}:** ` : STEP_PREFIX[step];
    const what =
      row.source === 'stakes'
        ? `a message by <@${row.requesterId}> needs a human (request #${row.id}, high stakes: no automated answer was given).`
        : row.source === 'incident'
          ? `possible incident reported by <@${row.requesterId}> and others (request #${row.id}, incident).`
          : `<@${row.requesterId}> asked for a human (request #${row.id}, ${row.source}).`;
    const lines = [
      `${prefix}${what}`,
      `Stakes: **${row.stakes}**${row.stakesClass !== 'none' ? ` (${row.stakesClass.replace(/_/g, ' ')})` : ''}` +
        (row.sameHereCount > 0 ? ` · ${row.sameHereCount} members said “same here”` : '') +
        (row.requestCount > 1 ? ` · asked ${row.requestCount} times` : ''),
    ];
    if (row.stakesClass === 'distress') lines.push('⚠️ Possible personal distress: please reach out with care, privately if you can.');
    // Moderators may not be able to read a private channel: its text is not quoted to them,
    // unless the member wrote it to the team (a /human reason). Typed requests, high-stakes
    // messages and message actions carry a copy of the channel message as their reason.
    const isPublic = await repos.channels.isPublic(row.communityId, row.channelId);
    const copied = row.source !== 'command' && row.source !== 'incident';
    if (row.reason && (isPublic || !copied)) lines.push(`Reason: “${quote(row.reason, 300)}”`);
    const latest = row.latestReason?.trim();
    if (latest && latest !== row.reason?.trim() && latest !== about?.text?.trim()) lines.push(`Latest: “${quote(latest, 300)}”`);
    const message = about?.text && about.text !== row.reason ? about.text : undefined;
    if (message && isPublic) lines.push(`Message: “${quote(message, 300)}”`);
    else if (!isPublic && (message || (copied && row.reason))) lines.push('Message: a message in a private channel — open the link.');
    if (row.source === 'typed' || row.source === 'command') {
      const line = await this.recentQuestionLine(row, isPublic);
      if (line) lines.push(line);
    }
    if (link) lines.push(`[Open the conversation](${link})`);
    return {
      text: lines.join('\n'),
      buttons: [
        { action: 'escalation:claim', value: String(row.id), label: 'Claim', style: 'primary' },
        { action: 'escalation:resolve', value: String(row.id), label: 'Resolve', style: 'secondary' },
      ],
    };
  }

  /**
   * A person asking for a human often asked the community first: their unanswered question
   * and its "same here" count, quoted only from a public channel (like the request itself).
   */
  private async recentQuestionLine(row: EscalationRow, isPublic: boolean): Promise<string | undefined> {
    const recent = await recentUnansweredQuestion(this.core, row);
    if (!recent) return undefined;
    const { message, sameHere } = recent;
    const ago = row.createdAt - message.createdAt;
    const when = ago < MINUTE ? 'just before' : `${formatDuration(ago)} earlier`;
    const others = sameHere > 0 ? ` (${sameHere} member${sameHere === 1 ? '' : 's'} said “same here”)` : '';
    const link = await this.core.platform.permalink(row.communityId, { channelId: message.channelId, messageId: message.id });
    if (!isPublic) return `Their question ${when}, unanswered so far${others}, in a private channel: ${link ? `[open it](${link})` : 'see the conversation'}`;
    return `Their question ${when}, unanswered so far${others}: “${quote(message.text ?? '', 300)}”${link ? ` [Open it](${link})` : ''}`;
  }

  /** The requester asked again on a claimed request: mention the moderator who has it (no role). */
  private async remindClaimer(row: EscalationRow): Promise<void> {
    const config = await this.core.settings.get(row.communityId);
    // The ping quotes the newest reason (`Latest:`) itself.
    const base = await this.moderatorMessage(row, 0);
    const posted = await this.core.platform.notifyModerators(
      row.communityId,
      { channelId: config.moderatorChannel ?? undefined, roleIds: [], userIds: [row.claimedBy!] },
      {
        text: `**Asked again** (claimed by <@${row.claimedBy}>): ${base.text}`,
        buttons: base.buttons?.filter((b) => b.action === 'escalation:resolve'),
      },
    );
    await this.rememberPost(row, posted);
  }

  /** Every post quoting a request is remembered, so forget-me can edit the member's words out of it. */
  private async rememberPost(row: EscalationRow, posted: PostedMessage): Promise<void> {
    await this.core.repos.companionPosts.put(row.communityId, `escalation:${row.id}:post:${posted.messageId}`, posted.channelId, posted.messageId, this.core.clock.now());
  }

  /**
   * Post a ping; the first one that gets through is remembered (claims edit it) and marks the
   * row acknowledged. With an outbox `key` it is posted once: a ping the platform already took
   * (a step run again after a crash) is not sent again, only recorded.
   */
  private async pingModerators(row: EscalationRow, tier: 1 | 2, step: Step = 0, key?: string): Promise<MessageTarget> {
    const { platform, settings, repos, clock, outbox } = this.core;
    const config = await settings.get(row.communityId);
    const audience =
      step === 4
        ? // A reminder keeps the request in sight in the moderators' channel without paging anyone.
          { channelId: config.moderatorChannel ?? undefined, roleIds: [], userIds: [] }
        : tier === 2
          ? // No second tier configured: the moderators are mentioned again rather than nobody.
            { channelId: config.moderatorChannel ?? undefined, roleIds: config.secondTier.length ? config.secondTier : config.moderatorRoles, userIds: [] }
          : { channelId: config.moderatorChannel ?? undefined, roleIds: config.moderatorRoles };
    const send = async (maybeRepeat = false) => {
      const message = await this.moderatorMessage(row, step);
      return platform.notifyModerators(row.communityId, audience, {
        ...message,
        ...(maybeRepeat ? { text: `${message.text}\n${MAYBE_REPEAT_NOTE}` } : {}),
        ...(key ? { idempotencyKey: key } : {}),
      });
    };
    const posted = key ? (await outbox.sendOnce(row.communityId, key, { kind: 'moderators', audience }, (attempt) => send(attempt.maybeRepeat))).posted! : await send();
    // The first ping that gets through is the one claims edit (normally step 0; a re-ping when
    // every earlier attempt was lost).
    if (step === 0 || row.acknowledgedAt == null) {
      await repos.companionPosts.put(row.communityId, `escalation:${row.id}`, posted.channelId, posted.messageId, clock.now());
      await repos.escalations.update(row.communityId, row.id, { acknowledgedAt: clock.now() });
    } else if (step !== 4) {
      // (Reminders are remembered by remind(), under the key that keeps them from repeating.)
      await this.rememberPost(row, posted);
    }
    return posted;
  }

  /** First pings still on their way, by escalation: a slow one must not be sent again meanwhile. */
  private readonly firstPings = new Map<string, Promise<unknown>>();

  private async firstPing(row: EscalationRow): Promise<void> {
    const key = `${row.communityId}|${row.id}`;
    const run = this.pingModerators(row, 1, 0, `escalation:${row.id}:ping`);
    this.firstPings.set(key, run);
    try {
      await run;
    } finally {
      if (this.firstPings.get(key) === run) this.firstPings.delete(key);
    }
  }

  /**
   * The durable first ping: only when the immediate one did not get through. It never gives
   * up while the request is open and unheard: each failure schedules the next attempt (backing
   * off to every 15 minutes), so even a long platform outage ends with moderators pinged.
   * While the immediate ping is still on its way (a slow platform, retries), it only looks
   * again later: that ping either lands (and acknowledges) or fails (and this one sends).
   */
  private async deliverFirstPing(community: string, id: number, attempt: number): Promise<void> {
    const { repos, clock, log } = this.core;
    const row = await repos.escalations.get(community, id);
    if (!row || row.acknowledgedAt != null || row.status === 'resolved') return;
    const next = attempt + 1;
    const retry = (delay: number) => {
      const now = clock.now();
      return repos.tasks.schedule(community, TASK_PING, `escalation:${id}:ping:${next}`, now + delay, { escalationId: id, attempt: next }, now);
    };
    if (this.firstPings.has(`${community}|${id}`)) {
      await retry(PING_GRACE);
      return;
    }
    try {
      await this.firstPing(row);
    } catch (error) {
      log.warn({ err: error, escalation: id, attempt: next }, 'moderator ping failed again; retrying later');
      await retry(Math.min(2 ** next, 15) * MINUTE);
    }
  }

  /**
   * A follow-up step: only while still unclaimed, and each step once (tier only rises). The
   * ping goes through the outbox, so a failed ping is retried by the task runner, and a step
   * run again after its process died (the runner's lease ran out) does not post it again.
   */
  private async followUp(community: string, id: number, step: 1 | 2): Promise<void> {
    const { repos, clock } = this.core;
    const row = await repos.escalations.get(community, id);
    if (!row || row.status !== 'open' || row.tier >= step) return;
    // Reminders follow the second tier until someone claims (scheduled first: idempotent, and
    // kept even if this step's ping is retried or dies with its process).
    if (step === 2) await this.scheduleReminder(row, 1);
    if (step === 1) {
      // Catching up (after a restart or an outage), steps fall due together: a re-ping right
      // after the first ping got through, or just before the second tier, is a duplicate.
      const now = clock.now();
      const justPinged = row.acknowledgedAt != null && now - row.acknowledgedAt < PING_GRACE;
      const secondTier = await repos.tasks.get(community, `escalation:${id}:second_tier`);
      if (justPinged || ((secondTier?.status === 'pending' || secondTier?.status === 'running') && secondTier.dueAt <= now)) {
        await repos.escalations.update(community, id, { tier: step });
        return;
      }
    }
    await this.pingModerators(row, step === 2 ? 2 : 1, step, `escalation:${id}:${step === 2 ? 'second_tier' : 'reping'}`);
    await repos.escalations.update(community, id, { tier: step });
  }

  /** Reminder `n` after the second tier: `reminderAfter` times 1, 2, 4, then 8 from now. */
  private async scheduleReminder(row: EscalationRow, n: number): Promise<void> {
    const { repos, clock, settings } = this.core;
    const config = await settings.get(row.communityId);
    const now = clock.now();
    const wait = config.reminderAfter * Math.min(2 ** (n - 1), REMINDER_GROWTH_CAP);
    await repos.tasks.schedule(row.communityId, TASK_REMINDER, `escalation:${row.id}:reminder:${n}`, now + wait, { escalationId: row.id, reminder: n }, now);
  }

  /**
   * A reminder in the moderators' channel while a request stays unclaimed after the second
   * tier (no mention: the pings were sent). It stops once the request is claimed or resolved.
   * The next one is scheduled before this one is posted, and each goes through the outbox, so
   * a failure or a crash neither ends the reminders nor posts one twice.
   */
  private async remind(community: string, id: number, n: number): Promise<void> {
    const { repos, clock } = this.core;
    const row = await repos.escalations.get(community, id);
    if (!row || row.status !== 'open') return;
    await this.scheduleReminder(row, n + 1);
    await this.pingModerators(row, 1, 4, `escalation:${id}:reminder:${n}`);
  }

  /**
   * Moderators (by role) and the people named as second tier may claim and resolve, from
   * wherever they press the button: the escalation channel, a DM, another channel.
   */
  private async mayHandle(community: string, member: MemberRef): Promise<boolean> {
    if (member.isModerator) return true;
    const config = await this.core.settings.get(community);
    return config.secondTier.includes(member.id);
  }

  async claim(community: string, id: number, member: MemberRef): Promise<InteractionReply> {
    if (!(await this.mayHandle(community, member))) return MODERATORS_ONLY;
    const { repos, clock, platform, log } = this.core;
    const now = clock.now();
    // A moderator who asked for a person needs someone else: claiming their own request would
    // silence the re-pings and tell them that they themselves are coming to help.
    const before = await repos.escalations.get(community, id);
    if (before && before.requesterId === member.id && before.status === 'open') {
      return { visibility: 'ephemeral', text: `Request #${id} is your own request, so another moderator needs to pick it up (it stays open for them).` };
    }
    const row = await this.core.crm.humanRequest('human_request.claimed', (store) =>
      store.escalations.transition(community, id, ['open'], { status: 'claimed', claimedBy: member.id, claimedAt: now }),
    );
    if (!row) {
      const current = await repos.escalations.get(community, id);
      // Whoever did what the request now is: the resolver of a resolved one, not its claimer.
      const by = current?.status === 'resolved' ? current.resolvedBy : current?.claimedBy;
      return {
        visibility: 'ephemeral',
        text: current
          ? `Request #${id} is already ${current.status}${by ? ` by <@${by}>` : ''}.`
          : `There is no request #${id}.`,
      };
    }
    await repos.signals.record(community, {
      kind: 'escalation_claimed',
      actorId: member.id,
      subjectId: row.requesterId,
      messageId: row.messageId,
      channelId: row.channelId,
      at: now,
      data: { escalationId: id, waitMs: now - row.createdAt },
      dedupeKey: `escalation_claimed:${id}`,
    });
    const told = { text: `<@${member.id}> from the team has picked up your request and is coming to help.`, mentionUsers: [row.requesterId] };
    let reached = true;
    try {
      await platform.ephemeral(community, row.channelId, row.requesterId, told);
    } catch (error) {
      log.warn({ err: error, escalation: id }, 'could not tell the requester in the channel; sending a DM');
      reached = await platform.dm(community, row.requesterId, told).then(
        () => true,
        (e) => (log.error({ err: e, escalation: id }, 'could not tell the requester'), false),
      );
    }
    await this.refreshPing(row);
    return {
      visibility: 'ephemeral',
      text: reached
        ? `You claimed request #${id}. <@${row.requesterId}> has been told you're on it.`
        : `You claimed request #${id}, but I couldn't tell <@${row.requesterId}> (their DMs may be closed, or they left the channel): please reach out to them yourself${row.messageId ? ' from the conversation linked in the ping' : ''}.`,
    };
  }

  /** Close a request (button or `/resolve id note`); an unclaimed one counts as claimed by the resolver. */
  async resolve(community: string, id: number, member: MemberRef, note?: string | null): Promise<InteractionReply> {
    if (!(await this.mayHandle(community, member))) return MODERATORS_ONLY;
    const { repos, clock } = this.core;
    const now = clock.now();
    const before = await repos.escalations.get(community, id);
    const row = await this.core.crm.humanRequest('human_request.resolved', (store) =>
      store.escalations.transition(community, id, ['open', 'claimed'], {
        status: 'resolved',
        resolvedBy: member.id,
        resolvedAt: now,
        resolutionNote: note?.trim() ? note.trim().slice(0, 1000) : null,
        ...(before && !before.claimedBy ? { claimedBy: member.id, claimedAt: now } : {}),
      }),
    );
    if (!row) return { visibility: 'ephemeral', text: `Request #${id} is already resolved or does not exist.` };
    await this.refreshPing(row);
    return { visibility: 'ephemeral', text: `Request #${id} is resolved${row.resolutionNote ? ' with your note' : ''}.` };
  }

  /** The moderator ping as it stands now: latest state, who has it, and no buttons once resolved. */
  private async currentPing(row: EscalationRow): Promise<OutgoingMessage> {
    const base = await this.moderatorMessage(row, 0);
    const status =
      row.status === 'resolved'
        ? `\n✅ Resolved by <@${row.resolvedBy}>${row.resolutionNote ? `: “${quote(row.resolutionNote, 200)}”` : ''}`
        : row.status === 'claimed'
          ? `\n🙋 Claimed by <@${row.claimedBy}>`
          : '';
    const buttons = { open: base.buttons, claimed: base.buttons?.filter((b) => b.action === 'escalation:resolve'), resolved: [] }[row.status];
    return { text: `${base.text}${status}`, buttons };
  }

  /** Edit the original moderator ping to the request's current state. */
  private async refreshPing(row: EscalationRow): Promise<void> {
    const { repos, platform, log } = this.core;
    const post = await repos.companionPosts.get(row.communityId, `escalation:${row.id}`);
    if (!post) return;
    try {
      await platform.edit(row.communityId, { channelId: post.channelId, messageId: post.messageId }, await this.currentPing(row));
    } catch (error) {
      // The state change is stored; a stale ping only shows old buttons, which answer honestly.
      log.warn({ err: error, escalation: row.id }, 'could not update the moderator ping');
    }
  }

  /**
   * Forget-me: the member's words leave every request and every moderator post quoting one.
   * Their own requests lose their reasons and notes; requests about their messages lose the
   * copy of the message (typed, high-stakes, message action, incident quote); notes they
   * wrote when resolving go. Every stored post of those requests (ping, re-pings, reminders,
   * "asked again") is then edited to the request's current state, which no longer quotes
   * them. Call after their messages are deleted: pings quote the stored message. Returns how
   * many of their own requests lost their words.
   */
  async forgetWordsOf(community: string, memberId: string, messageIds: ReadonlySet<string>): Promise<number> {
    const own = await this.core.repos.escalations.clearReasonsOf(community, memberId);
    await this.withoutWords(community, await this.core.repos.escalations.list(community), messageIds, memberId);
    return own;
  }

  /**
   * A member deleted a message a request copied (a typed or high-stakes request, a message
   * action, an incident's quote): the copy goes, and the moderator posts quoting it are edited
   * as for forget-me. Deleted words stay deleted, in the database and in what Hearth posted.
   */
  async forgetDeletedMessage(community: string, messageId: string): Promise<void> {
    await this.withoutWords(community, await this.core.repos.escalations.list(community, { messageId }), new Set([messageId]));
  }

  /**
   * Of `rows`, those about one of `messageIds`, or (with `memberId`) made or resolved by that
   * member, lose the words copied from those messages and the member's resolution note, and
   * every stored post of theirs (ping, re-pings, reminders, "asked again") is edited to the
   * request's current state and its stored copy deleted.
   */
  private async withoutWords(community: string, rows: EscalationRow[], messageIds: ReadonlySet<string>, memberId?: string): Promise<void> {
    const { repos, platform, log } = this.core;
    for (let row of rows) {
      const about = row.messageId !== null && messageIds.has(row.messageId);
      const theirs = memberId !== undefined && (row.requesterId === memberId || row.resolvedBy === memberId);
      if (!about && !theirs) continue;
      const values = {
        ...(about && row.source !== 'command' ? { reason: null } : {}),
        ...(memberId !== undefined && row.resolvedBy === memberId ? { resolutionNote: null } : {}),
      };
      if (Object.keys(values).length) row = (await repos.escalations.update(community, row.id, values)) ?? row;
      const posts = [await repos.companionPosts.get(community, `escalation:${row.id}`), ...(await repos.companionPosts.withPrefix(community, `escalation:${row.id}:`))];
      const edited = new Set<string>();
      for (const post of posts) {
        if (!post?.messageId || edited.has(post.messageId)) continue;
        edited.add(post.messageId);
        try {
          await platform.edit(community, { channelId: post.channelId, messageId: post.messageId }, await this.currentPing(row));
        } catch (error) {
          log.warn({ err: error, escalation: row.id }, 'could not edit deleted or forgotten words out of a moderator post');
        }
        // The stored copy of the post (the platform's echo) still quotes them.
        await repos.messages.delete(community, post.messageId);
      }
    }
  }
}

/** The outbox key (and task key) of a requester's acknowledgement: one per request they made. */
/** How many of an escalation's newest requests a re-run of a message is looked for among. */
const RERUN_LOOKBACK = 20;

/** The message a request came with, kept with its acknowledgement step: only a message event's (a typed request, a high-stakes message) can be handled again. */
function askedBy(request: EscalationRequest): { messageId?: string } {
  return (request.source === 'typed' || request.source === 'stakes') && request.messageId ? { messageId: request.messageId } : {};
}

function ackKey(id: number | string, n: number): string {
  return `escalation:${id}:ack:${n}`;
}
