/**
 * Mention neutralising: any text that came from a member or a model is made inert before
 * the companion echoes it, on every platform at once. Adapters add their own platform
 * guard (Discord `allowedMentions`, Slack escaping) as a second line of defence.
 */

const ZWSP = '\u200b';

/**
 * Turn every mass, role, group or user mention into harmless text:
 * - `@everyone`, `@here`, `@channel`, `@all` (any case, also full-width @) -> `@\u200beveryone`
 * - Discord `<@123>`, `<@!123>` -> `@user`, `<@&123>` -> `@role`, `<#123>` stays (channels do not ping)
 * - Slack `<!everyone>`, `<!channel>`, `<!here>`, `<!subteam^S1|@team>` -> `@everyone` etc. made inert
 * - Slack `<@U123>` / `<@U123|name>` -> `@name` or `@user`
 */
export function neutralizeMentions(input: string): string {
  let text = input;
  // Slack special mentions and user groups: <!here>, <!channel|channel>, <!subteam^ID|@name>
  text = text.replace(/<!(subteam\^[^|>]*)(?:\|([^>]*))?>/gi, (_m, _id, label) => `@${ZWSP}${(label ?? 'group').replace(/^@/, '')}`);
  text = text.replace(/<!([a-z]+)(?:\|[^>]*)?>/gi, (_m, word) => `@${ZWSP}${word}`);
  // Discord role mentions and user mentions; Slack user mentions.
  text = text.replace(/<@&(\d+)>/g, `@${ZWSP}role`);
  text = text.replace(/<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>/g, (_m, _id, label) => `@${ZWSP}${label ?? 'user'}`);
  // Bare mass mentions (Discord parses these anywhere in text). \uFF20 is the full-width @.
  text = text.replace(/[@\uFF20](?=(everyone|here|channel|all)\b)/gi, `@${ZWSP}`);
  // Whatever is left that could open a special or role mention (a truncated `<!here`, say).
  text = text.replace(/<(?=!|@&)/g, `<${ZWSP}`);
  return text;
}

/**
 * The last line of defence for everything the companion sends: mass, role and group
 * mentions become inert, while `<@ID>` member mentions (which the core writes on purpose and
 * adapters gate with `mentionUsers`) are kept. Role pings are added by adapters, never by text.
 */
export function stripMassMentions(input: string): string {
  let text = input.replace(/<!(subteam\^[^|>]*)(?:\|([^>]*))?>/gi, (_m, _id, label) => `@${ZWSP}${(label ?? 'group').replace(/^@/, '')}`);
  text = text.replace(/<!([a-z]+)(?:\|[^>]*)?>/gi, (_m, word) => `@${ZWSP}${word}`);
  text = text.replace(/<@&(\d+)>/g, `@${ZWSP}role`);
  text = text.replace(/[@\uFF20](?=(everyone|here|channel|all)\b)/gi, `@${ZWSP}`);
  return text.replace(/<(?=!|@&)/g, `<${ZWSP}`);
}

/** True when the text still contains something a platform could treat as a mass or role ping. */
export function hasMassMention(text: string): boolean {
  return (
    /(^|[^\u200b])@(everyone|here|channel)\b/i.test(text) ||
    /<!(everyone|here|channel|subteam\^)/i.test(text) ||
    /<@&\d+>/.test(text)
  );
}

/**
 * The first `max` UTF-16 code units of `text`, one fewer when the cut would split a character
 * outside the BMP (an emoji): a lone surrogate is invalid UTF-16 (platforms and PostgreSQL's
 * jsonb refuse or mangle it).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}

/** Cap echoed text so a huge message never becomes a huge reply. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${cutText(flat, max - 1)}…`;
}

/**
 * Neutralise and cap: what every quote of member text should go through. A markdown link a
 * member wrote (`[Refund form](https://…)`) is made inert too: quoted in the companion's own
 * post it would be a masked link with the companion's authority (a moderator's ping saying
 * "Refund form" and leading elsewhere); the address stays readable as it is.
 */
export function quote(text: string, max = 200): string {
  return neutralizeMentions(excerpt(text, max)).replace(/\]\(/g, `]${ZWSP}(`);
}
