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
    expect(reply.text).toContain('**Waiting for a human:** <@ola> #1 (5 minutes, high stakes)');
    expect(reply.text).toContain('**Newcomers nobody answered:** <@kim> (5 minutes)');
    expect(reply.text).toContain('**Helpers at risk:** none');
  });

  it('says so when the days asked for are more than it covers, instead of silently cutting them', async () => {
    const t = harness();
    const long = await t.command('mod', 'pulse', { days: 1500 });
    expect(long.text).toMatch(/^`\/pulse` looks back at most 90 days: this is the last 90, not 1500\./);
    expect(long.text).toContain('**Community pulse** — last 90 days');
    const none = await t.command('mod', 'pulse', { days: 0 });
    expect(none.text).toMatch(/^`\/pulse` looks back at least 1 day: this is the last day, not 0\./);
    const normal = await t.command('mod', 'pulse', { days: 30 });
    expect(normal.text).toMatch(/^\*\*Community pulse\*\* — last 30 days/);
  });

  it('its time zone and off-hours are community settings with clear errors', async () => {
    const t = harness();
    expect((await t.command('mod', 'hearth-config', { setting: 'timezone', value: 'Europe/Paris' })).text).toBe('**timezone** is now Europe/Paris.');
    expect((await t.command('mod', 'hearth-config', { setting: 'timezone', value: 'Mars/Olympus' })).text).toMatch(/unknown time zone/);
    expect((await t.command('mod', 'hearth-config', { setting: 'offHours', value: '23-6' })).text).toBe('**offHours** is now 23-6.');
    expect((await t.command('mod', 'hearth-config', { setting: 'offHours', value: '25-6' })).text).toMatch(/expected hours as start-end/);
    expect((await t.command('mod', 'hearth-config', { setting: 'helperReturnGap', value: '21d' })).text).toBe('**helperReturnGap** is now 21d.');
  });
});
