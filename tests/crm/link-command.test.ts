/**
 * A member links their own accounts without a moderator (issue 24, "Identity"): `/link` on
 * one platform answers, only to them, with a short single-use code; `/link CODE` on their
 * account on the other platform (another community of the same Hearth) makes the two one
 * person; `/link remove` undoes it. Driven through the real Companion on one store (SQLite,
 * and PostgreSQL in the `postgres` project), one manual clock.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { personOf } from '../../src/core/identity';
import { peopleHealth } from '../../src/core/health/people';
import { harness, type Harness } from '../helpers/harness';

let slack: Harness;
let discord: Harness;

beforeEach(async () => {
  slack = harness({ platformName: 'slack', community: 'slack:T1' });
  discord = harness({ database: slack.database, clock: slack.clock, platformName: 'discord', community: 'discord:G1' });
  for (const [t, who] of [[slack, 'ana'], [slack, 'bob'], [discord, 'anad'], [discord, 'bobd']] as const) await t.say(who, `hello from ${who}`);
});

/** `/link` on `t` as `who`: the reply, and the code in it. */
async function start(t: Harness, who: string) {
  const reply = await t.command(who, 'link');
  const code = reply.text.match(/`\/link ([A-Z0-9]{4}-[A-Z0-9]{4})`/)?.[1];
  return { reply, code: code! };
}

const accountsOf = async (community: string, member: string) => (await personOf(slack.repos, community, member))?.accounts.map((a) => `${a.communityId}/${a.id}`);

