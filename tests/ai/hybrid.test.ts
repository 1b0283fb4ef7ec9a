import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cosineSimilarity, decodeVector, encodeVector, HybridRanker, reciprocalRankFusion, type LexicalHit } from '../../src/core/search/hybrid';
import { FakeOpenAiServer, letterVector } from '../fakes/openai-server';
import { harness } from '../helpers/harness';
import { aiHarness } from './helpers';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

describe('fusion primitives', () => {
  it('reciprocal rank fusion adds 1/(k+rank) over the lists', () => {
    const fused = reciprocalRankFusion([['a', 'b', 'c'], ['b', 'c']], 60);
    expect(fused.map((f) => f.id)).toEqual(['b', 'c', 'a']);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61);
    expect(fused[2].score).toBeCloseTo(1 / 61);
    expect(reciprocalRankFusion([])).toEqual([]);
    // A duplicate within one list counts once, at its best rank.
    expect(reciprocalRankFusion([['a', 'a']])[0].score).toBeCloseTo(1 / 61);
  });

  it('cosine similarity and the float32 blob encoding', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBeCloseTo(0);
    expect(cosineSimilarity([1, 0], [1, 0, 0])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(Array.from(decodeVector(encodeVector([0.5, -1, 2])))).toEqual([0.5, -1, 2]);
  });
});

/** Three public discussions; the lexical engine ranks the least similar one first, the most similar second. */
async function discussions(t: ReturnType<typeof harness>) {
  await t.say('maya', 'zzz quux vvv kkk', { id: 'd-noise' });
  await t.say('sam', 'password reset email never arrives', { id: 'd-password' });
  await t.say('leo', 'billing invoice question', { id: 'd-billing' });
}
const lexicalHits: LexicalHit[] = [
  { discussionId: 'd-noise', score: 3 },
  { discussionId: 'd-password', score: 2 },
  { discussionId: 'd-billing', score: 1 },
];

describe('hybrid ranking of related discussions', () => {
  it('keeps the lexical order when no embeddings model is configured (no request)', async () => {
    const t = aiHarness(server); // chat only
    await discussions(t);
    const outcome = await t.core.features.embeddings.rerank(t.community, 'password reset email', lexicalHits);
    expect(outcome.mode).toBe('lexical');
    expect(outcome.hits.map((h) => h.discussionId)).toEqual(['d-noise', 'd-password', 'd-billing']);
    expect(server.embeddingRequests()).toHaveLength(0);
    expect(harness().core.features.embeddings.ranker.enabled).toBe(false);
  });

  it('re-ranks with embeddings when configured, embedding missing discussions once and storing them', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test' });
    await discussions(t);
    const outcome = await t.core.features.embeddings.rerank(t.community, 'password reset email never arrives', lexicalHits);
    expect(outcome.mode).toBe('hybrid');
    expect(outcome.hits.map((h) => h.discussionId)).toEqual(['d-password', 'd-noise', 'd-billing']);
    expect(outcome.hits[0]).toMatchObject({ lexicalRank: 2, vectorRank: 1 });
    expect(outcome.hits[1]).toMatchObject({ discussionId: 'd-noise', vectorRank: 3 });
    const [request] = server.embeddingRequests();
    expect(request.body).toEqual({
      model: 'embed-test',
      input: ['password reset email never arrives', 'zzz quux vvv kkk', 'password reset email never arrives', 'billing invoice question'],
      encoding_format: 'float',
    });
    const stored = await t.repos.embeddings.get(t.community, 'embed-test', ['d-noise', 'd-password', 'd-billing']);
    expect(stored.size).toBe(3);
    const vector = Array.from(decodeVector(stored.get('d-billing')!.vector));
    letterVector('billing invoice question').forEach((x, i) => expect(vector[i]).toBeCloseTo(x, 5));
    // Next query: only the query is embedded.
    await t.core.features.embeddings.rerank(t.community, 'invoice', lexicalHits);
    expect(server.embeddingRequests()[1].body.input).toEqual(['invoice']);
  });

  it('falls back to the lexical order when the embeddings endpoint fails', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test', timeoutMs: 200 });
    await discussions(t);
    for (const reply of [{ kind: 'status', status: 500 }, { kind: 'malformed' }, { kind: 'hang' }] as const) {
      server.queueEmbeddings(reply);
      const outcome = await t.core.features.embeddings.rerank(t.community, 'password reset', lexicalHits);
      expect(outcome.mode).toBe('lexical');
      expect(outcome.hits.map((h) => h.discussionId)).toEqual(['d-noise', 'd-password', 'd-billing']);
    }
  });

  it('never embeds private discussions; they keep their lexical rank', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test' });
    await t.say('maya', 'password reset secret', { id: 'd-private', channel: t.channel('staff', { visibility: 'private', memberIds: ['maya'] }) });
    await discussions(t);
    const hits = [{ discussionId: 'd-private', score: 9 }, ...lexicalHits];
    const outcome = await t.core.features.embeddings.rerank(t.community, 'password reset email', hits);
    expect(server.embeddingRequests()[0].body.input).not.toContain('password reset secret');
    expect(outcome.hits.find((h) => h.discussionId === 'd-private')).toMatchObject({ vectorRank: null, similarity: null });
  });

  it('a public discussion is embedded without the replies of its private thread', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test' });
    await discussions(t);
    const thread = t.channel('staff-thread', { visibility: 'private', kind: 'thread', parentId: 'general', memberIds: ['maya'] });
    await t.say('maya', 'my password is hunter2 on the admin box', { threadId: 'd-password', replyTo: 'd-password', channel: thread });
    await t.say('leo', 'a public reply about the reset email', { replyTo: 'd-password' });
    await t.core.features.embeddings.rerank(t.community, 'password reset email', lexicalHits);
    const sent = JSON.stringify(server.embeddingRequests().map((r) => r.body.input));
    expect(sent).toContain('password reset email never arrives');
    expect(sent).toContain('a public reply about the reset email');
    expect(sent).not.toContain('hunter2');
  });

  it('the ranker works on any store (pure seam for the related feature)', async () => {
    const vectors = new Map<string, Buffer>([['a', encodeVector([0, 1])], ['b', encodeVector([1, 0])], ['c', encodeVector([0.7, 0.7])]]);
    const ranker = new HybridRanker({
      ai: { info: { chat: false, embeddings: true, embeddingModel: 'm' }, chat: async () => ({ ok: false, reason: 'disabled', detail: '' }), embed: async (texts) => ({ ok: true, model: 'm', value: texts.map(() => [1, 0]) }) },
      store: { get: async (_c, _m, ids) => new Map(ids.filter((id) => vectors.has(id)).map((id) => [id, { vector: vectors.get(id)! }])), put: async () => {} },
      documentText: async () => undefined,
      now: () => 0,
    });
    const outcome = await ranker.rank('c', 'q', [{ discussionId: 'a', score: 3 }, { discussionId: 'b', score: 2 }, { discussionId: 'c', score: 1 }]);
    // Vector order b, c, a fused with lexical a, b, c.
    expect(outcome.hits.map((h) => h.discussionId)).toEqual(['b', 'a', 'c']);
  });
});

