/**
 * Translators: members who volunteer (`/translator on <languages>`) to help others across
 * languages, so a machine translation never stops at the machine. A translation names the
 * volunteers who speak the message's language and offers **Ask a member**, which pings one of
 * them in the message's thread, in fair rotation (whoever was asked longest ago), never
 * someone carrying a lot lately (the welcome crew's load rule) nor anyone who cannot read the
 * channel. A volunteer's answer there records `translated_for` (who helped whom across
 * languages). Members with analytics off or forgotten are never listed nor asked.
 */
import type { CoreContext, EventNotes, Feature, ButtonHandler } from '../../context';
import type { ButtonPressedEvent, HearthEvent } from '../../events';
import type { Button, InteractionReply } from '../../platform';
import type { MemberRow } from '../../storage';
import { quote } from '../../text/mentions';

export const ASK_ACTION = 'translator:ask';
const ASK_KEY = 'translator:ask';
/** Volunteers named in an invitation. */
const NAMED = 3;
const LANGUAGE = /^[\p{L}][\p{L}\s()'-]{0,39}$/u;

export class TranslatorsFeature implements Feature {
  constructor(private readonly core: CoreContext) {}

  readonly buttons: Record<string, ButtonHandler> = {
    [ASK_ACTION]: (event) => this.ask(event),
  };

  /**
   * The end of a translation: who speaks the message's language, and the **Ask a member**
   * button; undefined when nobody does (the caller keeps its general invitation).
   */
  async invitation(
    community: string,
    message: { id: string; channelId: string; authorId: string },
    language: string,
    askerId: string,
  ): Promise<{ text: string; buttons: Button[] } | undefined> {
    const volunteers = await this.volunteers(community, language, message.channelId, [askerId, message.authorId]);
    if (volunteers.length === 0) return undefined;
    const named = volunteers.slice(0, NAMED).map((m) => `<@${m.id}>`);
    const more = volunteers.length - named.length;
    const who = more > 0 ? `${named.join(', ')} and ${more} more` : named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
    const display = displayLanguage(language);
    return {
      text: `Machine translation. ${who} ${volunteers.length === 1 ? 'speaks' : 'speak'} ${display}: ask them about nuance.`,
      buttons: [{ action: ASK_ACTION, value: `${language}|${message.id}`.slice(0, 200), label: 'Ask a member', style: 'primary' }],
    };
  }

  /** Volunteers for a language who may be named: human, listed, able to read the channel. */
  private async volunteers(community: string, language: string, channelId: string, exclude: string[]): Promise<MemberRow[]> {
    const { repos } = this.core;
    const out: MemberRow[] = [];
    for (const member of await repos.members.listTranslators(community)) {
      if (exclude.includes(member.id) || member.analyticsOptOut || member.forgottenAt != null) continue;
      if (!member.translatorLanguages?.includes(language)) continue;
      if (!(await repos.channels.canRead(community, channelId, member.id))) continue;
      out.push(member);
    }
    return out;
  }

  /** **Ask a member**: ping the next volunteer in rotation in the message's thread. */
  private async ask(event: ButtonPressedEvent): Promise<InteractionReply> {
    const { repos, platform, clock } = this.core;
    const community = event.community;
    const reply = (text: string): InteractionReply => ({ visibility: 'ephemeral', text });
    const cut = event.value.indexOf('|');
    const language = event.value.slice(0, cut);
    const message = cut > 0 ? await repos.messages.get(community, event.value.slice(cut + 1)) : undefined;
    if (!message || !(await repos.channels.canRead(community, message.channelId, event.member.id))) return reply('I could not find that message any more.');
    const display = displayLanguage(language);
    const candidates = await this.volunteers(community, language, message.channelId, [event.member.id, message.authorId]);
    for (const candidate of candidates) {
      if ((await this.core.features.welcome.crew.load(community, candidate.id, 'translator_asked')).busy) continue;
      // Someone else took this turn in the meantime: try the next one.
      if (!(await repos.members.claimTranslatorTurn(community, candidate.id, candidate.translatorLastAskedAt, clock.now()))) continue;
      const posted = await platform.reply(
        community,
        { channelId: message.channelId, messageId: message.id },
        {
          text:
            `<@${candidate.id}>, <@${event.member.id}> read a machine translation of <@${message.authorId}>’s message and would value a ${quote(display, 40)} speaker’s ` +
            'read on what it means (tone, idioms, what the machine missed). Could you help them here? Thank you for volunteering as a translator.',
          mentionUsers: [candidate.id],
        },
      );
      const now = clock.now();
      await repos.companionPosts.put(community, `${ASK_KEY}:${message.id}:${candidate.id}:${event.member.id}`, posted.channelId, posted.messageId, now);
      await repos.signals.record(community, {
        kind: 'translator_asked',
        actorId: candidate.id,
        subjectId: event.member.id,
        messageId: message.id,
        at: now,
        data: { language },
        dedupeKey: `translator_asked:${message.id}:${candidate.id}:${event.member.id}:${now}`,
      });
      return reply(`I asked <@${candidate.id}> to help you in the thread of the message.`);
    }
    return reply(`Every ${quote(display, 40)} volunteer is busy or away right now. You can still ask in the channel: people are usually glad to explain.`);
  }

  /** A volunteer answering in the thread they were asked in: `translated_for` (volunteer -> asker). */
  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if (event.type !== 'message_posted' || notes.duplicate || notes.fromBot || !notes.message) return;
    const { repos } = this.core;
    const community = event.community;
    const row = notes.message;
    const author = await repos.members.get(community, row.authorId);
    if (!author?.translatorLanguages) return;
    // Where an answer to the ask can be: in the original's thread, a reply to it, or a reply to the ask itself.
    const asks = new Map<string, string>();
    for (const id of new Set([row.threadId, row.replyTo, row.discussionId].filter((x): x is string => Boolean(x)))) {
      for (const post of await repos.companionPosts.withPrefix(community, `${ASK_KEY}:${id}:${row.authorId}:`)) asks.set(post.key, id);
    }
    if (row.replyTo) {
      const post = await repos.companionPosts.findByMessage(community, row.replyTo);
      if (post?.key.startsWith(`${ASK_KEY}:`) && post.key.split(':')[3] === row.authorId) asks.set(post.key, post.key.split(':')[2]);
    }
    for (const [key, originalId] of asks) {
      const askerId = key.slice(key.lastIndexOf(':') + 1);
      await this.core.features.signals.record(community, {
        kind: 'translated_for',
        actorId: row.authorId,
        subjectId: askerId,
        messageId: row.id,
        channelId: row.channelId,
        at: row.createdAt,
        data: { original: originalId },
        dedupeKey: `translated_for:${originalId}:${row.authorId}:${askerId}`,
      });
    }
  }
}

