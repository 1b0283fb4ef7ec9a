import { describe, expect, it } from 'vitest';
import { harness } from '../helpers/harness';

/**
 * Platforms report edits that change no words: Slack's message_changed when a link unfurls or
 * a thread's parent gains replies, Discord's when embeds unfold. The core ignores them: the
 * discussion's vector stays and no flush of deleted words is scheduled.
 */
describe("an edit that changes no words", () => {
  it('keeps the discussion vector and schedules no flush', async () => {
    const t = harness();
    const q = await t.say('sam', 'How do I export my data? See https://example.com/docs');
    await t.repos.embeddings.put(t.community, 'emb', q, Buffer.alloc(8, 1), t.clock.now());
    await t.edit(q, 'How do I export my data? See https://example.com/docs');
    expect([...(await t.repos.embeddings.get(t.community, 'emb', [q])).keys()]).toEqual([q]);
    expect(await t.repos.tasks.pendingOfKind(t.community, 'privacy.flush_deleted', 10)).toEqual([]);
  });
});
