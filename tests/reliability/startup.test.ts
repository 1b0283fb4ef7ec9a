/**
 * Start-up failures of the real process (`npm start`): a platform that cannot start, or an
 * operations port that is taken, must end the process with a clear message and exit code 1,
 * not leave the platforms that did start running behind a stack trace.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { FakeDiscord } from '../fakes/discord/server';
import { tempDir } from '../helpers/temp-dir';

const root = resolve(import.meta.dirname, '../..');

const GUILD = {
  id: '100000000000000001',
  name: 'G',
  owner_id: '130000000000000001',
  channels: [{ id: '110000000000000001', type: 0, name: 'general' }],
  roles: [{ id: '100000000000000001', name: '@everyone', permissions: '0' }],
  members: [],
};

/** Runs `src/main.ts` with `env` until it exits on its own; a hung process fails the test. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dir = tempDir('hearth-startup-');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEARTH_DB_PATH: join(dir, 'hearth.db'), HEARTH_LOG_LEVEL: 'info', HEARTH_DASHBOARD_PORT: '0', ...env },
    stdio: 'pipe',
  });
  child.stdin.end(); // stdin closed, as under systemd or `docker run` without -i
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  // A safety net against a process that never exits (the defect), not a timing assumption.
  const code = await Promise.race([exited, new Promise<'hung'>((done) => setTimeout(() => done('hung'), 20_000).unref())]);
  if (code === 'hung') throw new Error(`the process was still running after a failed start; stderr:\n${stderr}`);
  return { code, stderr };
}

describe('a failed start-up', () => {
  it('Discord plus a half-configured Slack exits 1 naming the missing setting (Discord is stopped again)', async () => {
    const fake = await FakeDiscord.start({ guilds: [GUILD] });
    onTestFinished(() => fake.close());
    const { code, stderr } = await runUntilExit({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-only-the-bot-token', // Socket Mode also needs SLACK_APP_TOKEN
    });
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_APP_TOKEN');
    expect(stderr).not.toContain('    at '); // a clear message, not a stack trace
  }, 30_000);

  it('a metrics port already in use exits 1 naming HEARTH_METRICS_PORT', async () => {
    const fake = await FakeDiscord.start({ guilds: [GUILD] });
    onTestFinished(() => fake.close());
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', () => done()));
    onTestFinished(() => new Promise<void>((done) => blocker.close(() => done())));
    const port = (blocker.address() as AddressInfo).port;
    const { code, stderr } = await runUntilExit({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      HEARTH_METRICS_PORT: String(port),
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`HEARTH_METRICS_PORT: port ${port} is already in use`);
    expect(stderr).not.toContain('    at ');
  }, 30_000);
});

describe('a bad HEARTH_PLATFORMS', () => {
  it('is a one-line configuration error with exit code 1, not a stack trace', async () => {
    const { code, stderr } = await runUntilExit({ HEARTH_PLATFORMS: 'discrod' });
    expect(code).toBe(1);
    expect(stderr).toContain('HEARTH_PLATFORMS: unknown platform discrod');
    expect(stderr).not.toContain('    at ');
  }, 30_000);
});

describe('a token pasted with a trailing newline', () => {
  it('still connects (instead of "invalid Authorization header" and exit 1)', async () => {
    const fake = await FakeDiscord.start({ guilds: [GUILD] });
    onTestFinished(() => fake.close());
    const dir = tempDir('hearth-startup-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEARTH_DB_PATH: join(dir, 'hearth.db'), HEARTH_LOG_LEVEL: 'info', HEARTH_DASHBOARD_PORT: '0', DISCORD_TOKEN: `${fake.token}\n`, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl },
      stdio: 'pipe',
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    onTestFinished(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    const started = new Promise<boolean>((done) => {
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('hearth is running')) done(true);
      });
      void exited.then(() => done(false));
    });
    expect(await started, stderr).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});

describe('no tokens and no terminal (systemd, docker without -i)', () => {
  it('says on stderr that it ran the shell community instead of a bot, then exits 0 at end of input', async () => {
    const { code, stderr } = await runUntilExit({});
    expect(code).toBe(0);
    expect(stderr).toMatch(/no DISCORD_TOKEN or SLACK_BOT_TOKEN is set/);
    expect(stderr).toMatch(/shell community/);
    // It says where the shell community is kept (README: `./data/hearth.db` by default).
    expect(stderr).toMatch(/stored in \/\S+\/hearth\.db\b/);
  }, 30_000);

  it('stays quiet when the shell is asked for explicitly', async () => {
    const { code, stderr } = await runUntilExit({ HEARTH_PLATFORMS: 'shell' });
    expect(code).toBe(0);
    expect(stderr).toBe('');
  }, 30_000);
});

describe('a database path that cannot be opened', () => {
  it('names HEARTH_DB_PATH in one line and exits 1', async () => {
    const dir = tempDir('hearth-startup-');
    const { code, stderr } = await runUntilExit({ HEARTH_DB_PATH: dir }); // a folder, not a file
    expect(code).toBe(1);
    expect(stderr).toContain(`HEARTH_DB_PATH: cannot open the database at ${dir}`);
    expect(stderr).not.toContain('    at ');
  }, 30_000);

  it("says another program's SQLite file is not a Hearth database, in one line (not a SQL dump)", async () => {
    const path = join(tempDir('hearth-startup-'), 'other.db');
    const other = new Database(path);
    other.exec('create table communities (x); create table notes (a, b)');
    other.close();
    const { code, stderr } = await runUntilExit({ HEARTH_DB_PATH: path });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `hearth: HEARTH_DB_PATH: cannot open the database at ${path}: not a Hearth database: it holds another program's tables (communities, notes); point HEARTH_DB_PATH at a new file or at Hearth's own database`,
    );
  }, 30_000);
});

describe('the recognisers’ weights file', () => {
  it('a damaged weights file stops start-up with one line naming the file', async () => {
    const dir = tempDir('hearth-weights-');
    const path = join(dir, 'recognisers.json');
    writeFileSync(path, readFileSync(join(root, 'models', 'recognisers.json'), 'utf8').slice(0, 5000));
    const { code, stderr } = await runUntilExit({ HEARTH_PLATFORMS: 'shell', HEARTH_MODELS_PATH: path });
    expect(code).toBe(1);
    expect(stderr).toContain(`the recogniser weights at ${path} are not valid JSON`);
    expect(stderr).not.toContain('    at ');
  }, 30_000);

  it('a missing weights file says how to get it back', async () => {
    const dir = tempDir('hearth-weights-');
    const path = join(dir, 'missing.json');
    const { code, stderr } = await runUntilExit({ HEARTH_PLATFORMS: 'shell', HEARTH_MODELS_PATH: path });
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot read the recogniser weights at ${path}`);
    expect(stderr).toContain('npm run train');
  }, 30_000);
});

describe('stopping `npm start` (docker stop, systemd, a script: SIGTERM to npm)', () => {
  it('stops the companion too, which closes its database cleanly, also when npm runs as a background job', async () => {
    const dir = tempDir('hearth-npm-stop-');
    const db = join(dir, 'hearth.db');
    const err = join(dir, 'stderr');
    const pidFile = join(dir, 'npm.pid');
    // As a script would run it: a background job of a shell (whose SIGINT is ignored), its
    // input a pipe that stays open. npm forwards SIGTERM to the shell running its script; a
    // script that did not `exec` left the companion running behind it, holding the database
    // and its ports. Its own process group, so whatever is left behind is killed after.
    const job = spawn('bash', ['-c', `tail -f /dev/null | npm start --silent 2>${err} & echo $! > ${pidFile}; wait`], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEARTH_DB_PATH: db, HEARTH_DASHBOARD_PORT: '0' },
      stdio: 'ignore',
      detached: true,
    });
    onTestFinished(() => {
      try {
        process.kill(-job.pid!, 'SIGKILL');
      } catch {
        // the group is gone: nothing was left behind
      }
    });
    const stderr = () => (existsSync(err) ? readFileSync(err, 'utf8') : '');
    // Said once its signal handlers are in place (src/main.ts, the same tick).
    await vi.waitFor(() => expect(stderr()).toContain('running the local shell community'), { timeout: 30_000, interval: 50 });
    expect(existsSync(`${db}-wal`)).toBe(true);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    // The companion closes the database on SIGTERM, which removes its WAL file.
    await vi.waitFor(() => expect(existsSync(`${db}-wal`), stderr()).toBe(false), { timeout: 20_000, interval: 50 });
  }, 60_000);
});
