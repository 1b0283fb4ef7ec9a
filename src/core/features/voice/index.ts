/**
 * Voice messages and audio clips, transcribed through the AI port so a member's spoken words
 * count like typed ones: related search, "same here", the stakes map and signals all read the
 * transcript (stored as the message's text, marked transcribed), and a member who cannot
 * listen right now can read it.
 *
 * - Setting `transcribeVoice` on: clips in public channels are transcribed as they arrive,
 *   before the message is handled (the companion keeps the community's order), and the
 *   labelled transcript is posted in the thread.
 * - The **Transcribe** action: for anyone who can read the message, shown only to them; the
 *   transcript is kept, so the next person asking costs no second upload.
 * - Privacy: audio goes to the endpoint on the rule text follows (automatic processing only
 *   for public channels; on request, what the requester can read), never a forgotten
 *   member's, never over the duration and size limits. Audio is held in memory for the
 *   upload and never stored; the transcript is text like any other, which forget-me and
 *   retention delete.
 */
import type { CoreContext, EventNotes, Feature } from '../../context';
import type { AudioClip, CommandInvokedEvent, HearthEvent, IncomingMessage, MessagePostedEvent } from '../../events';
import type { InteractionReply } from '../../platform';
import type { MessageRow } from '../../storage';
import { canTranscribe } from '../../ai/port';
import { guardModelText } from '../../ai/guard';
import { normalizeEvent } from '../../normalize';
import { formatDuration } from '../../text/format';
import { targetMessage } from '../assist/messages';

export const TRANSCRIPT_LABEL = 'AI transcript';
/** Clips per message sent for transcription (a message can carry up to 10 attachments). */
const MAX_CLIPS = 3;
const MAX_TRANSCRIPT = 8_000;

export type TranscriptRefusal = 'no_endpoint' | 'forgotten' | 'private' | 'too_long' | 'too_large' | 'failed';

type Outcome = { ok: true; transcript: string } | { ok: false; why: TranscriptRefusal; detail?: string };

export class VoiceFeature implements Feature {
  constructor(private readonly core: CoreContext) {}

  /**
   * Before a posted message is handled: when the community transcribes voice messages, put
   * the transcript into the message (text and `transcript`). Anything else, or any failure,
   * returns the event unchanged: a message is never lost because a transcription failed.
   */
  async beforeHandle(raw: unknown): Promise<unknown> {
    let event: HearthEvent;
    try {
      event = normalizeEvent(raw);
    } catch {
      return raw; // the companion rejects it with the reason
    }
    if (event.type !== 'message_posted' || !event.message.audio?.length || event.message.transcript) return raw;
    try {
      const transcript = await this.transcribeArriving(event);
      return transcript ? { ...event, message: withTranscript(event.message, transcript) } : raw;
    } catch (error) {
      this.core.log.warn({ err: error, message: event.message.id }, 'voice message not transcribed');
      return raw;
    }
  }

  private async transcribeArriving(event: MessagePostedEvent): Promise<string | undefined> {
    const { repos, settings, platform } = this.core;
    const { community, message } = event;
    if (!canTranscribe(this.core.ai) || message.author.isBot || message.author.id === platform.selfId) return undefined;
    if (!(await settings.get(community)).transcribeVoice) return undefined;
    if (await repos.messages.get(community, message.id)) return undefined; // a redelivery: already handled
    // The channel as this event describes it, before asking whether the model may hear it.
    await repos.channels.upsert(community, message.channel, message.at);
    const outcome = await this.transcribe(community, message, { channelId: message.channel.id });
    return outcome.ok ? outcome.transcript : undefined;
  }

