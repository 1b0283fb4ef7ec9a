/**
 * The human path: any member can reach a person. A request is written to the database
 * before anything is acknowledged (durable first), moderators are pinged with Claim /
 * Resolve buttons, and follow-ups (re-ping, second tier) are scheduled as durable tasks.
 */
import type { CoreContext, Feature, TaskHandler } from '../../context';
import type { ButtonPressedEvent, MemberRef } from '../../events';
import type { EscalationRow } from '../../../db/repositories/escalations';
import type { InteractionReply, OutgoingMessage } from '../../platform';
import { DAY } from '../../clock';
import { quote } from '../../text/mentions';
import { formatDuration, median } from '../../text/format';

export type EscalationSource = 'command' | 'typed' | 'action' | 'incident' | 'stakes';

export interface EscalationRequest {
  community: string;
  requester: MemberRef;
  channelId: string;
  /** The message the request is about (or the typed request itself). */
  messageId?: string | null;
  reason?: string | null;
  source: EscalationSource;
  stakesClass?: string;
  stakes?: 'high' | 'low';
  sameHereCount?: number;
}

export interface EscalationOutcome {
  escalation: EscalationRow;
  /** True when the request joined an existing open one. */
  merged: boolean;
  /** The honest acknowledgement for the requester. */
  ack: string;
}

const MODERATORS_ONLY: InteractionReply = { visibility: 'ephemeral', text: 'Only moderators can claim or resolve requests.' };
const TASK_REPING = 'escalation.reping';
const TASK_SECOND_TIER = 'escalation.second_tier';

export class EscalationFeature implements Feature {
  constructor(private readonly core: CoreContext) {}

  readonly tasks: Record<string, TaskHandler> = {
    [TASK_REPING]: (task) => this.followUp(task.communityId, Number(task.payload?.escalationId), 1),
    [TASK_SECOND_TIER]: (task) => this.followUp(task.communityId, Number(task.payload?.escalationId), 2),
  };

  readonly buttons = {
    'escalation:claim': (event: ButtonPressedEvent) => this.claim(event),
    'escalation:resolve': (event: ButtonPressedEvent) => this.resolve(event),
  };

  /**
   * Open (or merge into) an escalation. The row is committed before this returns the
   * acknowledgement, and before moderators are pinged: a crash after the write loses nothing,
   * because the follow-up tasks written with it will ping on restart.
   */
  async open(request: EscalationRequest): Promise<EscalationOutcome> {
    const { repos, clock, settings } = this.core;
    const now = clock.now();
    const community = request.community;
    const existing = await repos.escalations.findOpenFor(community, request.requester.id, request.channelId);
    if (existing) {
      const updated = (await repos.escalations.update(community, existing.id, {
        requestCount: existing.requestCount + 1,
        lastRequestAt: now,
        sameHereCount: Math.max(existing.sameHereCount, request.sameHereCount ?? 0),
      }))!;
      return { escalation: updated, merged: true, ack: await this.ackText(updated, true) };
    }

    const config = await settings.get(community);
    const row = await repos.escalations.create(community, {
      requesterId: request.requester.id,
      channelId: request.channelId,
      messageId: request.messageId ?? null,
      reason: request.reason?.slice(0, 1000) ?? null,
      stakesClass: request.stakesClass ?? 'none',
      stakes: request.stakes ?? 'low',
      source: request.source,
      sameHereCount: request.sameHereCount ?? 0,
      createdAt: now,
      lastRequestAt: now,
    });
    await repos.tasks.schedule(community, TASK_REPING, `escalation:${row.id}:reping`, now + config.repingAfter, { escalationId: row.id }, now);
    await repos.tasks.schedule(community, TASK_SECOND_TIER, `escalation:${row.id}:second_tier`, now + config.secondTierAfter, { escalationId: row.id }, now);

    await this.pingModerators(row, 1);
    return { escalation: row, merged: false, ack: await this.ackText(row, false) };
  }

  /** Median time to claim over the last 30 days in this community, or null with no history. */
  async expectedWait(community: string): Promise<number | null> {
    const now = this.core.clock.now();
    const recent = await this.core.repos.escalations.list(community, { since: now - 30 * DAY });
    const waits = recent.filter((e) => e.claimedAt != null).map((e) => e.claimedAt! - e.createdAt);
    return waits.length ? median(waits) : null;
  }

  private async ackText(row: EscalationRow, merged: boolean): Promise<string> {
    const wait = await this.expectedWait(row.communityId);
    const waitText =
      wait === null
        ? 'This community has no history of response times yet, so I can’t promise a time, but they have been notified.'
        : `Recently, a moderator has picked requests up in about ${formatDuration(wait)} (median over the last 30 days).`;
    if (merged) {
      return `You already have a request open here (#${row.id}); I've added this to it, so the team sees one request. ${waitText}`;
    }
    return `I've asked the moderators to help you (request #${row.id}). A person from the team will reply to you here — not a bot. ${waitText}`;
  }

