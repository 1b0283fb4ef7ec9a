/**
 * The companion: one per platform. Adapters hand it normalised events; it validates them,
 * records them (ingest), lets each feature react, and answers commands and buttons.
 * A failing feature is logged and contained: it never takes the process down and never
 * stops the other features from seeing the event.
 */
import { commands as allCommands, type CommandDefinition } from '../../commands';
import type { Repositories, ReplyToken } from './storage';
import type { Logger } from '../log';
import type { AiPort } from './ai/port';
import type { Clock } from './clock';
import type { CoreContext, EventNotes, Feature, TaskHandler } from './context';
import type { ButtonPressedEvent, CommandInvokedEvent, HearthEvent } from './events';
import { createFeatures, featureList } from './features';
import { guardPlatform, safeMessage } from './guarded-platform';
import { ingest } from './ingest';
import { normalizeEvent } from './normalize';
import type { InteractionReply, PlatformPort } from './platform';
import { SettingsService, type CommunitySettings } from './settings';
import { MINUTE } from './clock';
import { noopObserver, type CompanionObserver } from './observer';
import { Outbox } from './outbox';
import { CrmEvents } from './crm/events';
import { IdentityService } from './identity';

export interface CompanionOptions {
  repos: Repositories;
  platform: PlatformPort;
  clock: Clock;
  log: Logger;
  /** Platform/env defaults for community settings (moderator role, channels). */
  settingsDefaults?: Partial<CommunitySettings>;
  commands?: CommandDefinition[];
  observer?: CompanionObserver;
  /** The optional AI port (src/ai: createAiPort(config, log)); undefined keeps AI off. */
  ai?: AiPort;
  /** Queue CRM webhook events (HEARTH_WEBHOOK_URL is set); default off. */
  webhooks?: boolean;
  /** The dashboard's base URL for sign-in links (config.ts `dashboardBaseUrl`); undefined: off. */
  dashboardUrl?: string;
}

export type HandleResult = { ok: true; notes: EventNotes } | { ok: false; error: string };

const MAX_TASK_ATTEMPTS = 5;
/** How long a runner holds a task; a step still running after that is taken to have died with its process. */
const TASK_LEASE = 5 * MINUTE;
/** How long a handler holds a delivery; a redelivery after that (its process died) is handled again. */
const DELIVERY_LEASE = MINUTE;

