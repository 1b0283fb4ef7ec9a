/**
 * Replay benchmark: real chat through the live companion, to see what it would have said.
 *
 *   npm run bench -- --replay [--data ../shared/data] [--tail 60] [--goemotions 1500] [--quiet]
 *   npx tsx bench/replay.ts --data ../shared/data
 *
 * The Ubuntu IRC dev logs (`irc-disentanglement/dev/*.ascii.txt`, parsed by bench/irc/convert.ts)
 * are played as live events, not history: each log file is one community with a fresh
 * in-memory database (the files are years apart), joins are `member_joined`, lines are
 * `message_posted` without any reply metadata (IRC has none: Hearth infers replies itself).
 * A manual clock moves to each line's time a minute at a time, running due tasks (re-pings,
 * second tier, reminders, first-question nudges, batched welcomes) as the real scheduler's
 * one-minute tick would, and then `--tail` minutes past the last line. Nobody is a moderator
 * (nobody claims), so every escalation gets its full follow-ups. The three most active
 * speakers of each file are on the welcome crew. With `--goemotions N`, the first N GoEmotions
 * dev comments are also replayed as one busy channel (one comment every 30 s, each by its own
 * author; Reddit has no joins).
 *
 * Prints, per 1,000 member messages, what the companion sent by kind, then every message that
 * opened (or joined) a request for a human with why it fired and a person's judgement of it
 * (bench/replay-judged.ts; unjudged ones count as false until someone reads them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ManualClock, MINUTE } from '../src/core/clock';
import { Companion } from '../src/core/companion';
import type { MemberRef } from '../src/core/events';
import { STAKES_CLASSES, STAKES_PATTERNS } from '../src/core/stakes/classes';
import { normalizeForMatching, wantsHuman } from '../src/core/stakes';
import { openDatabase } from '../src/db/connection';
import { createRepositories } from '../src/db/repositories';
import { silentLogger } from '../src/log';
import { RecordingPlatform, type RecordedCall } from '../tests/helpers/recording-platform';
import { loadSplit, type IrcLine } from './irc/convert';
import { JUDGED } from './replay-judged';
import '../src/models/installed';

/** One line to replay: a join or a message. */
export interface ReplayLine {
  id: string;
  author: string;
  text: string;
  at: number;
  kind: 'join' | 'message';
  isBot?: boolean;
}

/** What the companion sent, by kind (rows of the table). */
export const KINDS = [
  'welcomes',
  'welcome-crew asks',
  'first-question nudges',
  'same-here acknowledgements',
  'related suggestions',
  'moderator pings (new requests)',
  're-pings',
  'second tier',
  'reminders',
  'stakes raised / asked again',
  'private notices to members',
  'risk flags',
  'other',
] as const;
export type Kind = (typeof KINDS)[number];

/** A message that opened or joined a request for a human. */
export interface Trigger {
  session: string;
  id: string;
  author: string;
  text: string;
  /** stakes classes (with what matched), typed request, or incident. */
  why: string;
  /** For incidents: the messages counted as "same here". */
  validators?: string[];
  high: boolean;
  merged: boolean;
}

export interface SessionResult {
  name: string;
  memberMessages: number;
  counts: Record<Kind, number>;
  triggers: Trigger[];
}

const CHANNEL = { id: 'channel', name: 'channel', visibility: 'public' as const, kind: 'text' as const };
const MODS = 'mods';

