import { describe, expect, it } from 'vitest';
import { HOUR } from '../../src/core/clock';
import { renderWelcome } from '../../src/core/features/welcome';
import { harness, type Harness } from '../helpers/harness';

async function crew(t: Harness, ...names: string[]) {
  for (const name of names) expect((await t.command(name, 'welcomer', { state: 'on' })).text).toMatch(/on the welcome crew/);
}

/** Who was asked (by DM) to greet whom, in order. */
function asks(t: Harness): { welcomer: string; newcomer: string }[] {
  return t.platform.of('dm').flatMap((c) => {
    const m = c.message.text.match(/^<@([^>]+)> just joined/);
    return m ? [{ welcomer: c.memberId, newcomer: m[1] }] : [];
  });
}

describe('welcome on join', () => {
  it('posts a personal welcome in the welcome channel, pinging only the newcomer', async () => {
    const t = harness();
    await t.join('maya');
    const [post] = t.platform.of('post');
    expect(post.channelId).toBe('general');
    expect(post.message.text).toMatch(/^Welcome to Test Community, <@maya>!/);
    expect(post.message.text).toMatch(/`\/human`/);
    expect(post.message.text).toMatch(/`\/care-policy`/);
    expect(post.message.mentionUsers).toEqual(['maya']);
  });

  it('welcomes by DM when configured, and in the configured channel otherwise', async () => {
    const t = harness();
    await t.command('mod', 'hearth-config', { setting: 'welcomeMode', value: 'dm' });
    await t.join('maya');
    expect(t.platform.of('dm').map((c) => c.memberId)).toEqual(['maya']);
    expect(t.platform.of('post')).toHaveLength(0);

    await t.command('mod', 'hearth-config', { setting: 'welcomeMode', value: 'channel' });
    await t.command('mod', 'hearth-config', { setting: 'welcomeChannel', value: '<#lobby>' });
    await t.join('noor');
    expect(t.platform.of('post').map((c) => c.channelId)).toEqual(['lobby']);
  });

  it('uses the community template, keeps /human and the care policy, and never lets it mass-ping', async () => {
    const t = harness();
    await t.command('mod', 'hearth-config', { setting: 'welcomeTemplate', value: 'Hey {name}, @everyone say hi! <@&42>' });
    await t.join('maya');
    const text = t.platform.of('post')[0].message.text;
    expect(text).toMatch(/^Hey <@maya>, @\u200beveryone say hi! @\u200brole/);
    expect(text).toMatch(/`\/human`/);
    expect(text).toMatch(/`\/care-policy`/);
    expect(renderWelcome('Hi {name} from {community} {unknown}', 'x', '@here folks')).toMatch(/^Hi <@x> from @\u200bhere folks \{unknown\}/);
  });

  it('welcomes a member once: leaving and re-joining does not make them new again', async () => {
    const t = harness();
    await crew(t, 'sam', 'lee');
    await t.join('maya');
    t.clock.advance(3 * 24 * HOUR);
    await t.join('maya'); // left and came back (a new join time)
    expect(t.platform.of('post').filter((c) => c.message.text.includes('<@maya>'))).toHaveLength(1);
    expect(asks(t).map((a) => a.newcomer)).toEqual(['maya']); // one welcomer asked, once
  });

  it('welcomes by DM when the welcome channel is one the newcomer cannot read', async () => {
    const t = harness();
    await t.say('mod', 'staff only', { channel: t.channel('staff', { visibility: 'private', memberIds: ['mod'] }) });
    await t.command('mod', 'hearth-config', { setting: 'welcomeChannel', value: '<#staff>' });
    t.platform.clear();
    await t.join('maya');
    expect(t.platform.of('post').filter((c) => c.channelId === 'staff')).toHaveLength(0);
    expect(t.platform.of('dm').map((c) => c.memberId)).toEqual(['maya']);
    expect(t.platform.of('dm')[0].message.text).toMatch(/^Welcome to Test Community, <@maya>!/);
  });

  it('welcomes once when two processes on one database receive the same join at once', async () => {
    const a = harness();
    const b = harness({ database: a.database, clock: a.clock });
    await crew(a, 'sam', 'lee');
    await Promise.all([a.join('maya'), b.join('maya')]);
    const welcomes = [...a.platform.of('post'), ...b.platform.of('post')].filter((c) => c.message.text.includes('<@maya>'));
    expect(welcomes).toHaveLength(1);
    expect([...asks(a), ...asks(b)]).toHaveLength(1);
  });

  it('never welcomes a bot', async () => {
    const t = harness();
    await crew(t, 'sam');
    t.bots.add('helperbot');
    await t.join('helperbot');
    expect(t.platform.calls).toHaveLength(0);
  });
});

