import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { createRepositories } from '../../src/db/repositories';
import { spawnShell } from '../helpers/spawn-shell';
import { tempDir } from '../helpers/temp-dir';

describe('durability of the real process', () => {
  it('SIGKILL after an acknowledged escalation loses nothing, and the follow-up resumes on restart', async () => {
    const db = join(tempDir('hearth-kill-'), 'hearth.db');
    const first = spawnShell(db);
    first.send(':join maya');
    first.send('/human my account was charged twice');
    await first.waitFor(/only @maya sees this\) Hearth: I've asked the moderators/);
    first.send('a message that may or may not be processed before the kill');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const check = openDatabase(db);
    const [escalation] = await createRepositories(check).escalations.list('shell:local');
    check.close();
    expect(escalation).toMatchObject({ requesterId: 'maya', status: 'open', reason: 'my account was charged twice' });

    const second = spawnShell(db);
    second.send(':advance 11m');
    const reping = await second.waitFor(/Still unclaimed/);
    expect(reping).toContain('@maya asked for a human (request #1');
    second.child.stdin.end();
    expect((await second.exited).code).toBe(0);
  });

  it('SIGTERM shuts the shell down cleanly with exit code 0', async () => {
    const db = join(tempDir('hearth-term-'), 'hearth.db');
    const shell = spawnShell(db);
    shell.send(':join maya');
    await shell.waitFor(/Welcome to local, @maya/);
    shell.child.kill('SIGTERM');
    expect(await shell.exited).toEqual({ code: 0, signal: null });
    // The database closed cleanly: it opens and holds the member.
    const check = openDatabase(db);
    expect(await createRepositories(check).members.get('shell:local', 'maya')).toBeTruthy();
    check.close();
  });
});
