import { runShellScript } from '../helpers/shell-script';
import { describe, expect, it } from 'vitest';

const script = async (lines: string[]) => (await runShellScript(lines)).join('\n') + '\n';

describe('the human path in the shell', () => {
  it('/human my invoice is wrong shows the ack and the moderator ping; :advance 11m shows the re-ping', async () => {
    const out = await script([':join maya', '/human my invoice is wrong', ':advance 11m']);
    expect(out).toMatch(/\[#moderators\] Hearth: @moderators @maya asked for a human \(request #1, command\)\./);
    expect(out).toMatch(/Stakes: \*\*high\*\* \(billing\)/);
    expect(out).toMatch(/Reason: “my invoice is wrong”/);
    expect(out).toMatch(/\(only @maya sees this\) Hearth: I've asked the moderators to help you \(request #1\)/);
    const reping = out.slice(out.indexOf('(time is now'));
    expect(reping).toMatch(/Still unclaimed:.*@maya asked for a human \(request #1, command\)/);
    expect(reping.match(/Still unclaimed/g)).toHaveLength(1);
  });

  it('a typed request and /resolve with a note work end to end', async () => {
    const out = await script([':join maya', 'can I talk to a real person?', ':as mod', '/resolve 1 sorted in DMs']);
    expect(out).toMatch(/\(only @maya sees this\) Hearth: I've asked the moderators to help you \(request #1\)/);
    expect(out).toMatch(/asked for a human \(request #1, typed\)/);
    expect(out).toMatch(/Request #1 is resolved with your note\./);
  });
});
