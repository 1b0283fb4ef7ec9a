import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock';
import { inferParent, ReplyLinker, type ThreadMessage } from '../../src/core/threads';

/** A channel story: `say(author, text)` appends a message one minute (or `gap`) after the last. */
function story() {
  const messages: ThreadMessage[] = [];
  let at = Date.UTC(2026, 0, 5, 9, 0);
  return {
    messages,
    say(author: string, text: string, extra: Partial<ThreadMessage> & { gap?: number } = {}): ThreadMessage {
      const { gap = MINUTE, ...rest } = extra;
      at += gap;
      const message: ThreadMessage = { id: `m${messages.length + 1}`, author, text, at, ...rest };
      messages.push(message);
      return message;
    },
    /** Link every message in order, as the CLI does. */
    links(): Record<string, string | null> {
      const linker = new ReplyLinker();
      return Object.fromEntries(messages.map((m) => [m.id, linker.link('general', m)]));
    },
  };
}

describe('reply inference', () => {
  it('an explicit reply wins over everything else', () => {
    const s = story();
    s.say('alice', 'how do I export my data?');
    s.say('bob', 'what is the upload limit?');
    const reply = s.say('carol', 'bob: it is 10 MB', { replyTo: 'm1' });
    expect(inferParent(reply, s.messages.slice(0, 2))).toBe('m1');
  });

  it('links "alice: ..." and "@alice" to alice\'s latest message, not the one just before', () => {
    const s = story();
    s.say('alice', 'my build fails with a missing libssl');
    s.say('dan', 'anyone tried the new release?');
    s.say('bob', 'alice: try installing libssl-dev');
    s.say('erin', 'morning all');
    s.say('carol', '@alice the docs have a page on it');
    s.say('frank', 'Alice, did that work?');
    expect(s.links()).toMatchObject({ m3: 'm1', m5: 'm1', m6: 'm1' });
  });

  it('a bare name as first word addresses that person too ("alice try ...")', () => {
    const s = story();
    s.say('alice', 'my wifi drops every hour');
    s.say('dan', 'is the mirror down?');
    s.say('bob', 'alice try disabling power saving');
    s.say('erin', 'the weather is nice');
    expect(s.links()).toMatchObject({ m3: 'm1', m4: null });
  });

  it('a short "thanks sam" goes to sam', () => {
    const s = story();
    s.say('ana', 'how do I enable dark mode?');
    s.say('sam', 'Appearance > Theme, then toggle it');
    s.say('lee', 'anyone up for a game tonight?');
    s.say('kim', 'count me in');
    s.say('ana', 'thanks sam');
    expect(s.links().m5).toBe('m2');
  });

  it('a greeting followed by the real question: the question starts the conversation', () => {
    const s = story();
    s.say('ana', 'hi all');
    s.say('ben', 'sure, that works');
    s.say('ana', 'does anyone know how to mount an ntfs drive?');
    expect(s.links().m3).toBeNull();
  });

  it('follows a question and answer exchange between two people across other chatter', () => {
    const s = story();
    s.say('maya', 'how do I reset my password?');
    s.say('sam', 'maya: Settings > Account > Reset');
    s.say('lee', 'is the meetup still on friday?');
    s.say('maya', 'found it, thanks!');
    s.say('sam', 'great');
    expect(s.links()).toEqual({ m1: null, m2: 'm1', m3: null, m4: 'm2', m5: 'm4' });
  });

  it('an unaddressed answer links to the open question it shares words with', () => {
    const s = story();
    s.say('ana', 'which editor handles huge csv files well?');
    s.say('ben', 'I love this channel');
    s.say('cat', 'for huge csv files I use visidata');
    expect(s.links().m3).toBe('m1');
  });

  it('a continuation links to the author\'s own previous line', () => {
    const s = story();
    s.say('ana', 'my laptop keeps spinning down the disk');
    s.say('ben', 'hello everyone');
    s.say('ana', 'it happens after a second of inactivity');
    expect(s.links().m3).toBe('m1');
  });

  it('join and system lines never get a parent and are never a parent', () => {
    const s = story();
    s.say('alice', 'anyone around to help with docker?');
    s.say('bob', 'bob has joined', { kind: 'join' });
    s.say('system', 'topic changed', { kind: 'system' });
    s.say('bob', 'alice: sure, what is up?');
    expect(s.links()).toEqual({ m1: null, m2: null, m3: null, m4: 'm1' });
  });

  it('a long silence starts a new conversation', () => {
    const s = story();
    s.say('alice', 'my printer is offline');
    s.say('bob', 'did you restart it?');
    s.say('bob', 'what printer is it?', { gap: 3 * 60 * MINUTE });
    expect(s.links().m3).toBeNull();
  });

  it('keeps inside a thread, falling back to its root', () => {
    const s = story();
    s.say('alice', 'release planning');
    s.say('bob', 'unrelated chat in the channel');
    const inThread = s.say('carol', 'I can take the changelog', { threadId: 'm1' });
    expect(inferParent(inThread, s.messages.slice(0, 2))).toBe('m1');
  });

  it('a bot answers the command that called it', () => {
    const s = story();
    s.say('ana', 'how do I install codecs?');
    s.say('ben', '!codecs | ana');
    s.say('factbot', 'ana: see the restricted formats page', { authorIsBot: true });
    expect(s.links()).toMatchObject({ m2: 'm1', m3: 'm2' });
  });

  it('survives hostile text and looks at a bounded window', () => {
    const s = story();
    s.say('x', '@everyone <@&123> ' + 'ä'.repeat(100_000));
    for (let i = 0; i < 300; i++) s.say(`u${i % 7}`, `line ${i} \u202e\u0000 ?`, { gap: 1000 });
    const started = performance.now();
    const links = s.links();
    expect(Object.keys(links)).toHaveLength(301);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
