import { afterEach, describe, expect, it } from 'vitest';
import { MessageFlags } from 'discord.js';
import { defineCommand } from '../../commands/define';
import { commands } from '../../commands';
import { registrationBody, suggestions } from '../../src/platforms/discord/commands';
import { SETTINGS } from '../../src/core/settings';
import { waitFor } from '../helpers/wait';
import { discordCommunity, MOD_ROLE, type DiscordCommunity } from './setup';

let d: DiscordCommunity | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

const CALLBACK = { reply: 4, deferredReply: 5, deferredUpdate: 6, update: 7, autocompleteResult: 8 };

describe('discord adapter: /human, Claim and Resolve', () => {
  it('acknowledges privately, pings only the moderator role with buttons, and tells the requester on Claim', async () => {
    d = await discordCommunity();
    const token = d.fake.slashCommand(d.maya, d.general, 'human', [{ name: 'reason', type: 3, value: 'I was charged twice @everyone' }]);

    // The moderator ping: in the moderator channel, the role mentioned and the only role allowed.
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    expect(ping.content.startsWith(`<@&${MOD_ROLE}> `)).toBe(true);
    expect(ping.content).toContain(`<@${d.maya.id}> asked for a human`);
    expect(ping.content).not.toMatch(/(^|[^\u200b])@everyone/); // echoed text is neutralised
    const pingRequest = d.fake.requestsTo('POST', new RegExp(`/channels/${d.mods}/messages`))[0];
    expect(pingRequest.body.allowed_mentions).toEqual({ parse: [], users: [], roles: [MOD_ROLE], replied_user: false });
    const buttons = (ping.components as any[]).flatMap((row) => row.components);
    expect(buttons.map((b) => [b.label, b.custom_id])).toEqual([
      ['Claim', 'escalation:claim|1'],
      ['Resolve', 'escalation:resolve|1'],
    ]);

    // The requester's acknowledgement: ephemeral, deferred or direct.
    const ack = await waitFor(() => {
      const calls = d!.fake.interactionCalls(token);
      const direct = calls.find((c) => c.body?.type === CALLBACK.reply);
      if (direct) return { flags: direct.body.data.flags, content: direct.body.data.content };
      const deferred = calls.find((c) => c.body?.type === CALLBACK.deferredReply);
      const edit = calls.find((c) => c.method === 'PATCH');
      return deferred && edit ? { flags: deferred.body.data.flags, content: edit.body.content } : undefined;
    }, 'the /human acknowledgement');
    expect(ack.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(ack.content).toContain('request #1');

    // A moderator (by role) claims: the requester is told by DM, the ping is edited in place.
    const claimToken = d.fake.pressButton(d.mod, ping, 'escalation:claim|1');
    const dm = await waitFor(() => d!.fake.requestsTo('POST', /^\/users\/@me\/channels$/)[0], 'a DM channel for the requester');
    expect(dm.body.recipient_id).toBe(d.maya.id);
    const told = await waitFor(() => [...d!.fake.messages.values()].find((m) => m.content.includes('picked up your request')), 'the requester to be told');
    expect(told.content).toContain(`<@${d.mod.id}>`);
    const edit = await waitFor(() => d!.fake.requestsTo('PATCH', new RegExp(`/channels/${d!.mods}/messages/${ping.id}`))[0], 'the ping to be edited');
    expect(edit.body.content).toContain(`Claimed by <@${d.mod.id}>`);
    expect(edit.body.allowed_mentions.roles).toEqual([]); // an edit never re-pings the role
    expect(edit.body.components.flatMap((row: any) => row.components).map((b: any) => b.label)).toEqual(['Resolve']);
    const claimReply = await waitFor(() => d!.fake.interactionCalls(claimToken).find((c) => c.body?.type === CALLBACK.reply), 'the claim reply');
    expect(claimReply.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect((await d.repos.escalations.get(d.community, 1))?.status).toBe('claimed');

    // Only the moderator ping ever allowed a role, and nothing ever allowed mass mentions.
    d.assertNoMassMentions();
  });

  it('never mentions @everyone even when it is configured as the moderator role', async () => {
    d = await discordCommunity();
    await d.repos.settings.set(d.community, 'moderatorRoles', ['100000000000000001'], 0);
    d.fake.slashCommand(d.maya, d.general, 'human');
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    expect(ping.content).not.toContain('<@&100000000000000001>');
    expect(d.fake.requestsTo('POST', new RegExp(`/channels/${d.mods}/messages`))[0].body.allowed_mentions.roles).toEqual([]);
  });

  it('refuses Claim from a member without moderator permissions or role', async () => {
    d = await discordCommunity();
    d.fake.slashCommand(d.maya, d.general, 'human');
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    const token = d.fake.pressButton(d.maya, ping, 'escalation:claim|1');
    const reply = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.reply), 'the refusal');
    expect(reply.body.data.content).toContain('Only moderators');
    expect((await d.repos.escalations.get(d.community, 1))?.status).toBe('open');
  });

  it('treats Manage Server (as Discord computed it for the interaction) as moderator: Resolve works without the role', async () => {
    d = await discordCommunity();
    d.fake.slashCommand(d.newcomer, d.general, 'human');
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    d.fake.pressButton(d.maya, ping, 'escalation:resolve|1', String(1 << 5));
    await waitFor(async () => (await d!.repos.escalations.get(d!.community, 1))?.status === 'resolved', 'the escalation to be resolved');
  });

  it('runs "Ask a human about this" from a message context menu with the target message', async () => {
    d = await discordCommunity();
    const target = d.fake.memberPosts(d.maya, d.general, 'the sync setting keeps resetting itself');
    await waitFor(() => d!.repos.messages.get(d!.community, target.id), 'the message');
    d.fake.messageCommand(d.maya, d.general, 'Ask a human about this', target);
    const ping = await waitFor(() => d!.fake.messagesIn(d!.mods)[0], 'the moderator ping');
    expect(ping.content).toContain('the sync setting keeps resetting itself');
    expect(ping.content).toContain(`https://discord.com/channels/100000000000000001/${d.general}/${target.id}`);
    expect(await d.repos.escalations.get(d.community, 1)).toMatchObject({ messageId: target.id, source: 'action' });
  });
});

