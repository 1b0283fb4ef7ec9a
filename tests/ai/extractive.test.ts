import { describe, expect, it } from 'vitest';
import { languageName, summaryCount } from '../../src/core/features/assist';
import { extractiveSummary, findResolution, summarySize } from '../../src/core/summary/extractive';

const msg = (id: string, authorId: string, text: string, replyTo?: string) => ({ id, authorId, text, replyTo, createdAt: Number(id.slice(1)) });

describe('the extractive summary (offline)', () => {
  it('prefers the question, the thanked answer and replied-to posts over chatter and same-heres', () => {
    const messages = [
      msg('m1', 'maya', 'Our nightly backup job fails with error 137 since the upgrade, how do I fix it?'),
      msg('m2', 'leo', 'same here'),
      msg('m3', 'zoe', 'lol'),
      msg('m4', 'sam', 'Exit 137 is the OOM killer: raise the memory limit to 2 GB in backup.yml', 'm1'),
      msg('m5', 'maya', 'thanks, that worked!', 'm4'),
      msg('m6', 'ann', 'anyone watching the game tonight'),
      msg('m7', 'bob', 'I think the limit was 1 GB by default before the upgrade, so the upgrade made the job heavier', 'm4'),
    ];
    expect(extractiveSummary(messages, 3)).toEqual([0, 3, 6]);
  });

  it('is deterministic, ordered by conversation, and never empty for a non-empty conversation', () => {
    const chatter = [msg('m1', 'a', 'ok'), msg('m2', 'b', 'lol'), msg('m3', 'c', 'yes')];
    expect(extractiveSummary(chatter)).toEqual([0, 1, 2]);
    expect(extractiveSummary([])).toEqual([]);
    expect(summarySize(5)).toBe(3);
    expect(summarySize(200)).toBe(7);
  });
});

describe('the resolution of a discussion', () => {
  it('is the latest report that something worked: a described fix itself, a bare thank-you the message it answers', () => {
    const described = [
      msg('m1', 'maya', 'Our API times out under load, any idea?'),
      msg('m2', 'sam', 'Try a bigger database pool'),
      msg('m3', 'maya', 'moving the work to a queue fixed it!'),
      msg('m4', 'sam', 'nice'),
    ];
    expect(findResolution(described)).toEqual({ index: 2 });
    const thanked = [msg('m1', 'maya', 'How do I export to CSV?'), msg('m2', 'sam', 'Settings, Data, Export'), msg('m3', 'maya', 'thanks sam, that worked!')];
    expect(findResolution(thanked)).toEqual({ index: 1, confirmedBy: 2 });
    const reply = [msg('m1', 'maya', 'How?'), msg('m2', 'sam', 'Restart the worker'), msg('m3', 'ann', 'unrelated'), msg('m4', 'maya', 'that did the trick, thank you so much', 'm2')];
    expect(findResolution(reply)).toEqual({ index: 1, confirmedBy: 3 });
  });

  it('is not a question, a negation or a hope', () => {
    for (const text of ['did restarting the worker fix it for anyone? solved?', "restarting the worker didn't fix it", 'still not working after the fix was applied', 'the upgrade has not solved anything']) {
      expect(findResolution([msg('m1', 'maya', 'It fails'), msg('m2', 'sam', text)]), text).toBeUndefined();
    }
  });
});

describe('command option helpers', () => {
  it('summarize count: default 30, clamped to 1..200', () => {
    expect([summaryCount(undefined), summaryCount(5), summaryCount(500), summaryCount(0), summaryCount('abc'), summaryCount('12')]).toEqual([30, 5, 200, 1, 30, 12]);
  });

  it('language names from codes; names kept', () => {
    expect([languageName('fr'), languageName('pt-BR'), languageName('Deutsch'), languageName('xx')]).toEqual(['French', 'Brazilian Portuguese', 'Deutsch', undefined]);
  });
});
