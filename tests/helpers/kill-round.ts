/**
 * One round of the kill test (tests/durability/kill.test.ts, bench/kill-soak.ts): the real
 * companion (`src/main.ts`, the shell community) on a fresh database file takes a script of
 * requests, is killed with SIGKILL at a point a seeded RNG picks (after its k-th output line,
 * plus 0-3 ms), and is started again to catch up. The two transcripts together must hold, for
 * every stored request, its acknowledgements for the member, one first ping and one re-ping:
 * none lost, none posted twice, a repeat marked as possible repeat counted as twice too. (The
 * shell records each keyed post right before its terminal write, so a restart finds it.) No vitest here: the
 * benchmark runs it too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { rng } from '../../bench/data';

const root = resolve(import.meta.dirname, '../..');

/** Requests from two members by `/human` and a typed one, then the re-ping falls due. */
const FIRST_RUN = [':join maya', '/human I was charged twice', ':join leo', '/human my data is gone', ':join sam', 'can I talk to a human?', ':advance 10m'];
/** Catch up: due acknowledgements and pings, then leases of killed steps run out (all before the second tier at 30m). */
const SECOND_RUN = [':advance 2m', ':advance 15m'];
/** Lines the first run prints when it is not killed (three welcomes, pings, acks, re-pings). */
const FIRST_RUN_LINES = 30;

export interface PostTally {
  /** Problems found; empty when the round passed. */
  problems: string[];
  /** Posts sent again marked as possible repeats (at-least-once, made visible). */
  markedRepeats: number;
  /** Marked posts the member or moderators had seen already (a marked post is often the only copy). */
  markedDuplicates: number;
  /** Posts beyond the expected ones, marked or not, and acknowledgements missing. */
  duplicates: number;
  lostAcknowledgements: number;
}

export interface KillRoundResult extends PostTally {
  seed: number;
  /** The output line after which the first run was killed (it may have gone a little further). */
  killedAfterLine: number;
  requests: number;
}

/** A post the companion made: to the moderators, or to one member (by id or name), and its text. */
export interface SeenPost {
  to: string;
  text: string;
}

/** A stored request for a human: its id, who asked, how many times. */
export interface StoredRequest {
  id: number;
  requester: string;
  asked: number;
}

const REPEAT = /Sent again after a restart/;

/**
 * Every stored request must have had, over both runs, one acknowledgement per time it was
 * asked, one first ping and one re-ping. Lost means fewer; a duplicate is any post beyond
 * those, also one marked as a possible repeat.
 */
export function tallyPosts(requests: StoredRequest[], posts: SeenPost[], options: { repeatsAllowed?: (post: SeenPost) => boolean } = {}): PostTally {
  const problems: string[] = [];
  let duplicates = 0;
  let markedDuplicates = 0;
  let lostAcknowledgements = 0;
  for (const { id, requester, asked } of requests) {
    const ref = new RegExp(`(?:request #${id}\\b|\\(#${id}\\))`);
    const expected: [string, (post: SeenPost) => boolean, number][] = [
      ['acknowledgement', (p) => p.to === requester && ref.test(p.text), asked],
      ['first ping', (p) => p.to === 'moderators' && ref.test(p.text) && !/Still unclaimed/.test(p.text), 1],
      ['re-ping', (p) => p.to === 'moderators' && ref.test(p.text) && /Still unclaimed/.test(p.text), 1],
    ];
    for (const [what, matches, want] of expected) {
      const matching = posts.filter(matches);
      const marked = matching.filter((post) => REPEAT.test(post.text)).length;
      if (matching.length < want) problems.push(`request #${id}: ${what} lost (${matching.length} of ${want})`);
      if (matching.length > want) {
        const extra = matching.length - want;
        // A marked repeat the platform cannot rule out (a command reply) is reported, not failed.
        const excused = Math.min(extra, matching.filter((post) => REPEAT.test(post.text) && options.repeatsAllowed?.(post)).length);
        markedDuplicates += Math.min(extra, marked);
        if (extra > excused) problems.push(`request #${id}: ${what} posted ${matching.length} times (${marked} marked as a possible repeat)`);
        duplicates += extra - excused;
      }
      if (what === 'acknowledgement') lostAcknowledgements += Math.max(0, want - matching.length);
    }
  }
  return { problems, markedRepeats: posts.filter((post) => REPEAT.test(post.text)).length, markedDuplicates, duplicates, lostAcknowledgements };
}

/** A small seeded RNG (mulberry32), so a failing round can be replayed from its seed. */
export const seededRandom = rng;

/** Run the shell on `db` with `lines` on stdin; kill it after output line `killAfter` (if given). */
function runShell(db: string, lines: string[], killAfter?: { line: number; extraMs: number }): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HEARTH_DB_PATH: db, HEARTH_PLATFORMS: 'shell', HEARTH_LOG_LEVEL: 'warn', HEARTH_DASHBOARD_PORT: '0' },
    stdio: 'pipe',
  });
  const out: string[] = [];
  let buffer = '';
  let stderr = '';
  let killing = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    out.push(...parts);
    if (killAfter && !killing && out.length >= killAfter.line) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), killAfter.extraMs);
    }
  });
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  child.stdin.on('error', () => undefined); // killed before reading all of it
  child.stdin.end(`${lines.join('\n')}\n`);
  return new Promise((done, fail) =>
    child.on('exit', (code, signal) => {
      if (buffer) out.push(buffer);
      if (code === 0 || signal === 'SIGKILL') done(out);
      else fail(new Error(`the companion exited with ${code ?? signal}: ${stderr}`));
    }),
  );
}

export async function killRound(seed: number): Promise<KillRoundResult> {
  const random = seededRandom(seed);
  const killedAfterLine = 1 + Math.floor(random() * FIRST_RUN_LINES);
  const extraMs = Math.floor(random() * 4);
  const dir = mkdtempSync(join(tmpdir(), 'hearth-kill-'));
  try {
    const db = join(dir, 'hearth.db');
    const transcript = [...(await runShell(db, FIRST_RUN, { line: killedAfterLine, extraMs })), ...(await runShell(db, SECOND_RUN))];
    const check = new Database(db, { readonly: true });
    const requests = check.prepare('select id, requester_id as requester, request_count as asked from escalations order by id').all() as { id: number; requester: string; asked: number }[];
    check.close();
    // One post per header line with its indented continuation lines; who it went to from its prefix.
    const lines = transcript.reduce<string[]>((all, line) => (line.startsWith('    ') && all.length ? (all[all.length - 1] += `\n${line}`) : all.push(line), all), []);
    const posts = lines.flatMap((text): SeenPost[] => {
      const to = text.match(/^\[#moderators\] Hearth: /) ? 'moderators' : text.match(/^\[#general\] \(only @(\S+) sees this\) Hearth: /)?.[1];
      return to ? [{ to, text }] : [];
    });
    const tally = tallyPosts(requests, posts);
    return { seed, killedAfterLine, requests: requests.length, ...tally };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