describe('the welcome crew', () => {
  it('asks exactly one welcomer to greet each newcomer, by DM, pinging only them', async () => {
    const t = harness();
    await crew(t, 'sam', 'lee');
    await t.join('maya');
    const dms = t.platform.of('dm');
    expect(dms).toHaveLength(1);
    expect(dms[0].message.text).toMatch(/^<@maya> just joined Test Community\. Could you greet them personally\?/);
    expect(dms[0].message.text).toMatch(/\[Say hello under the welcome\]\(https:\/\/chat\.test\/general\/out1\)/);
    expect(dms[0].message.mentionUsers).toEqual([dms[0].memberId]);
  });

  it('rotates fairly over several joins', async () => {
    const t = harness();
    await crew(t, 'cat', 'ana', 'ben');
    for (const newcomer of ['n1', 'n2', 'n3', 'n4', 'n5']) {
      await t.join(newcomer);
      t.clock.advance(t.minutes(5));
    }
    expect(asks(t)).toEqual([
      { welcomer: 'ana', newcomer: 'n1' },
      { welcomer: 'ben', newcomer: 'n2' },
      { welcomer: 'cat', newcomer: 'n3' },
      { welcomer: 'ana', newcomer: 'n4' },
      { welcomer: 'ben', newcomer: 'n5' },
    ]);
  });

  it('skips a welcomer carrying a lot lately (many care signals), and asks them again once it eases', async () => {
    const t = harness();
    await crew(t, 'ana', 'ben');
    for (let i = 0; i < 12; i++) {
      await t.repos.signals.record(t.community, { kind: 'helped', actorId: 'ana', subjectId: `p${i}`, at: t.clock.now() - HOUR });
    }
    expect((await t.core.features.welcome.crew.load(t.community, 'ana')).busy).toBe(true);
    await t.join('n1');
    t.clock.advance(t.minutes(5));
    await t.join('n2');
    expect(asks(t).map((a) => a.welcomer)).toEqual(['ben', 'ben']);

    t.clock.advance(3 * 24 * HOUR);
    await t.join('n3');
    expect(asks(t).map((a) => a.welcomer)).toEqual(['ben', 'ben', 'ana']);
  });

  it('asks nobody more than three times a day, and nobody at all when the whole crew is busy', async () => {
    const t = harness();
    await crew(t, 'ana');
    for (const newcomer of ['n1', 'n2', 'n3', 'n4']) {
      await t.join(newcomer);
      t.clock.advance(t.minutes(10));
    }
    expect(asks(t).map((a) => a.newcomer)).toEqual(['n1', 'n2', 'n3']);
    expect(t.platform.of('post')).toHaveLength(4); // every newcomer is still welcomed
    t.clock.advance(24 * HOUR);
    await t.join('n5');
    expect(asks(t).map((a) => a.newcomer)).toEqual(['n1', 'n2', 'n3', 'n5']);
  });

  it('never asks a newcomer to greet themself, nor someone who stepped back', async () => {
    const t = harness();
    await crew(t, 'ana', 'ben');
    expect((await t.command('ana', 'welcomer', { state: 'off' })).text).toMatch(/stepped back/);
    await t.join('ben'); // a welcomer re-joining
    expect(asks(t)).toEqual([]);
  });

  it('pings the welcomer in the crew channel when one is set', async () => {
    const t = harness();
    await crew(t, 'sam');
    await t.command('mod', 'hearth-config', { setting: 'welcomeCrewChannel', value: '#welcome-team' });
    await t.join('maya');
    const crewPost = t.platform.of('post').find((c) => c.channelId === 'welcome-team');
    expect(crewPost?.message.text).toMatch(/^<@sam> <@maya> just joined/);
    expect(crewPost?.message.mentionUsers).toEqual(['sam']);
  });

  it('still asks a welcomer when the welcome itself could not be posted', async () => {
    const t = harness();
    await crew(t, 'sam');
    t.platform.failNext.post = 1;
    await t.join('maya');
    expect(asks(t)).toEqual([{ welcomer: 'sam', newcomer: 'maya' }]);
    // ...and is told the truth: there is no welcome to reply under, and none went by DM.
    const ask = t.platform.of('dm')[0].message.text;
    expect(ask).not.toMatch(/welcomed by direct message|under the welcome/);
    expect(ask).toMatch(/could not post their welcome/);
  });

  it('/welcomer shows, turns on and off, and rejects anything else', async () => {
    const t = harness();
    expect((await t.command('sam', 'welcomer', {})).text).toMatch(/not on the welcome crew \(0 members are\)/);
    expect((await t.command('sam', 'welcomer', { state: 'ON' })).text).toMatch(/^Thank you! You’re on the welcome crew \(1 member\)/);
    expect((await t.repos.members.get(t.community, 'sam'))?.welcomer).toBe(true);
    expect((await t.command('sam', 'welcomer', { state: 'maybe' })).text).toMatch(/Use `\/welcomer on` or `\/welcomer off`/);
    expect((await t.command('sam', 'welcomer', { state: 'off' })).text).toMatch(/stepped back/);
    expect((await t.repos.members.get(t.community, 'sam'))?.welcomer).toBe(false);
  });
});

describe('first post', () => {
  it('tells the newcomer’s welcomer the first time they post, and only then', async () => {
    const t = harness();
    await crew(t, 'sam');
    await t.join('maya');
    t.platform.clear();
    const first = await t.say('maya', 'hello everyone, I build synths');
    await t.say('maya', 'also I like tea');
    const dms = t.platform.of('dm');
    expect(dms).toHaveLength(1);
    expect(dms[0].memberId).toBe('sam');
    expect(dms[0].message.text).toBe(`First time <@maya> has posted — say hello! “hello everyone, I build synths” [Open the message](https://chat.test/general/${first})`);
  });

  it('does not quote or link a first post from a private channel', async () => {
    const t = harness();
    await crew(t, 'sam');
    await t.join('maya');
    t.platform.clear();
    await t.say('maya', 'secret hello', { channel: t.channel('staff', { visibility: 'private', memberIds: ['maya'] }) });
    expect(t.platform.of('dm')[0].message.text).toBe('First time <@maya> has posted — say hello!');
  });

  it('ignores members whose join it never saw (installed into an existing community)', async () => {
    const t = harness();
    await crew(t, 'sam');
    await t.say('oldtimer', 'how do I reset my password?');
    await t.advance(t.minutes(60));
    expect(t.platform.calls).toHaveLength(0);
  });
});
