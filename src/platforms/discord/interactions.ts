/**
 * Interactions (slash commands, message context menus, buttons, option autocomplete) with Discord's 3-second
 * rule: the core call is raced against `deferAfterMs`; if it is not done by then, the
 * interaction is deferred (with the command's own ephemerality) and the answer edited in
 * when it arrives. Features may also call `platform.ephemeral()` for the invoker while the
 * command runs: that becomes an ephemeral follow-up on the same interaction.
 */
import {
  Events,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type Interaction,
  type InteractionReplyOptions,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { Companion } from '../../core/companion';
import type { ButtonPressedEvent, ChannelRef, CommandInvokedEvent, OptionValue } from '../../core/events';
import type { InteractionReply, OutgoingMessage } from '../../core/platform';
import type { Logger } from '../../log';
import { ACKNOWLEDGE_WITHIN_MS, within } from '../deadline';
import { discordChoice, suggestions } from './commands';
import { communityOf } from './ids';
import type { InboundMapper } from './inbound';
import { serverOf } from './outbound';
import { parseCustomId, renderParts, renderSingle } from './render';
import type { VisibilityTracker } from './visibility';

/** Discord allows 3 s before an interaction must be acknowledged; leave room for the network. */
export const DEFAULT_DEFER_AFTER_MS = ACKNOWLEDGE_WITHIN_MS;

/**
 * An interaction token works for 15 minutes (follow-ups, `@original`); a minute less is kept,
 * for clock skew between Hearth and Discord.
 */
export const INTERACTION_TOKEN_VALID_MS = 14 * 60_000;

type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;
type Repliable = CommandInteraction | ButtonInteraction;

const flagsFor = (ephemeral: boolean) => (ephemeral ? MessageFlags.Ephemeral : undefined);

/** One interaction's lifecycle: acknowledge once, answer once, follow up any number of times. */
export class InteractionSession {
  private acknowledgement?: Promise<unknown>;

  constructor(
    readonly interaction: Repliable,
    /** How to defer a command: the definition's `ephemeral`. */
    private readonly deferEphemeral: boolean,
  ) {}

  get deferred(): boolean {
    return this.acknowledgement !== undefined;
  }

  /** Acknowledge now (idempotent): deferred reply for commands, deferred update for buttons. */
  defer(): Promise<unknown> {
    this.acknowledgement ??= this.interaction.isButton()
      ? this.interaction.deferUpdate()
      : this.interaction.deferReply({ flags: flagsFor(this.deferEphemeral) });
    return this.acknowledgement;
  }

  /** Deliver the core's answer (nothing for a button handler that returns nothing). */
  async respond(reply: InteractionReply | undefined): Promise<void> {
    const i = this.interaction;
    if (this.acknowledgement) await this.acknowledgement;
    if (!reply) {
      if (!this.acknowledgement) await (i.isButton() ? i.deferUpdate() : i.reply({ content: 'Done.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }));
      return;
    }
    if (i.isButton() && reply.updateOriginal) {
      const single = renderSingle(reply);
      if (this.acknowledgement) await i.editReply(single);
      else await i.update(single);
      return;
    }
    const ephemeral = reply.visibility === 'ephemeral';
    const parts = renderParts(reply);
    if (!this.acknowledgement) {
      const [first, ...rest] = parts;
      this.acknowledgement = i.reply({ ...first, flags: flagsFor(ephemeral) } as InteractionReplyOptions);
      await this.acknowledgement;
      for (const part of rest) await i.followUp({ ...part, flags: flagsFor(ephemeral) });
      return;
    }
    if (!i.isButton() && i.ephemeral === ephemeral) {
      // Deferred with the right visibility: the "thinking…" message becomes the answer.
      const [first, ...rest] = parts;
      await i.editReply(first);
      for (const part of rest) await i.followUp({ ...part, flags: flagsFor(ephemeral) });
      return;
    }
    // Deferred with the other visibility (or a deferred button): answer in a follow-up.
    if (!i.isButton()) await i.deleteReply().catch(() => undefined);
    for (const part of parts) await i.followUp({ ...part, flags: flagsFor(ephemeral) });
  }

  /** A message only the invoker sees, sent while the interaction is open. */
  async ephemeral(message: OutgoingMessage): Promise<void> {
    await this.defer();
    for (const part of renderParts(message)) await this.interaction.followUp({ ...part, flags: MessageFlags.Ephemeral });
  }
}

/** Open interactions by community and member, so `platform.ephemeral()` can reach them. */
export class InteractionRegistry {
  private readonly open = new Map<string, InteractionSession>();

  find(community: string, memberId: string): InteractionSession | undefined {
    return this.open.get(`${community}|${memberId}`);
  }

  async during<T>(community: string, memberId: string, session: InteractionSession, work: () => Promise<T>): Promise<T> {
    const key = `${community}|${memberId}`;
    this.open.set(key, session);
    try {
      return await work();
    } finally {
      if (this.open.get(key) === session) this.open.delete(key);
    }
  }
}

/** A channel discord.js has not cached: assume private (fail closed) until an event says otherwise. */
function unknownChannel(id: string, actorId: string): ChannelRef {
  return { id, name: id, visibility: 'private', memberIds: [actorId] };
}

export interface InteractionDeps {
  client: Client;
  companion: Companion;
  mapper: InboundMapper;
  visibility: VisibilityTracker;
  registry: InteractionRegistry;
  log: Logger;
  deferAfterMs: number;
}

export class InteractionHandler {
  constructor(private readonly deps: InteractionDeps) {}

  attach(): void {
    this.deps.client.on(Events.InteractionCreate, (interaction) => {
      this.handle(interaction).catch((error) => this.deps.log.error({ err: error, interaction: interaction.id }, 'discord interaction failed'));
    });
  }

  async handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isMessageContextMenuCommand() && !interaction.isButton()) return;
    if (interaction.isButton() && !interaction.inGuild()) return this.dmButton(interaction);
    if (!interaction.inCachedGuild()) {
      await interaction.reply({
        content: interaction.guildId
          ? 'Hearth is not a member of this server yet: ask an admin to invite the bot (see the README).'
          : 'Hearth works inside a server: use this command in one of its channels.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return;
    }
    const { companion, registry, mapper } = this.deps;
    const community = communityOf(interaction.guildId);
    // Everything from here counts against Discord's window, the prelude included: it goes
    // through the community's event queue, which may be busy with other events. The invoker's
    // access is brought up to date first, so what they are shown follows their roles now
    // (also when they were not in the bounded member cache when a channel was last judged).
    const prelude = async () => {
      for (const event of await mapper.memberAccess(interaction.member)) await companion.handle(event);
      if (!interaction.channel) return;
      for (const event of mapper.channelPrelude(interaction.guild, interaction.channel, interaction.user.id)) await companion.handle(event);
    };
    if (interaction.isButton()) {
      const session = new InteractionSession(interaction, true);
      await registry.during(community, interaction.user.id, session, () =>
        this.run(session, (async () => {
          await prelude();
          return companion.button(await this.buttonEvent(interaction));
        })()),
      );
      return;
    }
    const definition = companion.findCommand(interaction.commandName);
    const session = new InteractionSession(interaction, definition?.ephemeral ?? true);
    if (definition?.defer) await session.defer(); // known to take time (search, AI): acknowledge first
    await registry.during(community, interaction.user.id, session, () =>
      this.run(session, (async () => {
        await prelude();
        // The token finds this reply again after a crash (the outbox's lookup), while it works.
        return companion.command(await this.commandEvent(interaction), { token: interaction.token, until: interaction.createdTimestamp + INTERACTION_TOKEN_VALID_MS });
      })()),
    );
  }

  /**
   * A button pressed in a DM (an escalation sent to the owner when the server has no
   * moderator channel). Its value names the server (`VALUE@GUILD`, outbound.ts); the presser
   * must be a member there, and their moderator standing is computed from that server, never
   * taken from the payload.
   */
  private async dmButton(interaction: ButtonInteraction): Promise<void> {
    const { action, value } = parseCustomId(interaction.customId);
    const named = serverOf(value);
    const guild = named ? this.deps.client.guilds.cache.get(named.guildId) : undefined;
    const member = guild ? await guild.members.fetch(interaction.user.id).catch(() => null) : null;
    if (!named || !guild || !member) {
      await interaction.reply({ content: 'Hearth works inside a server: use this command in one of its channels.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
      return;
    }
    const community = communityOf(guild.id);
    const session = new InteractionSession(interaction, true);
    const event: ButtonPressedEvent = {
      ...this.deps.mapper.base(guild, interaction.createdTimestamp),
      type: 'button_pressed',
      action,
      value: named.value,
      member: await this.deps.mapper.member(guild, interaction.user, member),
      channel: unknownChannel(interaction.channelId, interaction.user.id),
      messageId: interaction.message.id,
    };
    await this.deps.registry.during(community, interaction.user.id, session, () => this.run(session, this.deps.companion.button(event)));
  }

  /** Race the core against the defer deadline, answer through the session, then confirm delivery. */
  private async run(session: InteractionSession, work: Promise<InteractionReply | undefined>): Promise<void> {
    let reply: InteractionReply | undefined;
    if (session.deferred) {
      reply = await work;
    } else {
      const quick = await within(work, this.deps.deferAfterMs);
      if (!quick) await session.defer();
      reply = quick ? quick.value : await work;
    }
    await session.respond(reply);
    await this.deps.companion.delivered(reply);
  }

  /** An option with more choices than Discord lists (commands.ts): suggest the matching ones. */
  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const definition = this.deps.companion.commands.find((c) => c.name === interaction.commandName);
    const option = definition?.options.find((o) => o.name === focused.name);
    const offered = option ? suggestions(option, String(focused.value)) : [];
    await interaction.respond(offered.map((choice) => discordChoice(option!, choice)));
  }

  async commandEvent(interaction: CommandInteraction & { guildId: string }): Promise<CommandInvokedEvent> {
    const { mapper, visibility } = this.deps;
    const guild = interaction.guild!;
    const options: Record<string, OptionValue | undefined> = {};
    if (interaction.isChatInputCommand()) {
      for (const option of interaction.options.data) {
        // User, channel, role and mentionable options arrive as ids: exactly what the core wants.
        if (option.value !== undefined) options[option.name] = option.value;
      }
    }
    const channel = interaction.channel;
    return {
      ...mapper.base(guild, interaction.createdTimestamp),
      type: 'command_invoked',
      command: interaction.commandName,
      options,
      member: await mapper.member(guild, interaction.user, interaction.member, interaction.memberPermissions),
      channel: channel ? visibility.ref(channel, interaction.user.id) : unknownChannel(interaction.channelId, interaction.user.id),
      ...(interaction.isMessageContextMenuCommand() && interaction.targetMessage.inGuild()
        ? { target: await mapper.message(interaction.targetMessage) }
        : {}),
    };
  }

  async buttonEvent(interaction: ButtonInteraction & { guildId: string }): Promise<ButtonPressedEvent> {
    const { mapper, visibility } = this.deps;
    const guild = interaction.guild!;
    const { action, value } = parseCustomId(interaction.customId);
    const channel = interaction.channel;
    return {
      ...mapper.base(guild, interaction.createdTimestamp),
      type: 'button_pressed',
      action,
      value,
      member: await mapper.member(guild, interaction.user, interaction.member, interaction.memberPermissions),
      channel: channel ? visibility.ref(channel, interaction.user.id) : unknownChannel(interaction.channelId, interaction.user.id),
      messageId: interaction.message.id,
    };
  }
}