export class Companion {
  readonly core: CoreContext;
  readonly commands: CommandDefinition[];
  private readonly features: Feature[];
  private readonly observer: CompanionObserver;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: CompanionOptions) {
    const core = {
      repos: options.repos,
      platform: guardPlatform(options.platform),
      clock: options.clock,
      log: options.log,
      settings: new SettingsService(options.repos, options.settingsDefaults),
      ai: options.ai,
      dashboardUrl: options.dashboardUrl,
    } as CoreContext;
    core.outbox = new Outbox(core);
    core.crm = new CrmEvents(core, options.webhooks ?? false);
    core.identity = new IdentityService(core);
    core.handle = (raw) => this.handle(raw);
    core.features = createFeatures(core);
    this.core = core;
    this.features = featureList(core.features);
    this.commands = options.commands ?? allCommands;
    this.observer = options.observer ?? noopObserver;
  }

  /**
   * Handle a platform event (not a command or button: see `command` / `button`).
   * `historical: true` (import, backfill) records everything but sends nothing.
   */
  async handle(raw: unknown, options: { historical?: boolean } = {}): Promise<HandleResult> {
    // Events of one community are handled one at a time, in arrival order: adapters receive
    // them concurrently, but "same here" must see the question it answers, a reply its parent.
    const community = typeof raw === 'object' && raw && 'community' in raw ? String((raw as { community: unknown }).community) : '';
    const previous = this.queues.get(community) ?? Promise.resolve();
    // A voice message is transcribed first (live events only), and the transcription starts at
    // once, while earlier events are still handled: later events of the community wait for it,
    // so a reply is never handled before the voice message it answers.
    const prepared = options.historical ? raw : this.core.features.voice.beforeHandle(raw);
    // Across processes sharing the store (several Slack connections to one workspace), the
    // store's per-community lock keeps the one-at-a-time rule.
    const run = previous.then(async () => {
      const event = await prepared;
      if (options.historical) return this.handleNow(event, options);
      try {
        return await this.core.repos.inOrder(community, () => this.handleNow(event, options));
      } catch (error) {
        // The store is unreachable (handleNow itself never throws): like a failed ingest.
        this.core.log.error({ err: error }, 'could not take the community lock');
        return { ok: false as const, error: (error as Error).message };
      }
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(community, tail);
    void tail.then(() => {
      if (this.queues.get(community) === tail) this.queues.delete(community);
    });
    return run;
  }

  private async handleNow(raw: unknown, options: { historical?: boolean }): Promise<HandleResult> {
    let event: HearthEvent;
    try {
      event = normalizeEvent(raw);
    } catch (error) {
      this.core.log.warn({ err: (error as Error).message }, 'rejected event');
      this.observer.event(typeof raw === 'object' && raw && 'type' in raw ? String(raw.type).slice(0, 40) : 'unknown', 'rejected');
      return { ok: false, error: (error as Error).message };
    }
    // A redelivery (a reconnect, a retry, another process's connection) handled elsewhere, or
    // being handled right now, is a duplicate. Import and backfill replay history: not deliveries.
    const delivery = options.historical ? undefined : event.deliveryId;
    const claim = delivery ? await this.claimDelivery(event.community, delivery) : 'new';
    if (!claim) {
      this.observer.event(event.type, 'duplicate');
      return { ok: true, notes: { duplicate: true } };
    }
    let notes: EventNotes;
    try {
      // A claim taken over from a handler that died may find the event stored already: stored
      // is not handled, so ingest reports it as new and the features run (each safe to re-run).
      notes = await ingest(this.core, event, { resumed: claim === 'resumed' });
    } catch (error) {
      this.core.log.error({ err: error, type: event.type }, 'could not record event');
      this.observer.event(event.type, 'error');
      return { ok: false, error: (error as Error).message };
    }
    this.observer.event(event.type, notes.duplicate ? 'duplicate' : 'ok');
    if (notes.duplicate) {
      // Recorded before under another delivery (or none): this delivery is done.
      if (delivery) await this.core.repos.deliveries.done(event.community, delivery, this.core.clock.now());
      return { ok: true, notes };
    }
    if (options.historical) notes.historical = true;
    for (const feature of this.features) {
      if (!feature.onEvent) continue;
      try {
        await feature.onEvent(event, notes);
      } catch (error) {
        this.core.log.error({ err: error, feature: feature.constructor.name, type: event.type }, 'feature failed on event');
        this.observer.featureError(feature.constructor.name);
      }
    }
    if (delivery) await this.core.repos.deliveries.done(event.community, delivery, this.core.clock.now());
    return { ok: true, notes };
  }

  /**
   * Take a delivery for handling; false when it was handled already. Called under the
   * community's lock (`inOrder`: no other handler of this community runs, in any process), so
   * a claim nobody finished was left by a handler that died (a killed process, whose
   * replacement reads the missed messages again): it is taken over at once, not a lease later,
   * as `'resumed'`. The claim is marked done only after the features ran.
   */
  private async claimDelivery(community: string, key: string): Promise<'new' | 'resumed' | false> {
    const { repos, clock } = this.core;
    return repos.deliveries.take(community, key, clock.now(), clock.now() + DELIVERY_LEASE);
  }

  /**
   * Run an interaction (a command, shortcut or button press) that the platform may deliver
   * more than once (Slack re-sends a request it did not see acknowledged, possibly on another
   * connection) at most once across the processes sharing the store: `deliveryId` is the
   * platform's id for the invocation. Undefined for a repeat: the first copy answers. Claimed
   * with a lease, outside the community's lock (a command may take a while), so a claim nobody
   * finished is taken over only once its lease runs out.
   */
  async once<T>(community: string, deliveryId: string, run: () => Promise<T>): Promise<T | undefined> {
    const { repos, clock, log } = this.core;
    let claimed: boolean;
    try {
      claimed = await repos.deliveries.claim(community, deliveryId, clock.now(), clock.now() + DELIVERY_LEASE);
    } catch (error) {
      // The store is unreachable: run it (its own failure is reported to the invoker).
      log.error({ err: error }, 'could not claim an interaction');
      return run();
    }
    if (!claimed) {
      this.observer.event('interaction', 'duplicate');
      return undefined;
    }
    try {
      return await run();
    } finally {
      await repos.deliveries.done(community, deliveryId, clock.now()).catch((error: unknown) => log.error({ err: error }, 'could not record a handled interaction'));
    }
  }

  /**
   * Run a slash command or message action and return the reply for the invoker. `reply`: the
   * platform's credential to find this reply again (Discord's interaction token) and until
   * when it is valid; kept with an acknowledgement's intent so that after a crash the
   * acknowledgement step can ask whether the reply arrived. A secret: never logged.
   */
  async command(raw: unknown, reply?: ReplyToken): Promise<InteractionReply> {
    let event: CommandInvokedEvent;
    try {
      const parsed = normalizeEvent(raw);
      if (parsed.type !== 'command_invoked') throw new Error(`expected command_invoked, got ${parsed.type}`);
      event = parsed;
    } catch (error) {
      this.core.log.warn({ err: (error as Error).message }, 'rejected command');
      return { visibility: 'ephemeral', text: 'Sorry, I could not read that command.' };
    }
    const definition = this.findCommand(event.command);
    if (!definition) return { visibility: 'ephemeral', text: `I don't know the command "${event.command}".` };
    if (definition.access === 'moderator' && !event.member.isModerator) {
      this.observer.command(definition.name, 'denied');
      return { visibility: 'ephemeral', text: `\`/${definition.name}\` is for moderators.` };
    }
    try {
      await ingest(this.core, event);
      const answer = safeMessage(await definition.run(this.core, event));
      // An acknowledgement's intent, before the adapter sends it: if the process dies before
      // `delivered`, the acknowledgement step looks the reply up with its credential, and only
      // when it cannot (none, or expired) sends it again marked as a possible repeat.
      if (answer.receipt) await this.core.outbox.intend(answer.receipt.community, answer.receipt.key, reply);
      this.observer.command(definition.name, 'ok');
      return answer;
    } catch (error) {
      this.core.log.error({ err: error, command: definition.name }, 'command failed');
      this.observer.command(definition.name, 'error');
      return {
        visibility: 'ephemeral',
        text: 'Something went wrong on my side. If you need a person, `/human` always reaches the team.',
      };
    }
  }

  /**
   * Adapters call this once the platform took a command's reply: an acknowledgement it carries
   * (`receipt`) is recorded as delivered, so the durable acknowledgement step stays silent.
   */
  async delivered(reply: InteractionReply | undefined): Promise<void> {
    if (!reply?.receipt) return;
    try {
      await this.core.outbox.delivered(reply.receipt.community, reply.receipt.key);
    } catch (error) {
      this.core.log.error({ err: error, key: reply.receipt.key }, 'could not record a delivered reply');
    }
  }

  /** Handle a button press; returns the reply for the presser (or nothing). */
  async button(raw: unknown): Promise<InteractionReply | undefined> {
    let event: ButtonPressedEvent;
    try {
      const parsed = normalizeEvent(raw);
      if (parsed.type !== 'button_pressed') throw new Error(`expected button_pressed, got ${parsed.type}`);
      event = parsed;
    } catch (error) {
      this.core.log.warn({ err: (error as Error).message }, 'rejected button');
      return { visibility: 'ephemeral', text: 'Sorry, I could not read that button press.' };
    }
    const handler = this.features.map((f) => f.buttons?.[event.action]).find(Boolean);
    if (!handler) return { visibility: 'ephemeral', text: 'That button is no longer active.' };
    try {
      await ingest(this.core, event);
      const reply = await handler(event, this.core);
      return reply && safeMessage(reply);
    } catch (error) {
      this.core.log.error({ err: error, action: event.action }, 'button failed');
      return { visibility: 'ephemeral', text: 'Something went wrong on my side; please try again.' };
    }
  }

  findCommand(name: string): CommandDefinition | undefined {
    const key = name.trim().toLowerCase();
    return this.commands.find((c) => c.name === key || c.messageAction?.toLowerCase() === key);
  }

  /**
   * Run every scheduled task that is due for this platform's communities. Each task is
   * claimed with a lease before it runs, so two runners (in one process or several sharing
   * the store) never run it at once, and marked
   * done only when its handler succeeds: a process killed mid-step runs it again once the
   * lease is over (also after a restart), and handlers skip what they already did. A step
   * that fails is retried a few times, then marked failed and logged.
   */
  async runDueTasks(): Promise<number> {
    const { repos, clock, log } = this.core;
    const handlers: Record<string, TaskHandler> = {};
    for (const feature of this.features) Object.assign(handlers, feature.tasks ?? {});
    let ran = 0;
    for (;;) {
      // One step at a time: a step may act for its pending siblings (a batched welcome names the
      // newcomers of the steps still waiting and cancels them), so none is claimed ahead of it.
      const claimed = await repos.tasks.claimDue(clock.now(), `${this.core.platform.name}:`, clock.now() + TASK_LEASE, 1, this.core.platform.servedCommunities?.());
      if (claimed.length === 0) return ran;
      for (const task of claimed) {
        const handler = handlers[task.kind];
        // This claim's: a runner that outlives it finishes nothing another runner took since.
        const lease = task.leaseUntil ?? undefined;
        if (!handler) {
          await repos.tasks.fail(task.id, `no handler for task kind ${task.kind}`, clock.now(), lease);
          continue;
        }
        // Out of attempts before it even ran: failures and claims that never finished (a claim
        // of a step still running counts one), so a step that kills its process cannot take
        // down every restart.
        if (task.attempts >= MAX_TASK_ATTEMPTS) {
          log.error({ task: task.key, attempts: task.attempts }, 'scheduled task given up: out of attempts (failed, or its runner stopped before finishing it)');
          this.observer.task(task.kind, 'failed');
          await repos.tasks.fail(task.id, `given up after ${task.attempts} attempts that failed or never finished`, clock.now(), lease);
          continue;
        }
        try {
          await handler(task, this.core);
          await repos.tasks.complete(task.id, clock.now(), lease);
          this.observer.task(task.kind, 'ok');
          ran++;
        } catch (error) {
          const message = (error as Error).message ?? String(error);
          log.error({ err: error, task: task.key }, 'scheduled task failed');
          const final = task.attempts + 1 >= MAX_TASK_ATTEMPTS;
          this.observer.task(task.kind, final ? 'failed' : 'retry');
          if (final) await repos.tasks.fail(task.id, message, clock.now(), lease);
          else await repos.tasks.retry(task.id, clock.now() + MINUTE * 2 ** task.attempts, message, lease);
        }
      }
    }
  }
}