describe('discord adapter: the 3-second window', () => {
  it('defers a slow command with its own ephemerality, then edits the answer in', async () => {
    let finish!: (text: string) => void;
    const slow = defineCommand({
      name: 'slow',
      description: 'Takes its time',
      options: [{ name: 'question', type: 'string', description: 'What to look up', required: true }],
      access: 'everyone',
      ephemeral: false,
      async run(_core, invocation) {
        const text = await new Promise<string>((resolve) => (finish = resolve));
        return { visibility: 'public', text: `${text} (${invocation.options.question})` };
      },
    });
    d = await discordCommunity({ commands: [...commands, slow], deferAfterMs: 50 });
    const token = d.fake.slashCommand(d.maya, d.general, 'slow', [{ name: 'question', type: 3, value: 'export limits' }]);
    const deferred = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.deferredReply), 'the deferral');
    expect(deferred.body.data.flags & MessageFlags.Ephemeral).toBe(0); // a public command defers publicly
    expect(d.fake.interactionCalls(token).some((c) => c.method === 'PATCH')).toBe(false);
    finish('Here is what I found');
    const edit = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.method === 'PATCH'), 'the edited reply');
    expect(edit.path).toBe(`/webhooks/${d.fake.applicationId}/${token}/messages/@original`);
    expect(edit.body.content).toBe('Here is what I found (export limits)');
    expect(edit.body.allowed_mentions.parse).toEqual([]);
    expect(d.fake.interactionCalls(token).filter((c) => c.body?.type === CALLBACK.reply)).toEqual([]);
  });

  it('answers in a follow-up when the answer visibility differs from the deferral', async () => {
    let finish!: () => void;
    const secretive = defineCommand({
      name: 'secretive',
      description: 'Public by default, private this time',
      options: [],
      access: 'everyone',
      ephemeral: false,
      async run() {
        await new Promise<void>((resolve) => (finish = resolve));
        return { visibility: 'ephemeral', text: 'only for you' };
      },
    });
    d = await discordCommunity({ commands: [...commands, secretive], deferAfterMs: 50 });
    const token = d.fake.slashCommand(d.maya, d.general, 'secretive');
    await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.deferredReply), 'the deferral');
    finish();
    const followUp = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.method === 'POST' && c.path.startsWith('/webhooks/')), 'the follow-up');
    expect(followUp.body.content).toBe('only for you');
    expect(followUp.body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(d.fake.interactionCalls(token).some((c) => c.method === 'DELETE')).toBe(true); // the public "thinking…" is removed
  });

  it("sends the core's ephemeral messages for the invoker as ephemeral follow-ups of the open interaction", async () => {
    const chatty = defineCommand({
      name: 'chatty',
      description: 'Says something privately, then answers',
      options: [],
      access: 'everyone',
      async run(core, invocation) {
        await core.platform.ephemeral(invocation.community, invocation.channel.id, invocation.member.id, { text: 'a private note' });
        return { visibility: 'ephemeral', text: 'the answer' };
      },
    });
    d = await discordCommunity({ commands: [...commands, chatty] });
    const token = d.fake.slashCommand(d.maya, d.general, 'chatty');
    const answer = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.method === 'PATCH'), 'the answer');
    const calls = d.fake.interactionCalls(token);
    expect(calls.map((c) => [c.method, c.body?.type ?? c.body?.content])).toEqual([
      ['POST', CALLBACK.deferredReply],
      ['POST', 'a private note'],
      ['PATCH', 'the answer'],
    ]);
    expect(calls[1].body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(answer.body.content).toBe('the answer');
    expect(d.fake.requestsTo('POST', /^\/users\/@me\/channels$/)).toEqual([]); // no DM needed
  });

  it('a moderator-only command is refused to members, whatever Discord shows them', async () => {
    d = await discordCommunity();
    const token = d.fake.slashCommand(d.maya, d.general, 'hearth-config');
    const reply = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.reply), 'the reply');
    expect(reply.body.data.content).toContain('is for moderators');
  });
});

