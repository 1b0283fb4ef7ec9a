/**
 * The shell's record of keyed posts (posts that must happen once), so a restarted shell can
 * answer `findPosted` as a platform with a history does: this record is the shell's history,
 * and the terminal shows it. The terminal cannot be read back, so the post is recorded first
 * and written to the terminal right after (two synchronous writes, back to back): recorded
 * means posted. Recording after the terminal write instead left the moment a reader wakes on
 * the line (and may kill the process) inside the gap, which the kill test hit often.
 * Kept in a file beside the database (`HEARTH_DB_PATH` + `-posts`), or in memory for `:memory:`.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { MessageTarget } from '../../core/events';
import type { PostSearch } from '../../core/platform';

export interface ShellPostLog {
  /** Record the post of `key` (at `target`), then run `write` (the terminal write). */
  record(key: string | undefined, target: MessageTarget | null, write: () => void): void;
  find(key: string): PostSearch;
}

interface Entry {
  key: string;
  /** Where it went; null for a line without a message of its own (ephemeral, a command reply). */
  done: MessageTarget | null;
}

export function shellPostLog(databasePath: string | undefined): ShellPostLog {
  const file = databasePath && databasePath !== ':memory:' && !databasePath.startsWith('file::memory:') ? `${databasePath}-posts` : undefined;
  const entries = new Map<string, Entry>();
  if (file && existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      let entry: { k?: unknown; t?: unknown };
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // the empty last line, or one cut by a kill (its post was never written)
      }
      if (typeof entry.k !== 'string') continue;
      entries.set(entry.k, { key: entry.k, done: (entry.t ?? null) as MessageTarget | null });
    }
  }
  const append = (entry: { k: string; t: MessageTarget | null }) => {
    entries.set(entry.k, { key: entry.k, done: entry.t });
    if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
  };
  return {
    record(key, target, write) {
      if (key) append({ k: key, t: target });
      write();
    },
    find(key) {
      const entry = entries.get(key);
      if (!entry) return 'absent';
      // A post without a message of its own (an ephemeral line) has no target to return.
      return entry.done ?? { channelId: '', messageId: '' };
    },
  };
}
