import { runShellScript } from '../helpers/shell-script';
import { describe, expect, it } from 'vitest';

const script = (lines: string[]) => runShellScript(lines);

describe('welcome in the shell community', () => {
  it(':join shows the welcome and the welcomer ping; :advance 31m after an unanswered first question shows the nudge', async () => {
    const out = await script([':as sam', '/welcomer on', ':join maya', 'How do I export my data?', ':advance 31m']);
    expect(out[0]).toMatch(/^\[#general\] \(only @sam sees this\) Hearth: Thank you! You’re on the welcome crew/);
    expect(out[1]).toMatch(/^\[#general\] Hearth: Welcome to local, @maya!/);
    expect(out[2]).toMatch(/^\[dm @sam\] Hearth: @maya just joined local\. Could you greet them personally\?/);
    expect(out.find((l) => l.startsWith('[dm @sam] Hearth: First time @maya has posted — say hello!'))).toBeDefined();
    const advanced = out.findIndex((l) => l.startsWith('(time is now'));
    expect(advanced).toBeGreaterThan(2);
    expect(out.slice(advanced + 1).join('\n')).toMatch(/^\[dm @sam\] Hearth: @maya’s first question has had no answer from a person for 31 minutes\./);
  });

  it('no nudge when someone answered in time', async () => {
    const out = await script([':as sam', '/welcomer on', ':join maya', 'How do I export my data?', ':as lee', ':reply Settings > Export, welcome!', ':advance 31m']);
    expect(out.join('\n')).not.toMatch(/first question has had no answer/);
  });
});
