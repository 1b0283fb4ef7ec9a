/**
 * The core (and the jobs that drive it) reach storage only through the core's port
 * (src/core/storage) and platforms only through the Platform port: no file under src/core or
 * src/jobs imports src/db, src/platforms, a database driver, drizzle or a platform SDK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FORBIDDEN_PACKAGES = ['drizzle-orm', 'better-sqlite3', 'pg', 'discord.js', '@slack/bolt'];
const FORBIDDEN_FOLDERS = ['src/db', 'src/platforms'];

/** Every module specifier a file names: static and type imports, re-exports, dynamic import(), require(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

function forbidden(file: string, specifier: string): boolean {
  if (specifier.startsWith('.')) {
    const target = relative(root, resolve(dirname(file), specifier)).split('\\').join('/');
    return FORBIDDEN_FOLDERS.some((folder) => target === folder || target.startsWith(`${folder}/`));
  }
  return FORBIDDEN_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mts|cts)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the core imports no storage driver, adapter or platform SDK', () => {
  it('the scanner sees every form of import', () => {
    const source = [
      `import { a } from '../../db/repositories';`,
      `import type { B } from "drizzle-orm/sqlite-core";`,
      `import {\n  c,\n  d,\n} from 'better-sqlite3';`,
      `export * from '../../platforms/discord';`,
      `import 'discord.js';`,
      `const e = await import('@slack/bolt');`,
      `const f = require('pg');`,
    ].join('\n');
    const file = join(root, 'src/core/features/example.ts');
    expect(specifiers(source).map((s) => forbidden(file, s))).toEqual([true, true, true, true, true, true, true]);
    expect(forbidden(file, '../storage')).toBe(false);
    expect(forbidden(file, '../../dbx')).toBe(false);
    expect(forbidden(file, 'zod')).toBe(false);
  });

  it.each(['src/core', 'src/jobs'])('no file under %s imports src/db, src/platforms, drizzle, a driver or a platform SDK', (folder) => {
    const files = sourceFiles(join(root, folder));
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => forbidden(file, specifier))
        .map((specifier) => `${relative(root, file)}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
