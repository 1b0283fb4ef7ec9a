/**
 * The real Bolt app against the fake Slack, through Socket Mode and the signed HTTP
 * receiver alike: what a workspace does goes in as Slack payloads, what the companion does
 * comes out as Web API calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDS, slackHarness, type SlackHarness, type SlackMode } from './harness';
import { slackTs } from '../../src/platforms/slack/ids';

const modes: SlackMode[] = ['socket', 'http'];

describe.each(modes)('Slack adapter over %s', (mode) => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  it('welcomes a newcomer in #general with a real mention', async () => {
    t = await slackHarness(mode);
    await t.join('U0NEW', 'newbie');
    const welcome = await t.eventually(() => {
      const found = t.fake.callsTo('chat.postMessage').find((m) => String(m.text).includes('Welcome'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(welcome.channel).toBe(IDS.general);
    expect(welcome.text).toContain('<@U0NEW>');
    expect(welcome.text).toContain('Test Workspace');
    expect(welcome.link_names).toBe('false'); // form-encoded on the wire
    const member = await t.repos.members.get(t.community, 'U0NEW');
    expect(member?.name).toBe('newbie');
  });

  it('stores messages, thread replies, edits and deletes; private channels carry their members', async () => {
    t = await slackHarness(mode);
    const root = await t.say(IDS.maya, 'How do I reset my password? &lt;3 <#C0HELP|help>', { channel: IDS.help });
    const reply = await t.say(IDS.mod, 'Settings > Security', { channel: IDS.help, thread_ts: root });
    const secret = await t.say(IDS.mod, 'staff only', { channel: IDS.staff });

    const stored = await t.eventually(async () => {
      const row = await t.repos.messages.get(t.community, t.id(IDS.staff, secret));
      expect(row).toBeDefined();
      return t.repos.messages.get(t.community, t.id(IDS.help, root));
    });
    expect(stored?.text).toBe('How do I reset my password? <3 #help');
    expect(stored?.channelId).toBe(IDS.help);
    const threaded = await t.repos.messages.get(t.community, t.id(IDS.help, reply));
    expect(threaded?.threadId).toBe(t.id(IDS.help, root));
    expect(threaded?.discussionId).toBe(t.id(IDS.help, root));

    expect((await t.repos.channels.get(t.community, IDS.staff))?.visibility).toBe('private');
    expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.maya)).toBe(true);
    expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.outsider)).toBe(false);

    await t.edit(IDS.help, root, 'How do I reset my password on mobile?');
    await t.eventually(async () => expect((await t.repos.messages.get(t.community, t.id(IDS.help, root)))?.text).toBe('How do I reset my password on mobile?'));
    await t.remove(IDS.help, root);
    await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.help, root))).toBeUndefined());
  });

  it('two channels\' messages with the same ts are two messages; an edit or delete in one never touches the other', async () => {
    // Slack's ts is unique within a channel only.
    t = await slackHarness(mode);
    const ts = '1767700000.000100';
    await t.say(IDS.maya, 'public question', { channel: IDS.help, ts });
    await t.say(IDS.mod, 'staff only: the incident is our fault', { channel: IDS.staff, ts });
    const [open, secret] = await t.eventually(async () => {
      const rows = [await t.repos.messages.get(t.community, t.id(IDS.help, ts)), await t.repos.messages.get(t.community, t.id(IDS.staff, ts))];
      expect(rows.every(Boolean)).toBe(true);
      return rows;
    });
    expect(open?.text).toBe('public question');
    expect(secret?.channelId).toBe(IDS.staff);

    await t.edit(IDS.staff, ts, 'staff only: edited', IDS.mod);
    await t.eventually(async () => expect((await t.repos.messages.get(t.community, t.id(IDS.staff, ts)))?.text).toBe('staff only: edited'));
    expect((await t.repos.messages.get(t.community, t.id(IDS.help, ts)))?.text).toBe('public question');
    await t.remove(IDS.staff, ts);
    await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.staff, ts))).toBeUndefined());
    expect((await t.repos.messages.get(t.community, t.id(IDS.help, ts)))?.text).toBe('public question');
  });

  it('forgets a deleted thread root: Slack leaves a tombstone (message_changed), no message_deleted, while replies remain', async () => {
    t = await slackHarness(mode);
    const root = await t.say(IDS.maya, 'my account email is maya@example.com, why is login failing?', { channel: IDS.help });
    const reply = await t.say(IDS.mod, 'Looking into it', { channel: IDS.help, thread_ts: root });
    await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.help, reply))).toBeDefined());
    // What Slack sends when a message with replies is deleted: the root becomes a tombstone.
    await t.event({
      type: 'message', subtype: 'message_changed', hidden: true, channel: IDS.help, channel_type: 'channel', ts: t.ts(),
      message: { type: 'message', subtype: 'tombstone', hidden: true, user: 'USLACKBOT', text: 'This message was deleted.', ts: root, thread_ts: root, reply_count: 1 },
      previous_message: { type: 'message', user: IDS.maya, text: 'my account email is maya@example.com, why is login failing?', ts: root, thread_ts: root, reply_count: 1 },
    });
    // Events are handled in order: once this later message is stored, the tombstone has been handled.
    const later = await t.say(IDS.maya, 'never mind', { channel: IDS.general });
    await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.general, later))).toBeDefined());
    expect(await t.repos.messages.get(t.community, t.id(IDS.help, root))).toBeUndefined();
    expect(await t.repos.messages.get(t.community, t.id(IDS.help, reply))).toBeDefined();
    const indexed = t.database.sqlite.prepare("SELECT count(*) FROM related_fts WHERE related_fts MATCH 'login'").pluck().get();
    expect(indexed).toBe(0);
  });

  it('reports private channel joins and leaves as membership', async () => {
    t = await slackHarness(mode);
    t.fake.channels.get(IDS.staff)!.members!.push(IDS.outsider);
    await t.event({ type: 'member_joined_channel', user: IDS.outsider, channel: IDS.staff, channel_type: 'G', team: t.fake.team.id });
    await t.eventually(async () => expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.outsider)).toBe(true));
    t.fake.channels.get(IDS.staff)!.members = [IDS.mod, IDS.maya];
    await t.event({ type: 'member_left_channel', user: IDS.outsider, channel: IDS.staff, channel_type: 'G', team: t.fake.team.id });
    await t.eventually(async () => expect(await t.repos.channels.canRead(t.community, IDS.staff, IDS.outsider)).toBe(false));
  });

  it('marks bot and own messages as bots and never answers them', async () => {
    t = await slackHarness(mode);
    const own = await t.say(t.fake.bot.userId, 'I am the companion', { bot_id: t.fake.bot.botId });
    const other = await t.say('U0OTHERBOT', 'beep', { subtype: 'bot_message', bot_id: 'B0OTHER' });
    await t.eventually(async () => {
      expect((await t.repos.messages.get(t.community, t.id(IDS.general, own)))?.isCompanion).toBe(true);
      expect((await t.repos.messages.get(t.community, t.id(IDS.general, other)))?.authorIsBot).toBe(true);
    });
  });

  it('/human: acknowledged, ephemeral ack to the requester, moderator ping with Claim / Resolve', async () => {
    t = await slackHarness(mode);
    const { responseId, ack } = await t.command(IDS.maya, 'human', 'my invoice is wrong');
    // The ack carries nothing: the answer comes after, through response_url.
    if (mode === 'socket') expect((ack as { payload?: object }).payload ?? {}).toEqual({});
    const response = await t.eventually(() => {
      const found = t.fake.responses.find((r) => r.id === responseId);
      expect(found).toBeDefined();
      return found!.body;
    });
    expect(response.response_type).toBe('ephemeral');
    expect(String(response.text)).toMatch(/asked the moderators to help you \(request #1\)/);

    const ping = t.fake.callsTo('chat.postMessage').find((m) => m.channel === IDS.mods)!;
    expect(ping).toBeDefined();
    expect(String(ping.text).startsWith(`<!subteam^${IDS.modGroup}> `)).toBe(true);
    // The requester is named, not pinged: the core lists no one in mentionUsers here.
    expect(ping.text).toContain('@maya asked for a human');
    expect(ping.text).not.toContain(`<@${IDS.maya}>`);
    expect(ping.text).toContain('*high* (billing)');
    const buttons = t.buttonsOf(ping as { blocks?: unknown[] });
    expect(buttons.map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      ['escalation:claim', '1', 'Claim'],
      ['escalation:resolve', '1', 'Resolve'],
    ]);
  });

  it('acknowledges an event only once it is handled (a process that dies first leaves it for Slack to send again)', async () => {
    t = await slackHarness(mode);
    // Every users.info call now stalls: the message cannot be handled until we release it.
    const release = t.fake.hold('users.info');
    let acknowledged = false;
    const delivered = t.say(IDS.maya, 'is anyone else seeing the login page hang?').then((ts) => ((acknowledged = true), ts));
    await t.eventually(() => expect(t!.fake.calls.some((c) => c.method === 'users.info')).toBe(true));
    expect(acknowledged).toBe(false);
    release();
    const ts = await delivered;
    expect(acknowledged).toBe(true);
    expect((await t.repos.messages.get(t.community, t.id(IDS.general, ts)))?.text).toContain('login page');
  });

  it('acknowledges a slash command once the request is stored (a process killed before leaves Slack to tell the member it failed)', async () => {
    // A deadline far off: only the stored request can acknowledge the command here.
    t = await slackHarness(mode, { acknowledgeWithinMs: 60_000 });
    // Every users.info call now stalls: the command cannot reach the core until we release it.
    const release = t.fake.hold('users.info');
    let acknowledged = false;
    const sent = t.command(IDS.maya, 'human', 'my card was charged twice').then((result) => ((acknowledged = true), result));
    await t.eventually(() => expect(t!.fake.calls.some((c) => c.method === 'users.info')).toBe(true));
    expect(acknowledged).toBe(false);
    expect(await t.repos.escalations.list(t.community, {})).toHaveLength(0);
    release();
    const { responseId } = await sent;
    expect(await t.repos.escalations.list(t.community, {})).toHaveLength(1);
    await t.eventually(() => expect(t!.fake.responses.find((r) => r.id === responseId)?.body.text).toMatch(/request #1/));
  });

  it.runIf(mode === 'socket')('answers a slash command whose acknowledgement could not be sent (the connection dropped meanwhile)', async () => {
    t = await slackHarness(mode, { acknowledgeWithinMs: 60_000 });
    const release = t.fake.hold('users.info');
    const reconnect = t.fake.hold('apps.connections.open'); // the app cannot reconnect yet
    void t.command(IDS.maya, 'human', 'my card was charged twice').catch(() => undefined); // never acknowledged
    await t.eventually(() => expect(t!.fake.calls.some((c) => c.method === 'users.info')).toBe(true));
    await t.fake.dropConnections();
    release();
    await t.eventually(() => expect(t!.fake.responses.some((r) => /request #1/.test(String(r.body.text)))).toBe(true));
    expect(await t.repos.escalations.list(t.community, {})).toHaveLength(1);
    reconnect();
  });

  it('acknowledges a slow slash command at the deadline, inside Slack\'s 3 seconds, and answers once done', async () => {
    t = await slackHarness(mode, { acknowledgeWithinMs: 20 });
    // Every users.info call now stalls: the command cannot finish until we release it.
    const release = t.fake.hold('users.info');
    const { responseId, ack } = await t.command(IDS.maya, 'human', 'slow day');
    expect(ack).toBeDefined();
    expect(t.fake.responses.find((r) => r.id === responseId)).toBeUndefined();
    expect(await t.repos.escalations.list(t.community, {})).toHaveLength(0);
    release();
    await t.eventually(() => expect(t!.fake.responses.find((r) => r.id === responseId)?.body.text).toMatch(/request #1/));
  });

  it('Claim by a moderator tells the requester and updates the ping in place; members cannot claim', async () => {
    t = await slackHarness(mode);
    await t.command(IDS.maya, 'human', 'my invoice is wrong', IDS.help);
    const ping = await t.eventually(() => {
      const found = t.fake.callsTo('chat.postMessage').find((m) => m.channel === IDS.mods);
      expect(found).toBeDefined();
      return found!;
    });
    const pingTs = await t.eventually(async () => {
      const post = await t.repos.companionPosts.get(t.community, 'escalation:1');
      expect(post).toBeDefined();
      expect(post!.messageId).toMatch(new RegExp(`^${IDS.mods}/\\d+\\.\\d+$`));
      return slackTs(post!.messageId);
    });
    const [claim] = t.buttonsOf(ping as { blocks?: unknown[] });

    await t.press(IDS.maya, claim, { channel: IDS.mods, ts: pingTs });
    await t.eventually(() => expect(t.fake.responses.some((r) => String(r.body.text).includes('Only moderators'))).toBe(true));

    await t.press(IDS.mod, claim, { channel: IDS.mods, ts: pingTs });
    const told = await t.eventually(() => {
      const found = t.fake.callsTo('chat.postEphemeral').find((m) => m.user === IDS.maya);
      expect(found).toBeDefined();
      return found!;
    });
    expect(told.channel).toBe(IDS.help);
    expect(told.text).toMatch(/@mod from the team has picked up your request/);
    const updated = await t.eventually(() => {
      const found = t.fake.callsTo('chat.update').find((m) => m.ts === pingTs);
      expect(found).toBeDefined();
      return found!;
    });
    expect(updated.text).toContain('Claimed by @mod');
    expect(t.buttonsOf(updated as { blocks?: unknown[] }).map((b) => b.action_id)).toEqual(['escalation:resolve']);
    expect((await t.repos.escalations.get(t.community, 1))?.status).toBe('claimed');
  });

  it('workspace owners count as moderators without being in the group', async () => {
    t = await slackHarness(mode);
    await t.command(IDS.maya, 'human', '', IDS.help);
    const pingTs = await t.eventually(async () => slackTs((await t.repos.companionPosts.get(t.community, 'escalation:1'))!.messageId));
    await t.press(IDS.owner, { action_id: 'escalation:resolve', value: '1' }, { channel: IDS.mods, ts: pingTs });
    await t.eventually(async () => expect((await t.repos.escalations.get(t.community, 1))?.status).toBe('resolved'));
  });

  it('"Ask a human about this" shortcut escalates the message it was used on', async () => {
    t = await slackHarness(mode);
    const ts = await t.say(IDS.maya, 'the export button does nothing', { channel: IDS.help });
    await t.eventually(async () => expect(await t.repos.messages.get(t.community, t.id(IDS.help, ts))).toBeDefined());
    await t.shortcut(IDS.maya, 'human', { channel: IDS.help, ts, user: IDS.maya, text: 'the export button does nothing' });
    const escalation = await t.eventually(async () => {
      const row = await t.repos.escalations.get(t.community, 1);
      expect(row).toBeDefined();
      return row!;
    });
    expect(escalation.messageId).toBe(t.id(IDS.help, ts));
    expect(escalation.source).toBe('action');
    await t.eventually(() => expect(t.fake.callsTo('chat.getPermalink').some((c) => c.message_ts === ts)).toBe(true));
  });

  it('member text with <!channel> never reaches chat.postMessage as a live mention', async () => {
    t = await slackHarness(mode);
    await t.command(IDS.maya, 'human', '<!channel> <!here> <!everyone> <!subteam^S0OTHER|@devs> help me & <b>now</b>');
    const ping = await t.eventually(() => {
      const found = t.fake.callsTo('chat.postMessage').find((m) => m.channel === IDS.mods);
      expect(found).toBeDefined();
      return found!;
    });
    for (const posted of t.fake.posted()) {
      const wire = JSON.stringify([posted.text, posted.blocks ?? []]);
      expect(wire).not.toMatch(/<!(channel|here|everyone)/);
      expect(wire).not.toContain('<!subteam^S0OTHER');
    }
    expect(ping.text).toContain('help me &amp; &lt;b&gt;now&lt;/b&gt;');
    // The only group mention is the configured moderator group, at the start of the ping.
    expect(String(ping.text).match(/<!subteam\^[A-Z0-9]+>/g)).toEqual([`<!subteam^${IDS.modGroup}>`]);
  });

  it('"same here" acknowledgement is posted once in the thread, then updated in place with chat.update', async () => {
    t = await slackHarness(mode);
    const question = await t.say(IDS.maya, 'Is the dashboard blank for anyone else since this morning?', { channel: IDS.help });
    await t.say(IDS.owner, 'same here', { channel: IDS.help, thread_ts: question });
    const ack = await t.eventually(() => {
      const found = t.fake.callsTo('chat.postMessage').find((m) => m.thread_ts === question && /not alone/i.test(String(m.text)));
      expect(found).toBeDefined();
      return found!;
    });
    expect(String(ack.text)).toMatch(/1 member/);
    await t.say(IDS.outsider, 'me too', { channel: IDS.help, thread_ts: question });
    const update = await t.eventually(() => {
      const found = t.fake.callsTo('chat.update').find((m) => /2 members have the same experience/.test(String(m.text)));
      expect(found).toBeDefined();
      return found!;
    });
    expect(update.channel).toBe(IDS.help);
    // One acknowledgement only: the second "me too" edited it instead of posting again.
    expect(t.fake.callsTo('chat.postMessage').filter((m) => /not alone/i.test(String(m.text)))).toHaveLength(1);
  });

  it('App Home: members see how to reach a human; moderators get the pulse section', async () => {
    t = await slackHarness(mode);
    await t.event({ type: 'app_home_opened', user: IDS.maya, channel: 'D0MAYA', tab: 'home' });
    const home = await t.eventually(() => {
      const found = t.fake.views.find((v) => v.user_id === IDS.maya);
      expect(found).toBeDefined();
      return JSON.stringify(found);
    });
    expect(home).toContain('/human');
    expect(home).not.toContain('Community pulse');
    await t.event({ type: 'app_home_opened', user: IDS.mod, channel: 'D0MOD', tab: 'home' });
    const modHome = await t.eventually(() => {
      const found = t.fake.views.find((v) => v.user_id === IDS.mod);
      expect(found).toBeDefined();
      return JSON.stringify(found);
    });
    expect(modHome).toContain('Community pulse');
  });
});

describe('Slack HTTP receiver', () => {
  let t: SlackHarness;
  afterEach(async () => {
    await t?.close();
  });

  it('rejects a bad signature and a stale timestamp with 401, and acts on neither', async () => {
    const { signedPost } = await import('../fakes/slack/signing');
    t = await slackHarness('http');
    const body = new URLSearchParams({ command: '/human', text: 'x', user_id: IDS.maya, team_id: t.fake.team.id, channel_id: IDS.general, response_url: t.fake.responseUrl(), trigger_id: 't' }).toString();
    const form = 'application/x-www-form-urlencoded' as const;
    const forged = await signedPost(t.eventsUrl, body, form, { secret: 'wrong-secret' });
    expect(forged.status).toBe(401);
    const stale = await signedPost(t.eventsUrl, body, form, { secret: 'test-signing-secret', timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    // A correctly signed request on the same server is accepted: the 401s were about the signatures.
    const good = await signedPost(t.eventsUrl, body, form, { secret: 'test-signing-secret' });
    expect(good.status).toBe(200);
    const [only] = await t.eventually(async () => {
      const rows = await t.repos.escalations.list(t.community, {});
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(only.requestCount).toBe(1); // the rejected requests were never merged into it
  });

  it('answers /healthz', async () => {
    t = await slackHarness('http');
    const response = await fetch(t.eventsUrl.replace('/slack/events', '/healthz'));
    expect(response.status).toBe(200);
  });
});