describe('background embeddings refresh', () => {
  it('batches touched public discussions into one durable task per 5-minute window', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test' });
    await t.say('maya', 'how do I rotate my API key', { id: 'q1' });
    await t.say('sam', 'Settings > API > Rotate', { id: 'a1', replyTo: 'q1' });
    await t.say('leo', 'is the dark mode coming', { id: 'q2' });
    await t.say('zoe', 'internal notes', { id: 'p1', channel: t.channel('staff', { visibility: 'private', memberIds: ['zoe'] }) });
    expect(server.embeddingRequests()).toHaveLength(0);
    await t.advance(t.minutes(5));
    const requests = server.embeddingRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].body.input).toEqual(['how do I rotate my API key\nSettings > API > Rotate', 'is the dark mode coming']);
    const stored = await t.repos.embeddings.get(t.community, 'embed-test', ['q1', 'q2', 'p1']);
    expect([...stored.keys()].sort()).toEqual(['q1', 'q2']);
    // Nothing new: the next window's task embeds nothing.
    await t.say('sam', 'also check the docs', { id: 'a2', replyTo: 'q1' });
    await t.advance(t.minutes(5));
    expect(server.embeddingRequests()).toHaveLength(2);
    expect(server.embeddingRequests()[1].body.input).toEqual(['how do I rotate my API key\nSettings > API > Rotate\nalso check the docs']);
  });

  it('retries a failed refresh later (durable task) and skips imported history and bots', async () => {
    const t = aiHarness(server, { embeddingModel: 'embed-test' });
    t.bots.add('ci');
    await t.say('ci', 'build passed');
    expect(await t.repos.tasks.get(t.community, `embeddings:refresh:${Math.floor(t.clock.now() / 300_000)}`)).toBeUndefined();
    await t.say('maya', 'how do I rotate my API key', { id: 'q1' });
    server.queueEmbeddings({ kind: 'status', status: 503 });
    await t.advance(t.minutes(5));
    expect(await t.repos.embeddings.get(t.community, 'embed-test', ['q1'])).toHaveProperty('size', 0);
    await t.advance(t.minutes(2));
    expect((await t.repos.embeddings.get(t.community, 'embed-test', ['q1'])).size).toBe(1);
  });

  it('does nothing without an embeddings model', async () => {
    const t = aiHarness(server);
    await t.say('maya', 'how do I rotate my API key');
    await t.advance(t.minutes(10));
    expect(server.embeddingRequests()).toHaveLength(0);
  });
});
