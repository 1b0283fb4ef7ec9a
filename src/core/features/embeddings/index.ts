/**
 * Embeddings for hybrid related-discussion ranking (only when OPENAI_EMBEDDING_MODEL is set).
 * Live messages schedule one durable, batched refresh per 5-minute window; the refresh
 * (re-)embeds the public discussions touched since the last run (a row-id watermark in
 * `checkpoints`), 32 per request. Discussions never refreshed (imported history, older
 * ones) are embedded lazily the first time they show up in a search (HybridRanker).
 */
import type { CoreContext, EventNotes, Feature, TaskHandler } from '../../context';
import type { HearthEvent } from '../../events';
import { canEmbed } from '../../ai/port';
import { DAY, MINUTE } from '../../clock';
import { encodeVector, HybridRanker, type LexicalHit, type RankOutcome } from '../../search/hybrid';

const TASK_REFRESH = 'embeddings.refresh';
const WINDOW = 5 * MINUTE;
const BATCH = 32;
/** Only discussions active this recently are refreshed in the background. */
const ACTIVE_WITHIN = DAY;
const DOCUMENT_CHARS = 2000;

export class EmbeddingsFeature implements Feature {
  readonly ranker: HybridRanker;

  constructor(private readonly core: CoreContext) {
    this.ranker = new HybridRanker({
      ai: core.ai,
      store: core.repos.embeddings,
      documentText: (community, id) => this.documentText(community, id),
      now: () => core.clock.now(),
    });
  }

  readonly tasks: Record<string, TaskHandler> = {
    [TASK_REFRESH]: (task) => this.refresh(task.communityId),
  };

  /**
   * THE SEAM for related discussions: pass the lexical hits (best first); get them back in
   * hybrid order when embeddings are configured and answer, else unchanged (`mode: 'lexical'`).
   */
  rerank(community: string, query: string, hits: LexicalHit[]): Promise<RankOutcome> {
    return this.ranker.rank(community, query, hits);
  }

  async onEvent(event: HearthEvent, notes: EventNotes): Promise<void> {
    if ((event.type === 'message_deleted' || event.type === 'message_edited') && notes.message) {
      // Words deleted or edited away: the discussion's vector was derived from them (like
      // forget-me and retention, it goes; a search re-embeds the discussion from what is left).
      await this.core.repos.embeddings.remove(event.community, notes.message.discussionId ?? notes.message.id);
      return;
    }
    if (event.type !== 'message_posted') return;
    if (!canEmbed(this.core.ai) || notes.duplicate || notes.historical || notes.fromBot) return;
    const now = this.core.clock.now();
    const bucket = Math.floor(now / WINDOW);
    await this.core.repos.tasks.schedule(event.community, TASK_REFRESH, `embeddings:refresh:${bucket}`, (bucket + 1) * WINDOW, {}, now);
  }

  /** Embed the next batches of touched discussions; a failure throws so the task is retried. */
  async refresh(community: string): Promise<void> {
    const { repos, clock, ai } = this.core;
    if (!canEmbed(ai)) return;
    const model = ai.info.embeddingModel!;
    for (let round = 0; round < 10; round++) {
      const after = await repos.embeddings.watermark(community, model);
      const touched = await repos.messages.discussionsTouchedAfter(community, after, clock.now() - ACTIVE_WITHIN, BATCH);
      if (touched.length === 0) return;
      const documents: { id: string; text: string }[] = [];
      for (const { discussionId } of touched) {
        const text = await this.documentText(community, discussionId);
        if (text) documents.push({ id: discussionId, text });
      }
      if (documents.length) {
        const result = await ai.embed(documents.map((d) => d.text));
        if (!result.ok) throw new Error(`embeddings refresh failed: ${result.reason} (${result.detail})`);
        for (const [i, document] of documents.entries()) {
          await repos.embeddings.put(community, model, document.id, encodeVector(result.value[i]), clock.now());
        }
      }
      await repos.embeddings.setWatermark(community, model, Math.max(...touched.map((t) => t.lastRowId)), clock.now());
      if (touched.length < BATCH) return;
    }
  }

  /**
   * What represents a discussion: its title, the opening message and the first replies,
   * human messages only. Non-public discussions are never sent to the embeddings endpoint,
   * nor the replies of a public one that were posted in a private thread or channel.
   */
  async documentText(community: string, discussionId: string): Promise<string | undefined> {
    const { repos } = this.core;
    const all = (await repos.messages.inDiscussion(community, discussionId)).filter(
      (m) => m.text && !m.authorIsBot && !m.isCompanion && m.kind === 'message',
    );
    if (all.length === 0) return undefined;
    const root = all.find((m) => m.id === discussionId) ?? all[0];
    if (!(await repos.channels.isPublic(community, root.channelId))) return undefined;
    const publicChannels = new Map<string, boolean>();
    const rows: typeof all = [];
    for (const m of all) {
      if (!publicChannels.has(m.channelId)) publicChannels.set(m.channelId, await repos.channels.isPublic(community, m.channelId));
      if (publicChannels.get(m.channelId)) rows.push(m);
    }
    const parts = [root.title, root.text, ...rows.filter((m) => m !== root).map((m) => m.text)].filter(Boolean) as string[];
    let text = '';
    for (const part of parts) {
      if (text.length >= DOCUMENT_CHARS) break;
      text += `${text ? '\n' : ''}${part.replace(/\s+/g, ' ').trim()}`;
    }
    return text.slice(0, DOCUMENT_CHARS);
  }
}
