/**
 * vitest globalSetup: a throwaway PostgreSQL cluster for the tests that run against both
 * stores (tests/helpers/postgres.ts gives each test file its own database in it).
 *
 * - HEARTH_TEST_DATABASE_URL=postgres://…: use that server instead (its user must be allowed
 *   to create databases).
 * - Otherwise the cluster is started from /usr/lib/postgresql/<version>/bin in a temporary
 *   folder on 127.0.0.1 and a free port, fsync off, and removed at the end. As root (CI), the
 *   server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 * - No PostgreSQL: the run FAILS here, saying how to install it. A developer who wants the
 *   SQLite half alone says so with HEARTH_TEST_POSTGRES=off (printed, never silent).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL whose user may create databases; empty when HEARTH_TEST_POSTGRES=off. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.HEARTH_TEST_POSTGRES === 'off') {
    console.warn('HEARTH_TEST_POSTGRES=off: the PostgreSQL half of the tests (storage suites, the feature files of the postgres project) is NOT run');
    project.provide('postgresUrl', '');
    return undefined;
  }
  if (process.env.HEARTH_TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.HEARTH_TEST_DATABASE_URL);
    return undefined;
  }
  const cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
  return cluster.stop;
}

/** A new database on the server (whose user may create databases); its URL. */
export async function createDatabase(server: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The newest installed server's binaries, or a loud error. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the storage tests run against SQLite AND PostgreSQL. ' +
        'Install it (Debian/Ubuntu: apt-get install -y postgresql), or point HEARTH_TEST_DATABASE_URL at a server, ' +
        'or run the SQLite half alone with HEARTH_TEST_POSTGRES=off.',
    );
  }
  return join(root, versions.sort((a, b) => Number(a) - Number(b)).at(-1)!, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `durable`: the server's own defaults for fsync, full_page_writes and synchronous_commit (as
 * a real server runs; benchmarks), instead of the tests' fsync off. `settings`: more `-c` options.
 */
export async function startCluster({ durable = false, settings = [] }: { durable?: boolean; settings?: string[] } = {}): Promise<{ url: string; stop: () => void }> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pg-'));
  chmodSync(dir, 0o777);
  const root = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: then as the `postgres` user the package creates.
  const run = (command: string, args: string[]) =>
    root
      ? execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')], { stdio: 'pipe' })
      : execFileSync(command, args, { stdio: 'pipe' });
  const data = join(dir, 'data');
  try {
    run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const speed = durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${speed} -c max_connections=200${settings.map((s) => ` -c ${s}`).join('')}`;
    run(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
    const stop = () => {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${(error as Error).message}\n${stderr}`);
  }
}
