/** Start the shell community on stdin/stdout, persisted in the configured database. */
import { dashboardBaseUrl, type Config } from '../../config';
import type { AiPort } from '../../core/ai/port';
import { ManualClock } from '../../core/clock';
import { Companion } from '../../core/companion';
import type { Repositories } from '../../core/storage';
import type { Logger } from '../../log';
import { ShellCommunity } from './community';
import { ShellPlatform } from './platform';
import { shellPostLog } from './post-log';

export interface ShellRunOptions {
  config: Config;
  repos: Repositories;
  log: Logger;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
  clock?: ManualClock;
  /** Aborted on SIGINT / SIGTERM: the shell stops reading and returns. */
  stop?: AbortSignal;
  /** The optional AI port (see src/ai). */
  ai?: AiPort;
  /** The SQLite file the repositories were opened on: the post record is kept beside it (none: in memory). */
  databasePath?: string;
}

/**
 * Control characters other than line breaks and tabs, C1 included: in a terminal, text from a
 * member or an import (an escape sequence) could retitle the window, move the cursor or hide
 * what came before. The transcript shows U+FFFD in their place.
 */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export async function runShell(options: ShellRunOptions): Promise<void> {
  const out = { write: (line: string) => void options.output.write(`${line.replace(TERMINAL_CONTROLS, '\ufffd')}\n`) };
  const clock = options.clock ?? new ManualClock(Date.now());
  const idPrefix = `${clock.now().toString(36)}-`;
  const posts = shellPostLog(options.databasePath);
  const platform = new ShellPlatform(out, idPrefix, posts);
  const companion = new Companion({
    repos: options.repos,
    platform,
    clock,
    log: options.log,
    ai: options.ai,
    dashboardUrl: dashboardBaseUrl(options.config),
    settingsDefaults: { moderatorChannel: 'moderators', moderatorRoles: ['moderators'], timezone: options.config.HEARTH_TIMEZONE },
  });
  const shell = new ShellCommunity({
    companion,
    clock,
    out,
    community: options.config.HEARTH_SHELL_COMMUNITY,
    moderators: options.config.HEARTH_SHELL_MODERATORS,
    idPrefix,
    posts,
  });
  await shell.runStream(options.input as NodeJS.ReadableStream & import('node:stream').Readable, options.interactive, options.stop, options.output);
}
