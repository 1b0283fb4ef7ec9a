import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { hasMassMention } from '../../src/core/text/mentions';
import { harness } from '../helpers/harness';

describe('/pulse', () => {
  it('is for moderators only', async () => {
    const t = harness();
    const reply = await t.command('nina', 'pulse');
    expect(reply).toMatchObject({ visibility: 'ephemeral', text: '`/pulse` is for moderators.' });
  });

  it('shows the figures and the four lists, ephemerally, pinging nobody', async () => {
    const t = harness();
    await t.join('nina');
    const q = await t.say('nina', 'How do I connect my calendar? @everyone');
    t.clock.advance(20 * MINUTE);
    await t.say('sam', 'Integrations, then Calendar, then Connect', { replyTo: q });
    await t.join('kim');
    await t.say('kim', 'is anyone around to help with SSO?');
    await t.command('ola', 'human', { reason: 'my account was charged twice' });
    t.clock.advance(5 * MINUTE);
    const reply = await t.command('mod', 'pulse', { days: 7 });
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.mentionUsers ?? []).toEqual([]);
    expect(hasMassMention(reply.text)).toBe(false);
    expect(reply.text).toContain('First human response: median 20 minutes');
    expect(reply.text).toContain('unanswered 50% of 2 questions');
    expect(reply.text).toContain('**People to thank:** <@sam> (1 answer)');
    expect(reply.text).toContain('**Waiting for a human:** <@ola> #1 (5 minutes)');
    expect(reply.text).toContain('**Newcomers nobody answered:** <@kim> (5 minutes)');
    expect(reply.text).toContain('**Helpers at risk:** none');
  });
});