/**
 * What a member typed after `/translator on` -> languages as stored (lowercase English names):
 * codes become names (`pt` -> portuguese, `pt-BR` -> portuguese), names are kept.
 */
export function parseLanguages(text: string): { languages: string[] } | { error: string } {
  const items = text
    .split(text.includes(',') ? /[,;]+/ : /\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return { error: 'Name at least one language, e.g. `/translator on Portuguese, Spanish`.' };
  const out: string[] = [];
  for (const item of items.slice(0, 10)) {
    if (!LANGUAGE.test(item) && !/^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/i.test(item)) return { error: `“${quote(item, 40)}” is not a language name (e.g. Portuguese, es, français).` };
    out.push(canonicalLanguage(item));
  }
  return { languages: [...new Set(out)] };
}

/** One spelling per language: `pt`, `pt-BR`, `Portuguese` -> `portuguese`. */
export function canonicalLanguage(input: string): string {
  const value = input.trim();
  const code = value.match(/^([a-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$/i)?.[1];
  if (code) {
    try {
      const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code.toLowerCase());
      if (name && name.toLowerCase() !== code.toLowerCase()) return name.toLowerCase();
    } catch {
      /* not a code: keep it as a name */
    }
  }
  return value.toLowerCase().replace(/\s+/g, ' ');
}

function displayLanguage(language: string): string {
  return language.replace(/(^|[\s(-])\p{Ll}/gu, (m) => m.toUpperCase());
}
