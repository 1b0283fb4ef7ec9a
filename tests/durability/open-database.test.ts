/**
 * Opening the database file: several processes may start on a new file at once (a bot and an
 * import CLI, two shards), and HEARTH_DB_PATH may name a file that is not Hearth's.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/db/connection';
import { tempDir } from '../helpers/temp-dir';

const root = resolve(import.meta.dirname, '../..');

/** A long-lived child that opens each path it is sent; `open(path)` resolves with its answer. */
function opener() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/open-database-child.ts'], { cwd: root, stdio: 'pipe' });
  const answers: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => answers.shift()?.(line));
  onTestFinished(() => void child.kill('SIGKILL'));
  return {
    open(path: string): Promise<string> {
      return new Promise((done) => {
        answers.push(done);
        child.stdin.write(`${path}\n`);
      });
    },
  };
}

describe('two processes opening a new database at once', () => {
  it('both succeed every time: one migrates, the other waits and finds the schema current', async () => {
    const dir = tempDir('hearth-open-');
    const [a, b] = [opener(), opener()];
    const failures: string[] = [];
    for (let round = 0; round < 40; round++) {
      const path = join(dir, `hearth-${round}.db`);
      const answers = await Promise.all([a.open(path), b.open(path)]);
      failures.push(...answers.filter((answer) => answer !== 'ok'));
    }
    expect(failures).toEqual([]);
    // And the result is one complete schema (a third open applies nothing new).
    const check = new Database(join(dir, 'hearth-0.db'));
    const applied = check.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    check.close();
    expect(applied.n).toBeGreaterThan(10);
  }, 120_000);
});

describe("another program's SQLite file", () => {
  function otherProgramsFile(sql: string): string {
    const path = join(tempDir('hearth-other-'), 'other.db');
    const other = new Database(path);
    other.exec(sql);
    other.close();
    return path;
  }
  const tables = (path: string) => {
    const db = new Database(path, { readonly: true });
    const names = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
    db.close();
    return names;
  };

  it('is refused as not a Hearth database, even when its tables share a name with ours', () => {
    const path = otherProgramsFile('create table communities (x); create table notes (a, b)');
    expect(() => openDatabase(path)).toThrow("not a Hearth database: it holds another program's tables (communities, notes)");
    expect(tables(path)).toEqual(['communities', 'notes']);
  });

  it('is left untouched when none of its tables clash (it used to get all of Hearth’s tables added)', () => {
    const path = otherProgramsFile('create table notes (a, b)');
    expect(() => openDatabase(path)).toThrow(/not a Hearth database/);
    expect(tables(path)).toEqual(['notes']);
  });

  it("is refused when it is another drizzle application's database", () => {
    const path = otherProgramsFile('create table __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric); insert into __drizzle_migrations values (1, \'x\', 1); create table posts (id)');
    expect(() => openDatabase(path)).toThrow(/not a Hearth database/);
  });

  it('an empty file and an existing Hearth database still open', () => {
    const dir = tempDir('hearth-own-');
    const path = join(dir, 'hearth.db');
    openDatabase(path).close();
    expect(existsSync(path)).toBe(true);
    openDatabase(path).close();
    openDatabase(otherProgramsFile('')).close();
  });
});
