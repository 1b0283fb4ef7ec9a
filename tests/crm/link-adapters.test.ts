/**
 * `/link` through the real adapters: the real Bolt app on the fake Slack and the real
 * discord.js client on the fake Discord, both over one database (one Hearth, two communities)
 * and one manual clock. Maya asks for a code in Slack (an answer only she sees, through the
 * slash command's response_url), types it in Discord (an ephemeral interaction reply), and
 * her two accounts are one person.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MessageFlags } from 'discord.js';
import { ManualClock } from '../../src/core/clock';
import { personOf } from '../../src/core/identity';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection';
import { discordCommunity, type DiscordCommunity } from '../discord/setup';
import { IDS, slackHarness, type SlackHarness } from '../slack/harness';
import { waitFor } from '../helpers/wait';

const CALLBACK = { reply: 4, deferredReply: 5 };

let slack: SlackHarness | undefined;
let discord: DiscordCommunity | undefined;
let database: DatabaseHandle | undefined;
afterEach(async () => {
  await slack?.close();
  await discord?.stop();
  database?.close();
  slack = discord = database = undefined;
});

/** Discord's answer to an interaction: direct, or deferred then edited. */
async function discordAnswer(d: DiscordCommunity, token: string) {
  return waitFor(() => {
    const calls = d.fake.interactionCalls(token);
    const direct = calls.find((c) => c.body?.type === CALLBACK.reply);
    if (direct) return { flags: direct.body.data.flags as number, content: String(direct.body.data.content) };
    const deferred = calls.find((c) => c.body?.type === CALLBACK.deferredReply);
    const edit = calls.find((c) => c.method === 'PATCH');
    return deferred && edit ? { flags: deferred.body.data.flags as number, content: String(edit.body.content) } : undefined;
  }, 'the /link answer');
}

describe('/link on Slack and Discord', () => {
  it('a code asked for in Slack, typed in Discord, links Maya\'s two accounts; answers only she sees', async () => {
    database = openDatabase(':memory:');
    const clock = new ManualClock();
    slack = await slackHarness('socket', { database, clock });
    discord = await discordCommunity({ database, clock });

    const { responseId } = await slack.command(IDS.maya, 'link', '');
    const response = await slack.eventually(() => {
      const found = slack!.fake.responses.find((r) => r.id === responseId);
      expect(found).toBeDefined();
      return found!.body;
    });
    expect(response.response_type).toBe('ephemeral');
    const code = String(response.text).match(/`\/link ([A-Z0-9]{4}-[A-Z0-9]{4})`/)?.[1];
    expect(code).toBeDefined();
    // Nothing posted in a channel: the code went to Maya only.
    expect(slack.fake.callsTo('chat.postMessage').some((m) => String(m.text).includes(code!))).toBe(false);

    // A mention instead of a code (Slack escapes it as <@U…>): refused, nobody linked.
    const { responseId: mentionId } = await slack.command(IDS.maya, 'link', `<@${IDS.mod}>`);
    const refused = await slack.eventually(() => {
      const found = slack!.fake.responses.find((r) => r.id === mentionId);
      expect(found).toBeDefined();
      return found!.body;
    });
    expect(String(refused.text)).toMatch(/only your own accounts/);

    const token = discord.fake.slashCommand(discord.maya, discord.general, 'link', [{ name: 'code', type: 3, value: code! }]);
    const answer = await discordAnswer(discord, token);
    expect(answer.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(answer.content).toMatch(/^Linked: this account and your account in .+ are now one person/);

    const person = await personOf(discord.repos, discord.community, discord.maya.id);
    expect(person?.accounts.map((a) => `${a.communityId}/${a.id}`).sort()).toEqual([`${discord.community}/${discord.maya.id}`, `${slack.community}/${IDS.maya}`].sort());
    expect((await discord.repos.identityLinks.forMember(slack.community, IDS.mod))).toEqual([]);

    // The same code again, from Discord: used.
    const again = discord.fake.slashCommand(discord.maya, discord.general, 'link', [{ name: 'code', type: 3, value: code! }]);
    expect((await discordAnswer(discord, again)).content).toMatch(/already been used/);
  }, 60_000); // two adapters start (seconds each on a busy machine); nothing in it waits on time
});
