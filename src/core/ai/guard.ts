/**
 * Model output is untrusted input. Before any AI text reaches a person it goes through
 * `guardModelText`, which:
 * 1. removes invisible and direction-changing characters (hidden text, spoofed order);
 * 2. checks links: only http(s) links survive, and only to hosts that appear in the source
 *    messages the model was given (or `allowedHosts`); other links keep their label and
 *    become "(link removed)" — a model cannot invent a phishing link;
 * 3. strips impersonation at the start of a line: speaker labels ("Moderator:", "[Admin]",
 *    "System:", "Hearth:") and role claims ("As the moderator, ..."): AI text is always
 *    labelled as AI by the companion and never speaks as a member, moderator or the team;
 * 4. neutralises every mention (@everyone, @here, <@&role>, <@user>, Slack <!channel>);
 * 5. caps the length.
 */
import { neutralizeMentions } from '../text/mentions';

export interface GuardOptions {
  maxLength: number;
  /** The texts the model was shown: links to hosts found in them are allowed. */
  sources?: Iterable<string>;
  /** Hosts always allowed (lowercase, without `www.`). */
  allowedHosts?: Iterable<string>;
}

export interface GuardedText {
  text: string;
  removedLinks: number;
  impersonation: boolean;
  truncated: boolean;
}

const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>()\]"'`]+/gi;
const MARKDOWN_LINK = /\[([^\]\n]{0,200})\]\(\s*([^)\s]+)[^)]*\)/g;
const SLACK_LINK = /<((?:https?|mailto|javascript|data|file|ftp):[^|>\s]+)(?:\|([^>]*))?>/gi;
const BARE_URL = /\b(?:https?:\/\/|(?:javascript|data|vbscript|file):)[^\s<>()\]"'`]+/gi;
const ROLE = '(?:moderators?|mods?|admins?|administrators?|staff|the team|team|owners?|officials?|community managers?|hearth|system|support)';
const SPEAKER_LABEL = new RegExp(
  `^(\\s*(?:>\\s*)?)(?:[*_\\[(]{1,3}\\s*)?(?:official\\s+)?${ROLE}(?:\\s+(?:note|notice|message|announcement|team|says))?\\s*(?:[*_\\])]{1,3}\\s*)?[:：\\-–—]\\s*`,
  'i',
);
const BRACKET_LABEL = new RegExp(`^(\\s*(?:>\\s*)?)(?:[*_]{1,3})?[\\[(]\\s*(?:official\\s+)?${ROLE}(?:\\s+\\w+)?\\s*[\\])](?:[*_]{1,3})?\\s*[:：\\-–—]?\\s*`, 'i');
const ROLE_CLAIM = new RegExp(
  `^(\\s*(?:>\\s*)?)(?:[*_]{1,3})?(?:speaking\\s+)?as\\s+(?:a|an|the|your|one of the)\\s+${ROLE}\\b[^,.:;!\\n]{0,40}[,.:;!]?\\s*(?:[*_]{1,3})?\\s*`,
  'i',
);

export function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.host.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

/** Hosts of the http(s) links in these texts. */
export function linkHosts(texts: Iterable<string>): Set<string> {
  const hosts = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(URL_IN_TEXT)) {
      const host = hostOf(match[0].replace(/[.,;:!?]+$/, ''));
      if (host) hosts.add(host);
    }
  }
  return hosts;
}

export function guardModelText(raw: string, options: GuardOptions): GuardedText {
  const allowed = linkHosts(options.sources ?? []);
  for (const host of options.allowedHosts ?? []) allowed.add(host.toLowerCase().replace(/^www\./, ''));
  let removedLinks = 0;
  const allowedUrl = (url: string) => {
    const host = hostOf(url);
    return Boolean(host && allowed.has(host));
  };

  let text = String(raw ?? '').normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '');

  // Links. Markdown and Slack-style links first (keep the label), then bare URLs.
  const kept: string[] = [];
  // Kept links are set aside (and neutralised themselves) so nothing below rewrites them.
  const keep = (link: string) => `\u0000${kept.push(neutralizeMentions(link)) - 1}\u0000`;
  text = text.replace(SLACK_LINK, (_m, url: string, label?: string) => {
    if (allowedUrl(url)) return keep(label ? `[${label}](${url})` : url);
    removedLinks++;
    return `${label?.trim() ? `${label.trim()} ` : ''}(link removed)`;
  });
  text = text.replace(MARKDOWN_LINK, (_m, label: string, url: string) => {
    if (allowedUrl(url)) return keep(`[${label}](${url})`);
    removedLinks++;
    return `${label.trim() ? `${label.trim()} ` : ''}(link removed)`;
  });
  text = text.replace(BARE_URL, (url) => {
    const trimmed = url.replace(/[.,;:!?]+$/, '');
    const tail = url.slice(trimmed.length);
    if (allowedUrl(trimmed)) return keep(trimmed) + tail;
    removedLinks++;
    return `(link removed)${tail}`;
  });

  // Impersonation at the start of any line.
  let impersonation = false;
  text = text
    .split('\n')
    .map((line) => {
      let current = line;
      for (let i = 0; i < 3; i++) {
        const next = current.replace(SPEAKER_LABEL, '$1').replace(BRACKET_LABEL, '$1').replace(ROLE_CLAIM, '$1');
        if (next === current) break;
        impersonation = true;
        current = next.replace(/^(\s*(?:>\s*)?)(\p{Ll})/u, (_m, lead: string, first: string) => lead + first.toUpperCase());
      }
      return current;
    })
    .join('\n');

  text = neutralizeMentions(text).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)] ?? '');
  text = text.replace(/\n{3,}/g, '\n\n').trim();

  let truncated = false;
  if (text.length > options.maxLength) {
    truncated = true;
    text = `${text.slice(0, Math.max(0, options.maxLength - 1)).trimEnd()}…`;
  }
  return { text, removedLinks, impersonation, truncated };
}