/** Sort one recorded call into a kind; `crew` are the welcome crew's ids. */
function kindOf(call: RecordedCall, crew: Set<string>): Kind | undefined {
  const text = 'message' in call ? call.message.text : '';
  switch (call.kind) {
    case 'post':
      return /^Welcome to /.test(text) ? 'welcomes' : /first question has had no answer/.test(text) ? 'first-question nudges' : 'other';
    case 'reply':
      if (/^You're not alone, /.test(text)) return 'same-here acknowledgements';
      if (/^Welcome to /.test(text)) return 'welcomes';
      return 'related suggestions';
    case 'dm':
      if (crew.has(call.memberId)) return /first question has had no answer/.test(text) ? 'first-question nudges' : 'welcome-crew asks';
      return /^Welcome to /.test(text) ? 'welcomes' : 'private notices to members';
    case 'ephemeral':
      return 'private notices to members';
    case 'notifyModerators':
      if (/^\*\*Still unclaimed:\*\*/.test(text)) return 're-pings';
      if (/^\*\*Second tier:\*\*/.test(text)) return 'second tier';
      if (/^\*\*Reminder, unclaimed/.test(text)) return 'reminders';
      if (/^\*\*(?:Update, stakes raised|Asked again)/.test(text)) return 'stakes raised / asked again';
      if (/for your judgement; Hearth has taken no action/.test(text)) return 'risk flags';
      if (/first question has had no answer/.test(text)) return 'first-question nudges';
      if (/\(request #\d+/.test(text)) return 'moderator pings (new requests)';
      return 'other';
    case 'edit':
    case 'react':
      return undefined; // edits update a post already counted; reactions are not messages
  }
}

/** Why a message is high stakes: each class with the text its pattern matched, or the money model. */
export function stakesWhy(text: string, classes: readonly string[]): string {
  const normalized = normalizeForMatching(text);
  return classes
    .map((c) => {
      const patterns = STAKES_PATTERNS[c as (typeof STAKES_CLASSES)[number]] ?? [];
      const hit = patterns.map((p) => p.exec(normalized)).find(Boolean);
      return hit ? `${c} ("${hit[0]}")` : `${c} (money model)`;
    })
    .join(', ');
}

/** Replay one session (a community with its own database) and count what the companion sent. */
export async function replaySession(name: string, lines: ReplayLine[], options: { tail: number; helpChannel: boolean; crewSize: number }): Promise<SessionResult> {
  const database = openDatabase(':memory:');
  const repos = createRepositories(database);
  const start = lines[0]?.at ?? 0;
  const clock = new ManualClock(start - MINUTE);
  const platform = new RecordingPlatform('replay');
  const companion = new Companion({
    repos,
    platform,
    clock,
    log: silentLogger,
    settingsDefaults: { moderatorChannel: MODS, moderatorRoles: ['mod-role'], helpChannels: options.helpChannel ? [CHANNEL.id] : [] },
  });
  const community = `replay:${name}`;
  const base = () => ({ community, communityName: name, at: clock.now() });
  const bots = new Set(lines.filter((l) => l.isBot).map((l) => l.author));
  const member = (id: string): MemberRef => ({ id, name: id, isBot: bots.has(id), isModerator: false });

  // Advance the way the scheduler does: a tick a minute, each running what is due.
  const tickTo = async (at: number) => {
    while (clock.now() + MINUTE <= at) {
      clock.advance(MINUTE);
      await companion.runDueTasks();
    }
    if (at > clock.now()) clock.set(at);
  };

  // The regulars who opted into the welcome crew: the file's three most active speakers.
  const spoken = new Map<string, number>();
  for (const l of lines) if (l.kind === 'message' && !l.isBot) spoken.set(l.author, (spoken.get(l.author) ?? 0) + 1);
  const crew = new Set([...spoken].sort((a, b) => b[1] - a[1]).slice(0, options.crewSize).map(([id]) => id));
  for (const id of crew) await companion.command({ ...base(), type: 'command_invoked', command: 'welcomer', options: { state: 'on' }, member: member(id), channel: CHANNEL });
  platform.clear();

  const triggers: Trigger[] = [];
  const said = new Map<string, { at: number; text: string }[]>();
  let memberMessages = 0;
  for (const line of lines) {
    await tickTo(line.at);
    if (line.kind === 'join') {
      await companion.handle({ ...base(), type: 'member_joined', member: member(line.author), welcomeChannelId: CHANNEL.id });
      continue;
    }
    if (!line.isBot) memberMessages++;
    said.set(line.author, [...(said.get(line.author) ?? []), { at: clock.now(), text: line.text }]);
    const before = platform.calls.length;
    const openBefore = await repos.escalations.findOpenFor(community, line.author, CHANNEL.id);
    const result = await companion.handle({
      ...base(),
      type: 'message_posted',
      message: { id: line.id, channel: CHANNEL, author: member(line.author), text: line.text, at: clock.now() },
    });
    // A human-first note (or a typed request's acknowledgement) is the sign a request was opened or joined.
    const noted = platform.calls.slice(before).some((c) => c.kind === 'ephemeral' && c.memberId === line.author);
    if (!noted || !result.ok) continue;
    const categories = result.notes.stakes?.categories ?? [];
    const typed = wantsHuman(line.text);
    const why = [typed ? 'typed request' : '', categories.length ? stakesWhy(line.text, categories) : ''].filter(Boolean).join('; ');
    triggers.push({ session: name, id: line.id, author: line.author, text: line.text, why, high: categories.length > 0, merged: Boolean(openBefore) });
  }
  await tickTo(clock.now() + options.tail * MINUTE);

  // Incidents (many members saying "same here") open requests without a human-first note.
  for (const row of await repos.escalations.list(community)) {
    if (row.source !== 'incident') continue;
    const message = row.messageId ? await repos.messages.get(community, row.messageId) : undefined;
    const validations = (await repos.sameHere.since(community, 0)).filter((v) => v.messageId === row.messageId);
    const validators = validations.map((v) => `<${v.memberId}> “${said.get(v.memberId)?.findLast((m) => m.at <= v.at)?.text ?? `(${v.via})`}”`);
    triggers.push({
      session: name,
      id: row.messageId ?? '?',
      author: row.requesterId,
      text: message?.text ?? row.reason ?? '',
      why: `incident (${row.sameHereCount} said same here)${row.stakes === 'high' ? `, ${row.stakesClass}` : ''}`,
      high: row.stakes === 'high',
      merged: false,
      validators,
    });
  }

  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  for (const call of platform.calls) {
    const kind = kindOf(call, crew);
    if (kind) counts[kind]++;
  }
  database.close();
  return { name, memberMessages, counts, triggers };
}

/** The IRC dev logs, one session per file. */
function ircSessions(dataDir: string): { name: string; lines: ReplayLine[] }[] {
  const byFile = new Map<string, ReplayLine[]>();
  for (const l of loadSplit(join(dataDir, 'irc-disentanglement'), 'dev') as IrcLine[]) {
    if (l.kind === 'system') continue;
    const lines = byFile.get(l.channel) ?? [];
    lines.push({ id: l.id, author: l.author, text: l.text, at: l.at, kind: l.kind, isBot: l.authorIsBot });
    byFile.set(l.channel, lines);
  }
  return [...byFile].map(([name, lines]) => ({ name, lines }));
}

/** The first `count` GoEmotions dev comments as one channel, a comment every 30 s, each by its own author. */
function goEmotionsSession(dataDir: string, count: number): { name: string; lines: ReplayLine[] } {
  const rows = readFileSync(join(dataDir, 'goemotions', 'dev.tsv'), 'utf8').split('\n').filter(Boolean).slice(0, count);
  const start = Date.UTC(2019, 0, 7, 9, 0, 0);
  return {
    name: 'goemotions-dev',
    lines: rows.map((row, i) => {
      const [text, , id] = row.split('\t');
      return { id: `goemotions:${id ?? i}`, author: `redditor${i}`, text, at: start + i * 30_000, kind: 'message' as const };
    }),
  };
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function printTable(results: SessionResult[]): void {
  const columns = results.map((r) => ({ name: r.name, messages: r.memberMessages, counts: r.counts }));
  console.log(`${'per 1,000 member messages'.padEnd(32)}${columns.map((c) => pad(c.name, 18)).join('')}`);
  console.log(`${'member messages'.padEnd(32)}${columns.map((c) => pad(c.messages.toLocaleString('en'), 18)).join('')}`);
  for (const kind of KINDS) {
    const cells = columns.map((c) => {
      const n = c.counts[kind];
      return pad(`${((1000 * n) / Math.max(1, c.messages)).toFixed(2)} (${n})`, 18);
    });
    console.log(`${kind.padEnd(32)}${cells.join('')}`);
  }
}

function sum(results: SessionResult[], name: string): SessionResult {
  const counts = Object.fromEntries(KINDS.map((k) => [k, results.reduce((n, r) => n + r.counts[k], 0)])) as Record<Kind, number>;
  return { name, memberMessages: results.reduce((n, r) => n + r.memberMessages, 0), counts, triggers: results.flatMap((r) => r.triggers) };
}

function printTriggers(set: SessionResult): number {
  let falseHigh = 0;
  console.log(`\n${set.name}: every message that opened or joined a request for a human (${set.triggers.length})`);
  for (const t of set.triggers) {
    const judged = JUDGED[t.id];
    const verdict = judged ? (judged.needsStaff ? 'needs staff' : 'not needed') : 'UNJUDGED';
    if (t.high && !judged?.needsStaff) falseHigh++;
    console.log(`- ${t.id} <${t.author}> [${t.high ? 'HIGH' : 'low'}; ${t.why}${t.merged ? '; joined their open request' : ''}] ${verdict}${judged?.note ? ` (${judged.note})` : ''}\n    “${t.text.slice(0, 200)}”`);
    for (const v of t.validators ?? []) console.log(`      same here: ${v.slice(0, 160)}`);
  }
  const falseTyped = set.triggers.filter((t) => !t.high && JUDGED[t.id]?.needsStaff !== true).length;
  console.log(`low-stakes requests (typed) that did not need staff: ${falseTyped}`);
  const rate = (1000 * falseHigh) / Math.max(1, set.memberMessages);
  console.log(`false high-stakes escalations: ${falseHigh} in ${set.memberMessages.toLocaleString('en')} member messages = ${rate.toFixed(2)} per 1,000 (unjudged count as false)`);
  return rate;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: '../shared/data' },
      tail: { type: 'string', default: '60' },
      goemotions: { type: 'string', default: '1500' },
      crew: { type: 'string', default: '3' },
      'per-file': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const tail = Number(values.tail);
  const goCount = Number(values.goemotions);
  const crewSize = Number(values.crew);
  if (!Number.isFinite(tail) || tail < 0 || !Number.isInteger(goCount) || goCount < 0 || !Number.isInteger(crewSize) || crewSize < 0) {
    console.error('usage: npm run bench -- --replay [--data ../shared/data] [--tail 60] [--goemotions 1500] [--crew 3] [--per-file]');
    return 2;
  }
  const started = performance.now();
  const irc: SessionResult[] = [];
  for (const session of ircSessions(values.data!).filter((s) => !values.only || s.name.includes(values.only))) {
    irc.push(await replaySession(session.name, session.lines, { tail, helpChannel: true, crewSize }));
  }
  const ircTotal = sum(irc, 'IRC dev');
  const sets = [ircTotal];
  if (goCount > 0) {
    const go = goEmotionsSession(values.data!, goCount);
    sets.push(await replaySession(go.name, go.lines, { tail, helpChannel: false, crewSize: 0 }));
  }
  printTable(values['per-file'] ? [...irc, ...sets] : sets);
  for (const set of sets) printTriggers(set);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; IRC: ${irc.length} files, one community each, ${tail} min tail)`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
