/**
 * The platforms' own API descriptions, read from `../shared/specs` beside the repository (never
 * copied into it), once per worker.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordSpecFailure } from './ledger';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * `../shared/specs` from the repository root; in a git worktree (whose `.git` is a file naming
 * `<main>/.git/worktrees/<name>`), from the main checkout's root.
 */
export function specsDirectory(): string {
  const beside = resolve(repoRoot, '../shared/specs');
  const dotGit = resolve(repoRoot, '.git');
  if (existsSync(beside) || !existsSync(dotGit) || statSync(dotGit).isDirectory()) return beside;
  const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1].trim();
  const fromMain = gitdir ? resolve(gitdir, '../../../../shared/specs') : undefined;
  return fromMain && existsSync(fromMain) ? fromMain : beside;
}

const cache = new Map<string, any>();

/** A description by its path under ../shared/specs (e.g. 'discord/openapi.json'). */
export function readSpec(file: string): any {
  let doc = cache.get(file);
  if (!doc) {
    const path = resolve(specsDirectory(), file);
    if (!existsSync(path)) {
      const message = `API description ${path} is missing: the fake Discord and Slack servers check every request against ../shared/specs beside the repository (see its README)`;
      recordSpecFailure(message);
      throw new Error(message);
    }
    doc = JSON.parse(readFileSync(path, 'utf8'));
    cache.set(file, doc);
  }
  return doc;
}
