/**
 * Convert the IRC disentanglement logs (Kummerfeld et al., 2019) into the `links` message
 * format: one JSON line per log line, id `<file>:<line>` (lines counted from 0, as in the
 * gold annotations), channel = file, author = nick, kind join/system for `===` lines.
 * The data stays where it is: output goes to a path given on the command line.
 *
 *   npx tsx bench/irc/convert.ts --data ../shared/data/irc-disentanglement --out /tmp/irc.jsonl [--split dev]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

export interface IrcLine {
  id: string;
  channel: string;
  author: string;
  text: string;
  at: number;
  kind: 'message' | 'join' | 'system';
  authorIsBot?: boolean;
}

/** The channel's factoid bots: their lines answer a `!command`, like any community bot. */
const BOTS = new Set(['ubotu', 'ubottu', 'ubot5', 'ubot2', 'lubotu', 'lubotu1', 'lubotu2', 'lubotu3']);

/** Server notices among the untimed `===` lines; anything else there is a `/me` action. */
const SYSTEM = /^(?:\[.*\]\s+)?(?:has (?:joined|left|quit)|is now known as|sets mode|changed the topic|was kicked|is away)|^\S*$/;

/** Parse one log file (`YYYY-MM-DD_xx.ascii.txt`). Times are minutes; the date comes from the name. */
export function parseLog(name: string, content: string): IrcLine[] {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(name);
  let day = date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) : 0;
  let last = day;
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((raw, index) => {
    const id = `${name}:${index}`;
    const timed = /^\[(\d{1,2}):(\d{2})\]\s?(.*)$/.exec(raw);
    if (timed) {
      let at = day + (Number(timed[1]) * 60 + Number(timed[2])) * 60_000;
      if (at < last - 12 * 3_600_000) {
        day += 24 * 3_600_000; // past midnight
        at += 24 * 3_600_000;
      }
      last = at;
      const rest = timed[3];
      const said = /^<([^>]*)>\s?(.*)$/.exec(rest);
      if (said) {
        const author = said[1] || 'unknown';
        return { id, channel: name, author, text: said[2], at, kind: 'message', ...(BOTS.has(author.toLowerCase()) ? { authorIsBot: true } : {}) };
      }
      const action = /^\s*\*\s+(\S+)\s?(.*)$/.exec(rest);
      if (action) return { id, channel: name, author: action[1], text: action[2], at, kind: 'message' };
      return { id, channel: name, author: 'system', text: rest, at, kind: 'system' };
    }
    const line = /^===\s+(\S+)\s?(.*)$/.exec(raw);
    const who = line?.[1] ?? 'system';
    if (line && !SYSTEM.test(line[2])) {
      // Old logs render "/me" actions as "=== nick does something": a chat line.
      return { id, channel: name, author: who, text: line[2], at: last, kind: 'message' };
    }
    return { id, channel: name, author: who, text: raw, at: last, kind: /has joined/.test(raw) ? 'join' : 'system' };
  });
}

/** Every `*.ascii.txt` of a split, parsed, file by file in name order. */
export function loadSplit(dataDir: string, split = 'dev'): IrcLine[] {
  const dir = join(dataDir, split);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ascii.txt'))
    .sort();
  if (files.length === 0) throw new Error(`no *.ascii.txt files in ${dir}`);
  return files.flatMap((f) => parseLog(f.replace(/\.ascii\.txt$/, ''), readFileSync(join(dir, f), 'utf8')));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' }, split: { type: 'string', default: 'dev' } } });
  if (!values.data || !values.out) {
    console.error('Usage: npx tsx bench/irc/convert.ts --data DIR --out FILE.jsonl [--split dev]');
    process.exit(2);
  }
  const lines = loadSplit(values.data, values.split);
  writeFileSync(values.out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  console.error(`wrote ${lines.length} messages to ${values.out}`);
}