describe('/link', () => {
  it('a code from one platform, confirmed on the other, makes the two accounts one person', async () => {
    const { reply, code } = await start(slack, 'ana');
    expect(reply.visibility).toBe('ephemeral');
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(reply.text).toMatch(/10 minutes/);
    // Only the code's hash is stored.
    const hash = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(await slack.repos.identityLinks.getCode(hash(code.replace('-', '')))).toMatchObject({ communityId: 'slack:T1', memberId: 'ana', usedAt: null });
    expect(await slack.repos.identityLinks.getCode(code)).toBeUndefined();
    expect(await slack.repos.identityLinks.getCode(code.replace('-', ''))).toBeUndefined();

    slack.clock.advance(3 * MINUTE);
    // Typed the way people type codes: lower case, no dash, spaces around.
    const confirmed = await discord.command('anad', 'link', { code: `  ${code.replace('-', '').toLowerCase()} ` });
    expect(confirmed.visibility).toBe('ephemeral');
    expect(confirmed.text).toMatch(/linked/i);
    expect(await accountsOf('discord:G1', 'anad')).toEqual(['discord:G1/anad', 'slack:T1/ana']);
    expect(await slack.repos.identityLinks.forMember('slack:T1', 'ana')).toEqual([
      { communityId: 'discord:G1', memberId: 'anad', linkedCommunityId: 'slack:T1', linkedMemberId: 'ana', via: 'member', createdAt: slack.clock.now() },
    ]);
    // The export and the CRM sinks see one person.
    const people = await peopleHealth(slack.core, { now: slack.clock.now() + 1 });
    expect(people.find((p) => p.person.accounts.length > 1)?.record.accounts).toEqual(['discord:G1/anad', 'slack:T1/ana']);
  });

  it('a wrong code, an expired code and a used code are refused, saying why, and link nobody', async () => {
    const { code } = await start(slack, 'ana');
    const wrong = await discord.command('anad', 'link', { code: 'ZZZZ-ZZZZ' });
    expect(wrong.text).toMatch(/not a code I know/i);
    const garbage = await discord.command('anad', 'link', { code: 'hello there' });
    expect(garbage.text).toMatch(/not a code I know/i);
    slack.clock.advance(10 * MINUTE);
    const expired = await discord.command('anad', 'link', { code });
    expect(expired.text).toMatch(/expired/i);
    expect(await accountsOf('slack:T1', 'ana')).toEqual(['slack:T1/ana']);

    const fresh = await start(slack, 'ana');
    expect((await discord.command('anad', 'link', { code: fresh.code })).text).toMatch(/linked/i);
    const again = await discord.command('bobd', 'link', { code: fresh.code });
    expect(again.text).toMatch(/already been used/i);
    expect(await accountsOf('discord:G1', 'bobd')).toEqual(['discord:G1/bobd']);
  });

  it('a new code replaces the earlier one', async () => {
    const first = await start(slack, 'ana');
    const second = await start(slack, 'ana');
    expect(second.code).not.toBe(first.code);
    expect((await discord.command('anad', 'link', { code: first.code })).text).toMatch(/not a code I know/i);
    expect((await discord.command('anad', 'link', { code: second.code })).text).toMatch(/linked/i);
  });

  it('links only the account using the code, never someone else\'s: not from the same community, not the same account, not a named member', async () => {
    const { code } = await start(slack, 'ana');
    // Another member of the same workspace: refused (and the code still works for ana's other account).
    expect((await slack.command('bob', 'link', { code })).text).toMatch(/other platform|another community/i);
    expect((await slack.command('ana', 'link', { code })).text).toMatch(/other platform|another community/i);
    expect(await accountsOf('slack:T1', 'bob')).toEqual(['slack:T1/bob']);
    // Naming somebody (a mention, as Slack sends it): not a code, and nobody is linked.
    expect((await discord.command('anad', 'link', { code: '<@bobd>' })).text).toMatch(/your own accounts/i);
    expect(await accountsOf('discord:G1', 'bobd')).toEqual(['discord:G1/bobd']);
    expect((await discord.command('anad', 'link', { code })).text).toMatch(/linked/i);
    expect(await accountsOf('slack:T1', 'ana')).toEqual(['discord:G1/anad', 'slack:T1/ana']);
  });

  it('/link remove undoes the links of the member\'s own account; refused while a linked account has analytics off', async () => {
    const { code } = await start(slack, 'ana');
    await discord.command('anad', 'link', { code });
    const removed = await discord.command('anad', 'link', { code: 'remove' });
    expect(removed.text).toMatch(/removed 1 link/i);
    expect(await accountsOf('slack:T1', 'ana')).toEqual(['slack:T1/ana']);
    expect((await discord.command('anad', 'link', { code: 'remove' })).text).toMatch(/not linked/i);

    const again = await start(slack, 'ana');
    await discord.command('anad', 'link', { code: again.code });
    await slack.command('ana', 'privacy', { analytics: 'off' });
    const refused = await discord.command('anad', 'link', { code: 'remove' });
    expect(refused.text).toMatch(/analytics off|forgotten/i);
    expect(await accountsOf('slack:T1', 'ana')).toEqual(['discord:G1/anad', 'slack:T1/ana']);
  });

  it('guessing is slowed: after 5 wrong codes in 10 minutes an account is refused, even with a right code, until the window passes', async () => {
    const { code } = await start(slack, 'ana');
    for (let i = 0; i < 5; i++) expect((await discord.command('anad', 'link', { code: `ZZZZ-ZZZ${i + 2}` })).text).toMatch(/not a code I know/i);
    expect((await discord.command('anad', 'link', { code })).text).toMatch(/too many/i);
    expect(await accountsOf('slack:T1', 'ana')).toEqual(['slack:T1/ana']);
    // Another account is not slowed by anad's guesses.
    expect((await discord.command('bobd', 'link', { code: 'ZZZZ-ZZZZ' })).text).toMatch(/not a code I know/i);
    slack.clock.advance(10 * MINUTE);
    const fresh = await start(slack, 'ana');
    expect((await discord.command('anad', 'link', { code: fresh.code })).text).toMatch(/linked/i);
  });

  it('forget-me drops the account\'s codes: one made before cannot link the forgotten account later', async () => {
    const { code } = await start(slack, 'ana');
    const hash = createHash('sha256').update(code.replace('-', '')).digest('hex');
    expect(await slack.repos.identityLinks.getCode(hash)).toBeDefined();
    await slack.core.features.signals.privacy.forget('slack:T1', 'ana');
    expect(await slack.repos.identityLinks.getCode(hash)).toBeUndefined();
    expect((await discord.command('anad', 'link', { code })).text).toMatch(/not a code I know/i);
  });

  it('a member-made link withholds the whole person when one side opts out: no record, and the webhook receiver is told to delete them', async () => {
    slack = harness({ platformName: 'slack', community: 'slack:T1', webhooks: true });
    discord = harness({ database: slack.database, clock: slack.clock, platformName: 'discord', community: 'discord:G1', webhooks: true });
    await slack.say('ana', 'hello from ana');
    slack.clock.advance(MINUTE); // ana is seen first: her account names the person
    await discord.say('anad', 'hello from anad');
    const { code } = await start(slack, 'ana');
    await discord.command('anad', 'link', { code });
    slack.clock.advance(MINUTE);
    await slack.core.crm.scanHealth();
    const bodies = async () => [...(await slack.repos.webhookEvents.list('slack:T1')), ...(await slack.repos.webhookEvents.list('discord:G1'))].map((e) => JSON.parse(e.body));
    const health = (await bodies()).filter((e) => e.type === 'member.health.changed').map((e) => e.data.member.accounts);
    expect(health).toEqual([['discord:G1/anad', 'slack:T1/ana']]);

    await discord.command('anad', 'privacy', { analytics: 'off' });
    expect(await peopleHealth(slack.core, { now: slack.clock.now() })).toEqual([]);
    const after = await bodies();
    expect(after.filter((e) => e.type === 'member.health.changed')).toEqual([]); // the queued one is gone, not sent
    expect(after.filter((e) => e.type === 'member.deleted').map((e) => e.data)).toEqual([{ personId: 'slack:T1/ana', accounts: ['discord:G1/anad', 'slack:T1/ana'] }]);
    slack.clock.advance(MINUTE);
    await slack.core.crm.scanHealth();
    expect((await bodies()).filter((e) => e.type === 'member.health.changed')).toEqual([]);
  });

  it('is registered for Discord and Slack from the command list, for everyone, answered only to the member', async () => {
    const { commands } = await import('../../commands');
    const link = commands.find((c) => c.name === 'link')!;
    expect(link).toMatchObject({ access: 'everyone', ephemeral: true });
    expect(link.options).toEqual([expect.objectContaining({ name: 'code', type: 'string' })]);
    const { buildSlackManifest } = await import('../../src/platforms/slack/manifest');
    expect(buildSlackManifest(commands).features.slash_commands.find((c) => c.command === '/link')).toMatchObject({ usage_hint: '[code]' });
    const { registrationBody } = await import('../../src/platforms/discord/commands');
    expect(registrationBody(commands).find((c) => c.name === 'link')).toMatchObject({ default_member_permissions: null, options: [{ name: 'code', type: 3, required: false }] });
  });
});
