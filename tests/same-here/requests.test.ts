import { describe, expect, it } from 'vitest';
import { recognizeSameHere } from '../../src/core/samehere/recognize';
import { harness } from '../helpers/harness';

describe('same-here: "add me too" is a request, not a report', () => {
  it.each(['please add me too', 'Could you add me too', 'can you invite me too', 'ping me too', 'count me too'])('%s', (text) => {
    expect(recognizeSameHere(text).sameHere).toBe(false);
  });

  it.each(['oh no, me too', 'ugh me too', 'yeah me too', "it's happening to me too", 'the login broke for me too'])('still a same-here: %s', (text) => {
    expect(recognizeSameHere(text).sameHere).toBe(true);
  });

  it('answering a sign-up question with "please add me too" tells nobody they are "not alone"', async () => {
    const t = harness({ settings: { humanFirstClasses: [] } });
    const q = await t.say('maya', 'Who wants early access to the beta? I can add a few people');
    await t.say('sam', 'please add me too');
    expect(await t.repos.sameHere.count(t.community, q)).toBe(0);
    expect(t.platform.calls.filter((c) => 'message' in c && /not alone/.test(c.message.text))).toHaveLength(0);
  });
});