describe('discord adapter: an option with more choices than Discord lists', () => {
  const settings = [...Array.from({ length: 30 }, (_, i) => `limit${i}`), 'welcomeChannel', 'channelDigest', 'moderatorChannel'];
  const pick = defineCommand({
    name: 'pick',
    description: 'Pick a setting',
    options: [{ name: 'setting', type: 'string', description: 'Which one', choices: settings }],
    access: 'everyone',
    ephemeral: true,
    async run(_core, invocation) {
      return { visibility: 'ephemeral', text: `picked ${invocation.options.setting}` };
    },
  });

  it('is registered with autocomplete instead of choices; a short list keeps its choices', () => {
    const [registered] = registrationBody([pick]) as { options: { autocomplete?: boolean; choices?: unknown[] }[] }[];
    expect(registered.options[0].autocomplete).toBe(true);
    expect(registered.options[0].choices).toBeUndefined();
    const body = registrationBody(commands) as { name?: string; options?: { name: string; autocomplete?: boolean; choices?: unknown[] }[] }[];
    const privacy = body.find((c) => c.name === 'privacy')!.options!.find((o) => o.name === 'analytics')!;
    expect(privacy.choices).toHaveLength(2);
    expect(privacy.autocomplete).toBeUndefined();
    // /hearth-config's settings outgrew Discord's 25 choices: every one stays reachable.
    const setting = body.find((c) => c.name === 'hearth-config')!.options!.find((o) => o.name === 'setting')!;
    expect(setting.autocomplete).toBe(Object.keys(SETTINGS).length > 25 ? true : undefined);
  });

  it('registers at most 5 message context menus (Discord refuses more), Transcribe among them', () => {
    const menus = (registrationBody(commands) as { type: number; name: string }[]).filter((c) => c.type === 3).map((c) => c.name);
    expect(menus.length).toBeLessThanOrEqual(5);
    expect(menus).toContain('Transcribe');
    expect(menus).toContain('Translate');
  });

  it('suggests the choices holding what the member typed, those starting with it first, at most 25', async () => {
    d = await discordCommunity({ commands: [...commands, pick] });
    const token = d.fake.autocomplete(d.maya, d.general, 'pick', { name: 'setting', value: 'Chan' });
    const answer = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.autocompleteResult), 'the suggestions');
    expect(answer.body.data.choices.map((c: { value: string }) => c.value)).toEqual(['channelDigest', 'welcomeChannel', 'moderatorChannel']);
    const all = d.fake.autocomplete(d.maya, d.general, 'pick', { name: 'setting', value: '' });
    const first = await waitFor(() => d!.fake.interactionCalls(all).find((c) => c.body?.type === CALLBACK.autocompleteResult), 'the first suggestions');
    expect(first.body.data.choices).toHaveLength(25);
    expect(suggestions(pick.options[0], 'nothing like it')).toEqual([]);
    // The value chosen still arrives as a normal option.
    const run = d.fake.slashCommand(d.maya, d.general, 'pick', [{ name: 'setting', type: 3, value: 'channelDigest' }]);
    const reply = await waitFor(() => d!.fake.interactionCalls(run).find((c) => c.body?.type === CALLBACK.reply), 'the reply');
    expect(reply.body.data.content).toBe('picked channelDigest');
  });
});

