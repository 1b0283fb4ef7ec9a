import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { registrationBody } from '../../src/platforms/discord/commands';
import { run as deployCommandsCli } from '../../src/cli/commands/deploy-commands';
import { FakeDiscord } from '../fakes/discord/server';
import { waitFor } from '../helpers/wait';
import { discordCommunity, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
let fake: FakeDiscord | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  await d?.stop();
  await fake?.close();
  d = undefined;
  fake = undefined;
  process.env = { ...savedEnv };
});

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), stdin: process.stdin }, out, err };
}

describe('deploy-commands', () => {
  it('PUTs every command and message action from commands/ to the guild, and again identically', async () => {
    fake = await FakeDiscord.start();
    Object.assign(process.env, {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: '100000000000000001',
    });
    const { io, out, err } = captureIo();
    expect(await deployCommandsCli([], io)).toBe(0);
    expect(err).toEqual([]);
    const [put] = fake.requestsTo('PUT', /commands$/);
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/100000000000000001/commands`);
    expect(put.auth).toBe(`Bot ${fake.token}`);

    // What commands/ defines, written out independently of the adapter's mapping.
    const optionType = { string: 3, integer: 4, boolean: 5, user: 6, channel: 7 } as const;
    const expected = [
      ...commands.map((c) => ({
        type: 1,
        name: c.name,
        description: c.description,
        options: [...c.options]
          .sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)))
          .map((o) => ({
            type: optionType[o.type],
            name: o.name,
            description: o.description,
            required: Boolean(o.required),
            // Discord lists at most 25 fixed choices: a longer list is offered by autocomplete.
            ...(o.choices && o.choices.length > 25 ? { autocomplete: true } : {}),
            ...(o.choices && o.choices.length <= 25 ? { choices: o.choices.map((choice) => ({ name: choice, value: choice })) } : {}),
          })),
        default_member_permissions: c.access === 'moderator' ? 32 : null,
        contexts: [0],
        integration_types: [0],
      })),
      ...commands
        // Discord lists 5 message menus: an action marked discordMenu: false is a Slack shortcut only.
        .filter((c) => c.messageAction && c.discordMenu !== false)
        .map((c) => ({
          type: 3,
          name: c.messageAction,
          default_member_permissions: c.access === 'moderator' ? 32 : null,
          contexts: [0],
          integration_types: [0],
        })),
    ];
    expect(put.body).toEqual(expected);
    // The ones this build is known to have, spelled out.
    expect(put.body).toContainEqual({
      type: 1,
      name: 'human',
      description: 'Reach a person from the team, any time',
      options: [{ type: 3, name: 'reason', description: 'What you need help with (optional)', required: false }],
      default_member_permissions: null,
      contexts: [0],
      integration_types: [0],
    });
    expect(put.body).toContainEqual(expect.objectContaining({ type: 3, name: 'Ask a human about this' }));
    expect(put.body).toContainEqual(expect.objectContaining({ type: 3, name: 'Transcribe' }));
    expect(put.body).toContainEqual(expect.objectContaining({ type: 1, name: 'hearth-config', default_member_permissions: 32 }));
    expect(out.join('\n')).toContain(`Registered ${expected.length} Discord commands in guild 100000000000000001`);

    // Idempotent: a second run sends the same overwrite.
    expect(await deployCommandsCli([], captureIo().io)).toBe(0);
    const puts = fake.requestsTo('PUT', /commands$/);
    expect(puts).toHaveLength(2);
    expect(puts[1].body).toEqual(puts[0].body);
  });

  it('registers globally with --global, finding the application id from the token', async () => {
    fake = await FakeDiscord.start();
    Object.assign(process.env, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: '100000000000000001' });
    delete process.env.DISCORD_APPLICATION_ID;
    expect(await deployCommandsCli(['--global'], captureIo().io)).toBe(0);
    expect(fake.requestsTo('GET', /^\/applications\/@me$/)).toHaveLength(1);
    expect(fake.requestsTo('PUT', /commands$/)[0].path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(fake.registered.get('global')).toHaveLength(registrationBody(commands).length);
  });

  it('explains what is missing instead of calling Discord', async () => {
    delete process.env.DISCORD_TOKEN;
    const { io, err } = captureIo();
    expect(await deployCommandsCli([], io)).toBe(1);
    expect(err.join('\n')).toContain('DISCORD_TOKEN is not set');
    const bad = captureIo();
    expect(await deployCommandsCli(['--guild', '1', '--global'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toContain('exclude each other');
  });

  it('reports a refusal from Discord clearly', async () => {
    fake = await FakeDiscord.start();
    Object.assign(process.env, { DISCORD_TOKEN: 'wrong', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    const { io, err } = captureIo();
    expect(await deployCommandsCli(['--guild', '100000000000000001'], io)).toBe(1);
    expect(err.join('\n')).toContain('Discord refused the registration');
  });
});

describe('discord adapter: delivery', () => {
  it('retries a 429 after retry_after without posting twice', async () => {
    d = await discordCommunity();
    const route = new RegExp(`^/channels/${d.general}/messages$`);
    d.fake.failNext('POST', route, 429, { message: 'You are being rate limited.', code: 0, retry_after: 0.05, global: false }, {
      'retry-after': '0.05',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': '0.05',
      'x-ratelimit-bucket': 'fake-bucket',
      'x-ratelimit-scope': 'user',
    });
    d.fake.memberJoins(d.newcomer);
    await waitFor(() => d!.fake.messagesIn(d!.general)[0], 'the welcome after the rate limit');
    const attempts = d.fake.requestsTo('POST', route);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(attempts[1].body).toEqual(attempts[0].body);
    expect(d.fake.messagesIn(d.general)).toHaveLength(1);
  });

  it('keeps going when a member has closed their DMs (ephemeral fallback)', async () => {
    d = await discordCommunity();
    const token = d.fake.slashCommand(d.maya, d.general, 'human');
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    await waitFor(() => d!.fake.interactionCalls(token)[0], 'the acknowledgement');
    d.fake.failNext('POST', /^\/channels\/\d+\/messages$/, 403, { message: 'Cannot send messages to this user', code: 50007 });
    d.fake.pressButton(d.mod, ping, 'escalation:claim|1');
    const edit = await waitFor(() => d!.fake.requestsTo('PATCH', new RegExp(`/messages/${ping.id}$`))[0], 'the ping to be edited');
    expect(edit.body.content).toContain('Claimed by');
    expect(d.fake.requests.filter((r) => r.status === 403)).toHaveLength(1); // the DM was tried and refused
  });

  it('tells the claiming moderator honestly when the requester could not be told (DMs closed)', async () => {
    d = await discordCommunity();
    const token = d.fake.slashCommand(d.maya, d.general, 'human');
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    await waitFor(() => d!.fake.interactionCalls(token)[0], 'the acknowledgement');
    for (let i = 0; i < 2; i++) d.fake.failNext('POST', /^\/channels\/\d+\/messages$/, 403, { message: 'Cannot send messages to this user', code: 50007 });
    const press = d.fake.pressButton(d.mod, ping, 'escalation:claim|1');
    await waitFor(() => d!.fake.requestsTo('PATCH', new RegExp(`/messages/${ping.id}$`))[0], 'the ping to be edited');
    const answer = await waitFor(
      () => d!.fake.interactionCalls(press).find((r) => JSON.stringify(r.body ?? '').includes('You claimed request #1')),
      'the answer to the moderator',
    );
    expect(JSON.stringify(answer.body)).not.toContain('has been told');
    expect(JSON.stringify(answer.body)).toContain("couldn't tell");
  });

  it('splits long texts at 2000 characters and attaches files to the last part', async () => {
    d = await discordCommunity();
    const text = Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n');
    await d.service.platform.post(d.community, d.general, {
      text,
      attachments: [{ name: 'pulse.png', contentType: 'image/png', data: Buffer.from([137, 80, 78, 71]) }],
      buttons: [{ action: 'pulse:refresh', value: '1', label: 'Refresh' }],
    });
    const posts = d.fake.requestsTo('POST', new RegExp(`^/channels/${d.general}/messages$`));
    expect(posts).toHaveLength(3);
    for (const p of posts) expect(p.body.content.length).toBeLessThanOrEqual(2000);
    expect(posts.map((p) => p.body.content).join('\n')).toBe(text);
    expect(posts.map((p) => p.files)).toEqual([[], [], ['pulse.png']]);
    expect(posts.map((p) => Boolean(p.body.components?.length))).toEqual([false, false, true]);
  });

  it('refuses to post into another community’s channel', async () => {
    d = await discordCommunity();
    await expect(d.service.platform.post('discord:999999999999999999', d.general, { text: 'hi' })).rejects.toThrow(/not in discord:999/);
    expect(d.fake.requestsTo('POST', /messages$/)).toEqual([]);
  });

  it('edits, replies, reacts and links like Discord', async () => {
    d = await discordCommunity();
    const { platform } = d.service;
    const posted = await platform.post(d.community, d.general, { text: 'first' });
    expect(posted.permalink).toBe(`https://discord.com/channels/100000000000000001/${d.general}/${posted.messageId}`);
    await platform.edit(d.community, posted, { text: 'second <@130000000000000002>', mentionUsers: ['130000000000000002'] });
    const edit = d.fake.requestsTo('PATCH', /messages/)[0];
    expect(edit.body).toMatchObject({ content: 'second <@130000000000000002>', components: [], allowed_mentions: { parse: [], users: ['130000000000000002'] } });
    await platform.reply(d.community, posted, { text: 'a reply' });
    const reply = d.fake.requestsTo('POST', /messages$/)[1];
    expect(reply.body.message_reference).toMatchObject({ message_id: posted.messageId, fail_if_not_exists: false });
    expect(reply.body.allowed_mentions).toMatchObject({ parse: [], replied_user: false });
    await platform.react(d.community, posted, '➕');
    expect(d.fake.requestsTo('PUT', /reactions/)[0].path).toBe(`/channels/${d.general}/messages/${posted.messageId}/reactions/➕/@me`);
  });
});
