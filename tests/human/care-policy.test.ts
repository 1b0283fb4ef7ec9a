import { describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { harness } from '../helpers/harness';

describe('/care-policy', () => {
  it('renders the policy from live configuration', async () => {
    const t = harness();
    await t.join('maya');
    const reply = await t.command('maya', 'care-policy');
    expect(reply.visibility).toBe('ephemeral');
    const text = reply.text;
    expect(text).toMatch(/^\*\*Community Care Policy — Test Community\*\*/);
    expect(text).toContain('`/human [what you need]` works everywhere, any time.');
    expect(text).toContain('"can I talk to a human?"');
    expect(text).toContain('**Ask a human about this** on any message');
    expect(text).toMatch(/pinged again; after 30 minutes it goes to a second tier/);
    expect(text).toMatch(/Expected wait: This community has no history of response times yet/);
    expect(text).toContain('• personal distress or crisis');
    expect(text).toMatch(/\*\*AI is off\.\*\* Hearth uses no AI model here/);
    expect(text).toContain('Message text is kept for 365 days');
    for (const command of commands) expect(text).toContain(`\`/${command.name}\` — ${command.description}`);
    expect(text).toMatch(/`\/resolve` — .*\(moderators\)$/m);
  });

  it('follows changes: retention, human-first classes, typed requests and the measured wait', async () => {
    const t = harness({ settings: { retentionDays: 30, humanFirstClasses: ['billing', 'distress'], autoEscalateClasses: ['distress'], typedRequests: false } });
    await t.command('sam', 'human', {});
    t.clock.advance(t.minutes(7));
    await t.press('mod', 'escalation:claim', '1');
    const text = (await t.command('maya', 'care-policy')).text;
    expect(text).toContain('Message text is kept for 30 days');
    expect(text).toContain('billing and payment disputes');
    expect(text).toContain('(flagged to moderators)');
    expect(text).not.toContain('outages');
    expect(text).not.toContain('"can I talk to a human?"');
    // One claim is not a history: no promise rests on it.
    expect(text).toMatch(/Expected wait: This community has too little history of response times yet \(1 request picked up in the last 30 days\)/);
  });

  it('promises no wait from a single instant claim, then a median with the count it rests on', async () => {
    const t = harness();
    await t.command('sam', 'human', {});
    await t.press('mod', 'escalation:claim', '1');
    let text = (await t.command('maya', 'care-policy')).text;
    expect(text).not.toMatch(/about 0 seconds/);
    expect(text).toMatch(/Expected wait: This community has too little history of response times yet \(1 request picked up in the last 30 days\), so I can’t promise a time\./);
    for (const [i, wait] of [3, 7, 9, 12].entries()) {
      await t.command(`m${i}`, 'human', {});
      t.clock.advance(t.minutes(wait));
      await t.press('mod', 'escalation:claim', String(i + 2));
    }
    text = (await t.command('maya', 'care-policy')).text;
    expect(text).toMatch(/Expected wait: Recently, a moderator has picked requests up in about 7 minutes \(median of the 5 requests picked up in the last 30 days\)\./);
  });

  it('says "under a minute", not "about 0 seconds", for a community that claims at once', async () => {
    const t = harness();
    for (let i = 1; i <= 5; i++) {
      await t.command(`m${i}`, 'human', {});
      await t.press('mod', 'escalation:claim', String(i));
    }
    const text = (await t.command('maya', 'care-policy')).text;
    expect(text).toMatch(/Expected wait: Recently, a moderator has picked requests up in under a minute \(median of the 5 requests/);
  });

  it('says AI is on, with the model and where it is used, when an AI client is configured', async () => {
    const t = harness();
    (t.core as unknown as { ai: object }).ai = { info: { chat: true, embeddings: false, chatModel: 'llama3', endpointHost: '127.0.0.1:11434' } };
    const text = (await t.command('maya', 'care-policy')).text;
    expect(text).toMatch(/\*\*AI is on\*\* \(llama3 at 127\.0\.0\.1:11434\)/);
    expect(text).toMatch(/`\/suggest-reply` \(moderators\): a draft only the moderator sees/);
    expect(text).toMatch(/AI never answers high-stakes messages/);
  });

  it('the welcome points newcomers to it', async () => {
    const t = harness();
    await t.join('maya');
    expect(t.platform.of('post')[0].message.text).toContain('/care-policy');
  });
});