  private async moderatorMessage(row: EscalationRow, tier: 0 | 1 | 2): Promise<OutgoingMessage> {
    const { repos, platform } = this.core;
    const about = row.messageId ? await repos.messages.get(row.communityId, row.messageId) : undefined;
    const link = row.messageId
      ? await platform.permalink(row.communityId, { channelId: row.channelId, messageId: row.messageId })
      : undefined;
    const lines = [
      `${tier === 2 ? '**Second tier:** ' : tier === 1 ? '**Still unclaimed:** ' : ''}<@${row.requesterId}> asked for a human (request #${row.id}, ${row.source}).`,
      `Stakes: **${row.stakes}**${row.stakesClass !== 'none' ? ` (${row.stakesClass.replace(/_/g, ' ')})` : ''}` +
        (row.sameHereCount > 0 ? ` · ${row.sameHereCount} members said “same here”` : ''),
    ];
    if (row.reason) lines.push(`Reason: “${quote(row.reason, 300)}”`);
    if (about?.text && about.text !== row.reason) lines.push(`Message: “${quote(about.text, 300)}”`);
    if (link) lines.push(`[Open the conversation](${link})`);
    return {
      text: lines.join('\n'),
      buttons: [
        { action: 'escalation:claim', value: String(row.id), label: 'Claim', style: 'primary' },
        { action: 'escalation:resolve', value: String(row.id), label: 'Resolve', style: 'secondary' },
      ],
    };
  }

  private async pingModerators(row: EscalationRow, tier: 1 | 2, stepLabel: 0 | 1 | 2 = 0): Promise<void> {
    const { platform, settings, repos, clock } = this.core;
    const config = await settings.get(row.communityId);
    const audience =
      tier === 2
        ? { channelId: config.moderatorChannel ?? undefined, roleIds: config.secondTier, userIds: [] }
        : { channelId: config.moderatorChannel ?? undefined, roleIds: config.moderatorRoles };
    const posted = await platform.notifyModerators(row.communityId, audience, await this.moderatorMessage(row, stepLabel));
    if (stepLabel === 0) {
      await repos.companionPosts.put(row.communityId, `escalation:${row.id}`, posted.channelId, posted.messageId, clock.now());
      await repos.escalations.update(row.communityId, row.id, { acknowledgedAt: clock.now() });
    }
  }

  /** A follow-up step: only while still unclaimed, and each step once (tier only rises). */
  private async followUp(community: string, id: number, step: 1 | 2): Promise<void> {
    const { repos } = this.core;
    const row = await repos.escalations.get(community, id);
    if (!row || row.status !== 'open' || row.tier >= step) return;
    await repos.escalations.update(community, id, { tier: step });
    await this.pingModerators(row, step === 2 ? 2 : 1, step);
  }

  async claim(event: ButtonPressedEvent): Promise<InteractionReply> {
    if (!event.member.isModerator) return MODERATORS_ONLY;
    const { repos, clock, platform } = this.core;
    const id = Number(event.value);
    const now = clock.now();
    const row = await repos.escalations.transition(event.community, id, ['open'], {
      status: 'claimed',
      claimedBy: event.member.id,
      claimedAt: now,
    });
    if (!row) {
      const current = await repos.escalations.get(event.community, id);
      return {
        visibility: 'ephemeral',
        text: current
          ? `Request #${id} is already ${current.status}${current.claimedBy ? ` by <@${current.claimedBy}>` : ''}.`
          : `There is no request #${id}.`,
      };
    }
    await repos.signals.record(event.community, {
      kind: 'escalation_claimed',
      actorId: event.member.id,
      subjectId: row.requesterId,
      messageId: row.messageId,
      channelId: row.channelId,
      at: now,
      data: { escalationId: id, waitMs: now - row.createdAt },
      dedupeKey: `escalation_claimed:${id}`,
    });
    await platform.ephemeral(event.community, row.channelId, row.requesterId, {
      text: `<@${event.member.id}> from the team has picked up your request and is coming to help.`,
      mentionUsers: [row.requesterId],
    });
    await this.refreshPing(row);
    return { visibility: 'ephemeral', text: `You claimed request #${id}. <@${row.requesterId}> has been told you're on it.` };
  }

  async resolve(event: ButtonPressedEvent, note?: string): Promise<InteractionReply> {
    if (!event.member.isModerator) return MODERATORS_ONLY;
    const { repos, clock } = this.core;
    const id = Number(event.value);
    const row = await repos.escalations.transition(event.community, id, ['open', 'claimed'], {
      status: 'resolved',
      resolvedBy: event.member.id,
      resolvedAt: clock.now(),
      resolutionNote: note?.slice(0, 1000) ?? null,
      ...(await this.claimIfUnclaimed(event)),
    });
    if (!row) return { visibility: 'ephemeral', text: `Request #${id} is already resolved or does not exist.` };
    await this.refreshPing(row);
    return { visibility: 'ephemeral', text: `Request #${id} is resolved.` };
  }

  private async claimIfUnclaimed(event: ButtonPressedEvent) {
    const row = await this.core.repos.escalations.get(event.community, Number(event.value));
    return row && !row.claimedBy ? { claimedBy: event.member.id, claimedAt: this.core.clock.now() } : {};
  }

  /** Edit the original moderator ping to show who has it, and drop the buttons once resolved. */
  private async refreshPing(row: EscalationRow): Promise<void> {
    const { repos, platform } = this.core;
    const post = await repos.companionPosts.get(row.communityId, `escalation:${row.id}`);
    if (!post) return;
    const base = await this.moderatorMessage(row, 0);
    const status =
      row.status === 'resolved'
        ? `✅ Resolved by <@${row.resolvedBy}>${row.resolutionNote ? `: “${quote(row.resolutionNote, 200)}”` : ''}`
        : `🙋 Claimed by <@${row.claimedBy}>`;
    await platform.edit(row.communityId, { channelId: post.channelId, messageId: post.messageId }, {
      text: `${base.text}\n${status}`,
      buttons: row.status === 'resolved' ? [] : base.buttons?.filter((b) => b.action === 'escalation:resolve'),
    });
  }
}
