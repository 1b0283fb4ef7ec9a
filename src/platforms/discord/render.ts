/**
 * Core `OutgoingMessage` -> discord.js message options. The core's markdown subset
 * (**bold**, _italic_, [label](url), <@ID>) is Discord markdown already, so rendering is
 * about limits and safety: 2000-character content, 5x5 buttons, and `allowedMentions`
 * that never lets anything ping except the ids passed in explicitly.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type MessageMentionOptions } from 'discord.js';
import type { Attachment, Button, OutgoingMessage } from '../../core/platform';
import { cutText } from '../../core/text/mentions';
import { isSnowflake } from './ids';

export const MAX_CONTENT = 2000;
/** A longer text becomes at most this many messages; the rest is cut with a note. */
export const MAX_PARTS = 4;
const MAX_BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
/** Separates the button action from its value in a Discord custom_id. */
export const CUSTOM_ID_SEPARATOR = '|';

export interface RenderedPart {
  content: string;
  components?: ActionRowBuilder<ButtonBuilder>[];
  files?: { attachment: Buffer; name: string; contentType?: string }[];
  allowedMentions: MessageMentionOptions;
}

export interface MentionGrant {
  /** Member ids allowed to ping. */
  users?: string[];
  /** Role ids allowed to ping: only ever set by `notifyModerators`. */
  roles?: string[];
}

/** Nothing pings unless listed: no @everyone/@here, no roles, no users, no reply ping. */
export function allowedMentions(grant: MentionGrant = {}): MessageMentionOptions {
  const users = [...new Set((grant.users ?? []).filter(isSnowflake))].slice(0, 100);
  const roles = [...new Set((grant.roles ?? []).filter(isSnowflake))].slice(0, 100);
  return { parse: [], users, roles, repliedUser: false };
}

export function renderText(message: Pick<OutgoingMessage, 'text' | 'label'>): string {
  const text = message.text.trim() ? message.text : '\u200b';
  return message.label ? `**${message.label}**\n${text}` : text;
}

/**
 * Split text into chunks of at most `max` characters, preferring line breaks, then spaces.
 * Past `maxParts` chunks the last one is cut and says so.
 */
export function splitContent(text: string, max = MAX_CONTENT, maxParts = MAX_PARTS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max && parts.length < maxParts - 1) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Never split a surrogate pair, a mention / channel / emoji token or a masked link.
    if (cut < rest.length && /[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut -= 1;
    cut = outsideTokens(rest, cut);
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  parts.push(rest.length > max ? capContent(rest, max) : rest);
  return parts;
}

/**
 * Move a cut that falls inside `<…>` (`<@id>`, `<#id>`, `<:name:id>`, `<t:…>`) or a masked
 * link `[label](url)` back to the token's start, so both halves still render. A token longer
 * than half a message is cut where it is.
 */
function outsideTokens(text: string, cut: number): number {
  const head = text.slice(0, cut);
  let safe = cut;
  const bracket = head.lastIndexOf('[');
  if (bracket > 0) {
    const link = /^\[[^\]\n]*\]\([^)\s]*\)/.exec(text.slice(bracket, bracket + 1000));
    if (link && bracket + link[0].length > cut) safe = bracket;
  }
  const open = head.lastIndexOf('<');
  if (open > 0 && open > head.lastIndexOf('>') && /^<[@#:a!&t/][^<>\s]*>/.test(text.slice(open, open + 100))) safe = Math.min(safe, open);
  return safe >= cut / 2 ? safe : cut;
}

/** One message's worth of text: cut with an ellipsis note when too long. */
export function capContent(text: string, max = MAX_CONTENT): string {
  if (text.length <= max) return text;
  const note = '… (truncated)';
  let cut = max - note.length;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  return text.slice(0, cut) + note;
}

export function customId(button: Pick<Button, 'action' | 'value'>): string {
  const id = `${button.action}${CUSTOM_ID_SEPARATOR}${button.value}`;
  if (id.length > 100) throw new Error(`button "${button.action}" value is too long for Discord (custom_id over 100 characters)`);
  return id;
}

/** `<action>|<value>` back into its parts (the value may itself contain the separator). */
export function parseCustomId(id: string): { action: string; value: string } {
  const at = id.indexOf(CUSTOM_ID_SEPARATOR);
  return at < 0 ? { action: id, value: '' } : { action: id.slice(0, at), value: id.slice(at + 1) };
}

const STYLES: Record<NonNullable<Button['style']>, ButtonStyle> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

export function buttonRows(buttons: Button[]): ActionRowBuilder<ButtonBuilder>[] {
  if (buttons.length > MAX_BUTTONS_PER_ROW * MAX_ROWS) throw new Error(`at most ${MAX_BUTTONS_PER_ROW * MAX_ROWS} buttons fit on a Discord message`);
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW) {
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        buttons.slice(i, i + MAX_BUTTONS_PER_ROW).map((b) =>
          new ButtonBuilder()
            .setCustomId(customId(b))
            .setLabel(cutText(b.label, 80) || '…')
            .setStyle(STYLES[b.style ?? 'secondary']),
        ),
      ),
    );
  }
  return rows;
}

function files(attachments: Attachment[] | undefined): RenderedPart['files'] {
  return attachments?.map((a) => ({ attachment: a.data, name: a.name, contentType: a.contentType }));
}

/**
 * Render a message as one or more Discord messages. Buttons and attachments ride on the
 * last part, so they sit under the whole text.
 */
export function renderParts(message: OutgoingMessage, grant: MentionGrant = {}): RenderedPart[] {
  const mentions = allowedMentions({ ...grant, users: [...(grant.users ?? []), ...(message.mentionUsers ?? [])] });
  const chunks = splitContent(renderText(message));
  return chunks.map((content, i) => {
    const last = i === chunks.length - 1;
    return {
      content,
      allowedMentions: mentions,
      ...(last && message.buttons?.length ? { components: buttonRows(message.buttons) } : {}),
      ...(last && message.attachments?.length ? { files: files(message.attachments) } : {}),
    };
  });
}

/** Render for an edit or an in-place update: one message, buttons replaced (removed when none). */
export function renderSingle(message: OutgoingMessage, grant: MentionGrant = {}): RenderedPart & { components: ActionRowBuilder<ButtonBuilder>[] } {
  return {
    content: capContent(renderText(message)),
    allowedMentions: allowedMentions({ ...grant, users: [...(grant.users ?? []), ...(message.mentionUsers ?? [])] }),
    components: buttonRows(message.buttons ?? []),
    ...(message.attachments?.length ? { files: files(message.attachments) } : {}),
  };
}