describe('discord adapter: autocomplete answers Discord can take', () => {
  const pages = defineCommand({
    name: 'page',
    description: 'Pick a page',
    options: [{ name: 'number', type: 'integer', description: 'Which page', choices: Array.from({ length: 30 }, (_, i) => String(i + 1)) }],
    access: 'everyone',
    ephemeral: true,
    async run(_core, invocation) {
      return { visibility: 'ephemeral', text: `page ${invocation.options.number}` };
    },
  });

  it('suggests an integer option\'s choices as integers (Discord rejects a string value there)', async () => {
    d = await discordCommunity({ commands: [...commands, pages] });
    const token = d.fake.autocomplete(d.maya, d.general, 'page', { name: 'number', value: '2' });
    const answer = await waitFor(() => d!.fake.interactionCalls(token).find((c) => c.body?.type === CALLBACK.autocompleteResult), 'the suggestions');
    const choices = answer.body.data.choices as { name: string; value: unknown }[];
    expect(choices.map((c) => c.value)).toEqual([2, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 12]);
    expect(choices[0].name).toBe('2');
  });

  it('refuses at registration a choice Discord cannot list (value over 100 characters, empty, or not an integer)', () => {
    const withChoices = (type: 'string' | 'integer', choices: string[]) =>
      defineCommand({ ...pages, name: 'bad', options: [{ name: 'x', type, description: 'x', choices }] });
    expect(() => registrationBody([withChoices('string', ['ok', 'x'.repeat(101)])])).toThrow(/"bad".*100/);
    expect(() => registrationBody([withChoices('string', [...Array.from({ length: 30 }, (_, i) => `c${i}`), 'y'.repeat(101)])])).toThrow(/"bad"/);
    expect(() => registrationBody([withChoices('string', ['ok', ' '])])).toThrow(/"bad"/);
    expect(() => registrationBody([withChoices('integer', ['1', 'two'])])).toThrow(/"bad"/);
    expect(() => registrationBody([withChoices('string', ['x'.repeat(100)])])).not.toThrow();
  });
});