  /** Post the transcript of a message transcribed on arrival in its thread, labelled. */
  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    // A late transcript (the Transcribe action) is shown only to the person who asked.
    if (event.type !== 'message_posted' || notes.duplicate || notes.historical || notes.lateTranscript) return;
    const { message } = event;
    const transcript = message.transcript;
    if (!transcript) return;
    const link = await this.core.platform.permalink(event.community, { channelId: message.channel.id, messageId: message.id });
    await this.core.platform.reply(
      event.community,
      { channelId: message.channel.id, messageId: message.id },
      { label: TRANSCRIPT_LABEL, text: transcriptText(message.author.id, transcript, link) },
    );
  }

  /** The Transcribe action / `/transcribe message:<link>`: only for the asker. */
  async fromCommand(invocation: CommandInvokedEvent): Promise<InteractionReply> {
    const { repos, platform } = this.core;
    const community = invocation.community;
    const reply = (text: string): InteractionReply => ({ visibility: 'ephemeral', text });
    const { row, given } = await targetMessage(this.core, invocation, invocation.options.message);
    if (!given || !invocation.target) return reply('Use the message action “Transcribe” on a voice message or audio clip (message menu / shortcut).');
    if (!row) return reply('I could not find that message. Use the message action “Transcribe” on it.');
    if (!(await repos.channels.canRead(community, row.channelId, invocation.member.id))) return reply('I can only transcribe messages you can read.');
    const link = await platform.permalink(community, { channelId: row.channelId, messageId: row.id });
    const open = link ? ` [Open the message](${link}).` : '';
    if (row.transcribed && row.text) return { visibility: 'ephemeral', label: TRANSCRIPT_LABEL, text: transcriptText(row.authorId, row.text, link) };
    const target = invocation.target?.id === row.id ? invocation.target : undefined;
    if (!target?.audio?.length) return reply(`That message has no voice message or audio clip to transcribe.${open}`);
    if (!canTranscribe(this.core.ai)) {
      return reply(`Transcription needs an AI endpoint with an audio transcription model, and none is configured in this community, so I cannot transcribe it.${open}`);
    }
    const outcome = await this.transcribe(community, target, { channelId: row.channelId, requesterId: invocation.member.id });
    if (!outcome.ok) return reply(`${refusalText(outcome.why, outcome.detail)}${open}`);
    await this.keep(community, row, target, outcome.transcript);
    return { visibility: 'ephemeral', label: TRANSCRIPT_LABEL, text: transcriptText(row.authorId, outcome.transcript, link) };
  }

  /**
   * Keep an on-request transcript as the stored message's text (search finds it, nobody
   * uploads it twice) and let the features read the words as if transcribed on arrival: the
   * stakes map (a billing or distressed voice message gets the human path), "same here",
   * signals. It goes through the companion like any event (the community's order, the
   * forgotten-member check, every feature's own rules), and the store keeps a transcript once,
   * so a second Transcribe, or two at the same time, counts and escalates nothing again.
   */
  private async keep(community: string, row: MessageRow, target: IncomingMessage, transcript: string): Promise<void> {
    if (!row.rowId) return; // from before Hearth was here: nothing stored to add it to
    const message: IncomingMessage = {
      ...target,
      id: row.id,
      channel: { ...target.channel, id: row.channelId },
      text: joinText(row.text ?? '', transcript),
      title: row.title,
      threadId: target.threadId ?? row.threadId,
      replyTo: target.replyTo ?? (row.replyInferred ? null : row.replyTo),
      kind: row.kind,
      at: row.createdAt,
      transcript,
      lateTranscript: true,
    };
    const handled = await this.core.handle({ type: 'message_posted', community, at: this.core.clock.now(), message });
    if (!handled.ok) this.core.log.warn({ err: handled.error, message: row.id }, 'a transcript was not kept');
  }

  /**
   * The one path audio takes to the endpoint, with every rule checked here: the author is
   * not forgotten, the model may hear this channel, each clip is within the limits. Returns
   * the transcript of the clips (in order) or why there is none.
   */
  private async transcribe(community: string, message: IncomingMessage, where: { channelId: string; requesterId?: string }): Promise<Outcome> {
    const { repos, settings, platform } = this.core;
    const ai = this.core.ai;
    if (!canTranscribe(ai)) return { ok: false, why: 'no_endpoint' };
    const author = await repos.members.get(community, message.author.id);
    if (author?.forgottenAt != null) return { ok: false, why: 'forgotten' };
    if (!(await modelMayRead(this.core, community, where.channelId, where.requesterId))) return { ok: false, why: 'private' };
    const config = await settings.get(community);
    const maxBytes = config.transcribeMaxMegabytes * 1024 * 1024;
    const clips = (message.audio ?? []).slice(0, MAX_CLIPS);
    const tooLong = clips.find((c) => c.durationSeconds !== undefined && c.durationSeconds * 1000 > config.transcribeMaxDuration);
    if (tooLong) return { ok: false, why: 'too_long', detail: formatDuration(config.transcribeMaxDuration) };
    if (clips.some((c) => c.size > maxBytes)) return { ok: false, why: 'too_large', detail: `${config.transcribeMaxMegabytes} MB` };
    if (!platform.fetchAudio) return { ok: false, why: 'failed', detail: 'this platform cannot fetch audio' };
    const language = author?.locale?.split(/[-_]/)[0]?.toLowerCase();
    const parts: string[] = [];
    for (const clip of clips) {
      let data: Buffer;
      try {
        data = await platform.fetchAudio(community, clip, maxBytes);
      } catch (error) {
        this.core.log.warn({ err: (error as Error).message, clip: clip.id }, 'could not download audio');
        return { ok: false, why: 'failed', detail: 'the audio could not be downloaded' };
      }
      if (data.length > maxBytes) return { ok: false, why: 'too_large', detail: `${config.transcribeMaxMegabytes} MB` };
      const result = await ai.transcribe({ data, filename: clip.name, contentType: clip.contentType }, language && /^[a-z]{2,3}$/.test(language) ? { language } : {});
      if (!result.ok) return { ok: false, why: 'failed', detail: 'the transcription service did not answer' };
      // Model output, like any: no mentions, no hidden characters, no invented links, capped.
      const text = guardModelText(result.value, { maxLength: MAX_TRANSCRIPT }).text;
      if (text) parts.push(text);
    }
    return parts.length ? { ok: true, transcript: parts.join('\n\n') } : { ok: false, why: 'failed', detail: 'nothing was heard' };
  }
}

