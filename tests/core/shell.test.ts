import { runShellScript } from '../helpers/shell-script';
import { describe, expect, it } from 'vitest';
import { parseShellLine } from '../../src/platforms/shell/protocol';

const script = (lines: string[]) => runShellScript(lines);

describe('shell community', () => {
  it('welcomes a newcomer and keeps what they say', async () => {
    const out = await script([':join maya', ':as maya', 'hello everyone']);
    expect(out[0]).toMatch(/^\[#general\] Hearth: Welcome to local, @maya!/);
  });

  it('/human shows the ack and the moderator ping; :advance 11m shows the re-ping', async () => {
    const out = await script([':join maya', '/human my invoice is wrong', ':advance 11m']);
    const text = out.join('\n');
    expect(text).toMatch(/\[#moderators\] Hearth: @moderators @maya asked for a human/);
    expect(text).toMatch(/\(only @maya sees this\) Hearth: I've asked the moderators/);
    expect(text).toMatch(/Still unclaimed/);
  });

  it('three members saying "same here" to a question produce one acknowledgement whose count rises to 3', async () => {
    const out = await script([':as maya', 'Is the login page broken for anyone else?', ':as sam', 'same here', ':as lee', 'me too', ':as ana', ':reply +1']);
    const acks = out.filter((line) => /You're not alone/.test(line));
    expect(acks).toHaveLength(3);
    expect(acks[0]).toMatch(/^\[#general\] \(reply to \S+\) Hearth: You're not alone, @maya: 1 member has the same experience\.$/);
    expect(acks[1]).toMatch(/^\[#general\] \(edited (\S+)\) Hearth: You're not alone, @maya: 2 members have the same experience\.$/);
    expect(acks[2]).toMatch(/^\[#general\] \(edited (\S+)\) Hearth: You're not alone, @maya: 3 members have the same experience\.$/);
    // Both edits are of the same message.
    expect(acks[1].match(/edited (\S+)\)/)![1]).toBe(acks[2].match(/edited (\S+)\)/)![1]);
  });

  it('reports bad lines and keeps going', async () => {
    const out = await script([':advance soon', ':bogus', ':in #staff private', 'still here']);
    expect(out[0]).toMatch(/^! :advance: invalid duration/);
    expect(out[1]).toMatch(/unknown shell command ":bogus"/);
  });

  it('parses the line protocol', () => {
    expect(parseShellLine(':join maya')).toEqual({ kind: 'join', name: 'maya' });
    expect(parseShellLine(':in staff private')).toEqual({ kind: 'in', channel: 'staff', private: true });
    expect(parseShellLine(':advance 15m')).toEqual({ kind: 'advance', ms: 900_000 });
    expect(parseShellLine('/human my invoice')).toEqual({ kind: 'command', name: 'human', args: 'my invoice' });
    expect(parseShellLine(':tada: we shipped')).toEqual({ kind: 'message', text: ':tada: we shipped' });
    expect(parseShellLine('')).toEqual({ kind: 'empty' });
  });
});
