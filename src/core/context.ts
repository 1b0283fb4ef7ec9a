/**
 * What every core module receives: storage (the port in ./storage), the platform port, the
 * clock, settings, a logger and the other features. Built once per platform by the
 * Companion; tests build it with an in-memory database and a recording platform.
 */
import type { MessageRow, Repositories, TaskRow } from './storage';
import type { Logger } from '../log';
import type { AiPort } from './ai/port';
import type { Clock } from './clock';
import type { ButtonPressedEvent, HearthEvent } from './events';
import type { Features } from './features';
import type { InteractionReply, PlatformPort } from './platform';
import type { SettingsService } from './settings';
import type { Outbox } from './outbox';
import type { CrmEvents } from './crm/events';
import type { IdentityService } from './identity';
import type { HandleResult } from './companion';

export interface CoreContext {
  repos: Repositories;
  platform: PlatformPort;
  clock: Clock;
  log: Logger;
  settings: SettingsService;
  features: Features;
  /** Posts that must happen once across restarts (pings, acknowledgements). */
  outbox: Outbox;
  /** Events for the CRM webhook sink, queued durably with the changes they report. */
  crm: CrmEvents;
  /** Which accounts are one person across the group's communities. */
  identity: IdentityService;
  /**
   * The optional AI port (undefined when AI is off). Calls never throw: they return a
   * result, and every feature has an offline fallback. See src/core/ai/.
   */
  ai?: AiPort;
  /** The dashboard's base URL for `/dashboard` sign-in links; undefined when it is off. */
  dashboardUrl?: string;
  /**
   * Hand an event to the companion as an adapter does: queued behind the community's events,
   * recorded, then seen by every feature (the Transcribe action hands over a late transcript).
   * Never call it from inside an event's handling: it waits for the community's queue.
   */
  handle(raw: unknown): Promise<HandleResult>;
}

/** Findings about one event that later features can use (filled in order). */
export interface EventNotes {
  /** The stored message (message_posted / edited / deleted). */
  message?: MessageRow;
  /** reaction_added / reaction_removed: the stored message reacted to (in the reaction's channel), if any. */
  reactedTo?: MessageRow;
  /** The event repeats one already handled (replay, re-delivery): features do nothing. */
  duplicate?: boolean;
  /** The author's first post in this community. */
  firstPost?: boolean;
  /**
   * member_joined: the member had joined (or posted) before, so this join is a return, not a
   * newcomer arriving: no welcome, no welcomer asked.
   */
  rejoined?: boolean;
  /** The author is a bot or the companion itself: never counted, never answered. */
  fromBot?: boolean;
  /**
   * The event's delivery was taken over from a handler that died part-way (see `ingest`):
   * a feature's own claim on the event, taken by that handler, is no live handler's.
   */
  resumed?: boolean;
  /** High-stakes classification of the message (set by the escalation feature). */
  stakes?: { level: 'high' | 'low'; categories: string[] };
  /** Someone already answered this event on behalf of the companion (stop auto replies). */
  answered?: boolean;
  /**
   * The event comes from history (import / backfill), not from now: features record what it
   * means (signals, index, counts) but never post, ping, DM or schedule follow-ups for it.
   */
  historical?: boolean;
  /**
   * message_posted: the message was handled when it arrived, and its words arrive now, as a
   * transcript someone asked for (the Transcribe action). Features read the words as they
   * would on arrival (stakes map, "same here", signals), once; what only greets or answers a
   * message as it arrives (the posted transcript, welcomes, automatic suggestions) stays quiet.
   */
  lateTranscript?: boolean;
  /**
   * The message says "same here" about `messageId` (set by the same-here feature). A pure
   * same-here (`carriesContent: false`) is validation, not an answer: later features should
   * not treat it as a reply that helps; one that carries content is also a normal message.
   */
  sameHere?: { messageId: string; carriesContent: boolean };
}

export type TaskHandler = (task: TaskRow, core: CoreContext) => Promise<void>;
export type ButtonHandler = (event: ButtonPressedEvent, core: CoreContext) => Promise<InteractionReply | undefined>;

/** A core feature: reacts to events, runs its scheduled tasks, answers its buttons. */
export interface Feature {
  /** Called for every accepted event, in feature order, after ingest. Errors are contained. */
  onEvent?(event: HearthEvent, notes: EventNotes): Promise<void>;
  /** Scheduled task handlers by task kind. */
  tasks?: Record<string, TaskHandler>;
  /** Button handlers by action (`<feature>:<verb>`). */
  buttons?: Record<string, ButtonHandler>;
}
