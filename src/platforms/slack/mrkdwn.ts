/**
 * Core text -> Slack mrkdwn. The core writes a small markdown subset (`**bold**`, `_italic_`,
 * `[label](url)`) and `<@ID>` mentions; Slack wants `*bold*`, `<url|label>` and `&`, `<`, `>`
 * escaped everywhere else. Escaping is the adapter's second line of defence after the core's
 * `neutralizeMentions`: whatever member text slipped through, `<!channel>`, `<!here>`,
 * `<!everyone>` and `<!subteam^…>` arrive at Slack as inert `&lt;!channel&gt;`.
 */

/** Slack's three control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MENTION = /<@([A-Za-z0-9]+)(?:\|[^>]*)?>/g;
/** Member mentions and channel links (`<#C123>`: channels link, they never ping). */
const TOKEN = /<@([A-Za-z0-9]+)(?:\|[^>]*)?>|<#([A-Z0-9]+)(?:\|[\w.-]{0,80})?>/g;
const SAFE_URL = /^(https?:\/\/|mailto:|slack:\/\/)[^\s<>|]+$/i;

export interface RenderOptions {
  /** Ids that may ping: their `<@ID>` is kept as a real mention. */
  mentionUsers?: readonly string[];
  /** Display name for an id that must not ping (rendered `@name`, inert). */
  nameOf?: (id: string) => string | undefined;
}

/**
 * Render core text as mrkdwn. Allowed mentions stay `<@ID>`; any other `<@ID>` becomes the
 * member's plain `@name`; channel links `<#C123>` stay; everything else is escaped, then the
 * markdown subset converted.
 */
export function toMrkdwn(text: string, options: RenderOptions = {}): string {
  const allowed = new Set(options.mentionUsers ?? []);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += convertMarkdown(escapeSlack(text.slice(last, match.index)));
    const [whole, id, channel] = match;
    if (channel) out += whole;
    else out += allowed.has(id) ? `<@${id}>` : escapeSlack(`@${options.nameOf?.(id) ?? id}`);
    last = match.index! + match[0].length;
  }
  return out + convertMarkdown(escapeSlack(text.slice(last)));
}

/** Markdown subset on already-escaped text (so `<` and `>` produced here are the only ones). */
function convertMarkdown(escaped: string): string {
  return escaped
    .replace(/\*\*([^*\n]+?)\*\*/g, '*$1*')
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => {
      const raw = url.replace(/&amp;/g, '&');
      if (!SAFE_URL.test(raw)) return whole;
      return `<${url}|${label.replace(/\|/g, '¦')}>`;
    });
}

/** Plain text for places Slack shows without formatting (notification fallback, button labels). */
export function toPlain(text: string, nameOf?: (id: string) => string | undefined): string {
  return text
    .replace(MENTION, (_m, id: string) => `@${nameOf?.(id) ?? id}`)
    .replace(/\*\*([^*\n]+?)\*\*/g, '$1')
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1 ($2)');
}

/**
 * Slack text -> plain text for the core: user mentions keep their id form (`<@U1>`, which the
 * core understands), channel links become `#name`, URLs their label, entities unescaped.
 * Special mentions stay as written; the core neutralises them before any echo.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<#([A-Z0-9]+)\|([^>]*)>/g, (_m, id: string, name: string) => `#${name || id}`)
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** User ids in text (`<@U123>` / `<@U123|name>`): Slack mentions, or the core's mention syntax. */
export function mentionedIds(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[1]))];
}
