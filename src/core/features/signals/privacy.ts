/**
 * Members' control over what is kept about them: `/privacy off|on` (analytics), `/forget-me`
 * (their messages, index entries, signals and same-here rows), and the retention purge of
 * old message text. Deletes go through the repositories so every index's cleanup applies.
 */
import type { CoreContext } from '../../context';
import type { ButtonPressedEvent } from '../../events';
import type { InteractionReply } from '../../platform';
import { DAY } from '../../clock';

export interface ForgetReport {
  messages: number;
  signals: number;
  sameHere: number;
  escalations: number;
}

export class PrivacyService {
  constructor(private readonly core: CoreContext) {}

  /**
   * Analytics off: existing signals about the member are deleted and no new one is recorded
   * (metrics leave them out). On: recording resumes from now; nothing deleted comes back.
   */
  async setAnalytics(community: string, memberId: string, on: boolean): Promise<{ deletedSignals: number }> {
    const { repos } = this.core;
    // Their email matches become links first: the person stays withheld whatever their email becomes.
    if (!on) await this.core.identity.pin(community, memberId);
    await repos.members.setAnalyticsOptOut(community, memberId, !on);
    const deletedSignals = on ? 0 : await repos.signals.deleteForMember(community, memberId);
    // What was queued about them (their whole person) for the CRM webhook is theirs too, and a
    // receiver that heard of them is told to delete it (the HubSpot sync deletes their contact).
    if (!on) await this.core.crm.withdraw(community, memberId);
    // The weeks the dashboard kept were computed with them counted (figures only, naming nobody).
    if (!on) await repos.pulseWeeks.clear(community);
    return { deletedSignals };
  }

  /** Delete everything about a member that Hearth stores, and keep analytics off for them. */
  async forget(community: string, memberId: string): Promise<ForgetReport> {
    const { repos, clock } = this.core;
    // Before their email is cleared: its matches become links, so their other accounts stay withheld.
    await this.core.identity.pin(community, memberId);
    // First, so nothing of theirs from before now is stored again (a re-import, a backfill).
    await repos.members.forget(community, memberId, clock.now());
    // A `/link` code they asked for would link the forgotten account later.
    await repos.identityLinks.dropCodes(community, memberId);
    const own = await repos.messages.byAuthor(community, memberId);
    // One by one through repos.messages.delete, so the search index's cleanup applies to each.
    for (const message of own) await repos.messages.delete(community, message.id);
    // The stored copies of the companion's posts about them (a suggestion quotes their message).
    for (const post of await repos.messages.companionPostsNaming(community, memberId)) await repos.messages.delete(community, post.id);
    // Discussion vectors were computed from their words too (re-embedded from what is left
    // when a search next finds the discussion).
    for (const discussionId of new Set(own.map((m) => m.discussionId ?? m.id))) await repos.embeddings.remove(community, discussionId);
    const signals = await repos.signals.deleteForMember(community, memberId);
    await this.core.crm.withdraw(community, memberId);
    // Events about others that name them (a request they claimed, a newcomer they welcomed).
    await this.core.crm.forgetNamed(community);
    const sameHere = await repos.sameHere.deleteForMember(community, memberId, own.map((m) => m.id));
    // Moderator posts quoted them: edited (after the deletes above, as pings quote stored messages).
    const escalations = await this.core.features.escalation.forgetWordsOf(community, memberId, new Set(own.map((m) => m.id)));
    await this.core.features.risk.forgetWordsOf(community, memberId);
    // The weeks the dashboard kept were computed with their posts and signals (figures only, naming nobody).
    await repos.pulseWeeks.clear(community);
    // Last: the WAL still holds the deleted pages until it is checkpointed and emptied.
    await repos.checkpoint();
    return { messages: own.length, signals, sameHere, escalations };
  }

  /** The "Forget me" confirmation button: only the member themself can press it. */
  async confirmForget(event: ButtonPressedEvent): Promise<InteractionReply> {
    if (event.member.id !== event.value) {
      return { visibility: 'ephemeral', text: 'Only the member who asked can confirm this.' };
    }
    const report = await this.forget(event.community, event.member.id);
    return {
      visibility: 'ephemeral',
      updateOriginal: true,
      text:
        `Done. I deleted ${report.messages} message${report.messages === 1 ? '' : 's'} (and their search entries), ` +
        `${report.signals} signal${report.signals === 1 ? '' : 's'} and ${report.sameHere} “same here” record${report.sameHere === 1 ? '' : 's'}` +
        `${report.escalations ? `, and removed the text of your ${report.escalations} request${report.escalations === 1 ? '' : 's'} to the team` : ''}. ` +
        'Analytics about you stay off. Messages still on the platform itself are yours to delete there.',
    };
  }

  /**
   * Retention: blank message text older than the community's `retentionDays`, the copies of
   * it kept with requests to the team (their reason), the words given with a `/thanks` and the
   * vectors of the discussions it was in. Returns how many messages.
   */
  async purgeExpired(community: string): Promise<number> {
    const { repos, settings, clock } = this.core;
    const { retentionDays } = await settings.get(community);
    const before = clock.now() - retentionDays * DAY;
    await repos.escalations.purgeTextBefore(community, before);
    await repos.signals.purgeTextBefore(community, before);
    await repos.embeddings.removeWithTextBefore(community, before);
    const purged = await repos.messages.purgeTextBefore(community, before);
    await repos.checkpoint();
    return purged;
  }
}