/**
 * May content from this channel reach the model? The rule text follows: automatic
 * processing only for public channels; on a member's request, a channel they can read.
 */
export async function modelMayRead(core: CoreContext, community: string, channelId: string, requesterId?: string): Promise<boolean> {
  if (await core.repos.channels.isPublic(community, channelId)) return true;
  return requesterId !== undefined && (await core.repos.channels.canRead(community, channelId, requesterId));
}

function withTranscript(message: IncomingMessage, transcript: string): IncomingMessage {
  return { ...message, text: joinText(message.text, transcript), transcript };
}

/** A caption typed with the clip stays first; the spoken words follow. */
function joinText(caption: string, transcript: string): string {
  return caption.trim() ? `${caption.trim()}\n\n${transcript}` : transcript;
}

function transcriptText(authorId: string, transcript: string, link: string | undefined): string {
  return [
    `Voice message from <@${authorId}>${link ? ` ([listen to the original](${link}))` : ''}:`,
    '',
    transcript
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
    '',
    '_Transcribed by AI: it can mishear, the original is what they said._',
  ].join('\n');
}

function refusalText(why: TranscriptRefusal, detail?: string): string {
  switch (why) {
    case 'no_endpoint':
      return 'Transcription needs an AI endpoint with an audio transcription model, and none is configured in this community.';
    case 'forgotten':
      return 'That member asked to be forgotten, so their audio is never sent for transcription.';
    case 'private':
      return 'Audio from this channel is not sent to the AI endpoint.';
    case 'too_long':
      return `That clip is longer than this community transcribes (${detail}).`;
    case 'too_large':
      return `That file is larger than this community transcribes (${detail}).`;
    case 'failed':
      return `I could not transcribe it right now (${detail ?? 'the transcription failed'}).`;
  }
}

export type { AudioClip };
