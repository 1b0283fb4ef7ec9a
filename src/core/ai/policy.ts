/**
 * What `/care-policy` says about AI: whether it is on, and exactly where it is used. The
 * lines are generated from the running configuration, so the policy cannot drift from
 * what the companion does.
 */
import type { Config } from '../../config';
import type { AiInfo, AiPort } from './port';

type AiConfigSlice = Pick<Config, 'HEARTH_AI' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_CHAT_MODEL' | 'OPENAI_EMBEDDING_MODEL'> &
  Partial<Pick<Config, 'OPENAI_TRANSCRIPTION_MODEL'>>;

/** AiInfo from process config (same rule as src/ai: on when HEARTH_AI and a key or base URL). */
export function aiInfoFromConfig(config: AiConfigSlice): AiInfo {
  const on = config.HEARTH_AI && Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
  if (!on) return { chat: false, embeddings: false };
  let endpointHost = 'api.openai.com';
  try {
    if (config.OPENAI_BASE_URL) endpointHost = new URL(config.OPENAI_BASE_URL).host;
  } catch {
    /* validated by config; keep the default */
  }
  return {
    chat: true,
    embeddings: Boolean(config.OPENAI_EMBEDDING_MODEL),
    chatModel: config.OPENAI_CHAT_MODEL,
    embeddingModel: config.OPENAI_EMBEDDING_MODEL,
    endpointHost,
    transcription: Boolean(config.OPENAI_TRANSCRIPTION_MODEL && config.OPENAI_TRANSCRIPTION_MODEL !== 'off'),
    transcriptionModel: config.OPENAI_TRANSCRIPTION_MODEL === 'off' ? undefined : config.OPENAI_TRANSCRIPTION_MODEL,
  };
}

/**
 * The care policy's AI section, one line per item. Accepts process config, the AiPort
 * (`core.ai`), its `info`, or undefined (AI off).
 */
export function aiUsageStatement(source?: AiConfigSlice | AiPort | AiInfo): string[] {
  const info: AiInfo = !source
    ? { chat: false, embeddings: false }
    : 'HEARTH_AI' in source
      ? aiInfoFromConfig(source)
      : 'info' in source
        ? source.info
        : source;
  if (!info.chat) {
    return [
      '**AI is off.** Hearth uses no AI model here and sends no messages to any AI service.',
      '• `/summarize` gives an extractive summary: members’ own messages, picked by simple rules and linked.',
      '• Risk flags to moderators (frustration, conflict, distress) come from a published word list.',
      '• `/translate` and `/suggest-reply` are unavailable.',
      '• Related discussions are found by keyword search.',
    ];
  }
  const where = `${info.chatModel ?? 'a chat model'} at ${info.endpointHost ?? 'the configured endpoint'}`;
  const lines = [
    `**AI is on** (${where}). It assists people and never replaces them. It is used only here:`,
    '• `/summarize`: a summary only the person asking sees, labelled “AI summary”, every point linking to the messages it comes from and to the full thread.',
    '• `/suggest-reply` (moderators): a draft only the moderator sees, labelled as an AI draft; the moderator edits it and sends it as themselves. Hearth never sends it.',
    '• `/translate`: a translation only the person asking sees, with an invitation to ask members what they meant.',
    '• Risk flags: messages in public channels are checked for frustration, conflict or distress; a possible case is flagged to moderators with the evidence, for their judgement. No automatic action is ever taken.',
  ];
  lines.push(
    info.embeddings
      ? `• Related discussions: public discussions are turned into vectors (${info.embeddingModel}) to rank keyword results better. Keyword search still finds them.`
      : '• Related discussions are found by keyword search (no AI).',
  );
  lines.push(
    '• Never: AI text in reply to a high-stakes message (outages, billing, data loss, security, harassment, distress, a request for a human) — a person answers those.',
    '• Never: AI text posted in a channel or written as if a member or moderator said it. Model output has mentions disabled, links checked and length capped.',
    '• Prompts only contain messages the person asking can read; without AI (or when it fails) Hearth falls back to the offline behaviour above.',
  );
  return lines;
}
