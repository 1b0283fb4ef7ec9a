/**
 * Heated exchanges from the real chat data in ../shared/data, as references only: the
 * candidates a person labels for reframing (models/labels/reframe.guideline.md), and the
 * messages of one exchange rebuilt from its reference when scoring. No text from the data
 * is ever written into the repository.
 *
 * Sources:
 * - IRC (Ubuntu, disentanglement dev logs): a heated line; its exchange is the same file from
 *   CONTEXT_BEFORE lines before it to CONTEXT_AFTER lines after. Ref `<file>:<line>` (lines
 *   from 0, as the gold annotations count them).
 * - SemEval-2016 Qatar Living (dev, train-part2): a heated comment; its exchange is its whole
 *   thread (the question and every comment). Ref: the comment's RELC_ID.
 * A heated message is the detector repair uses (`isHeated`): the candidates are what Hearth
 * would call heated; whether it really was an exchange is the labeller's first question.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHeated } from '../../src/core/features/signals/detect';
import { parseLog } from '../irc/convert';
import { convert, type CorpusLine } from '../semeval/convert';

export const CONTEXT_BEFORE = 10;
export const CONTEXT_AFTER = 40;
export const SEMEVAL_FILES = ['SemEval2016-Task3-CQA-QL-dev.xml', 'SemEval2016-Task3-CQA-QL-train-part2.xml'];

/** One message of an exchange, in the import's JSON-lines shape. */
export interface ExchangeLine {
  id: string;
  channel: string;
  author: string;
  text: string;
  at: number;
  kind?: 'message' | 'join' | 'system';
  authorIsBot?: boolean;
  replyTo?: string;
  threadId?: string;
}

export interface Candidate {
  id: string;
  source: 'irc' | 'semeval';
  file: string;
  /** The heated message. */
  heatedRef: string;
  /** IRC: the line span read; SemEval: the thread (question id). */
  contextFrom: string;
  contextTo: string;
  /** `test` for the third kept aside (a hash of the id, never chosen by hand), else `dev`. */
  split: 'dev' | 'test';
  heatedAuthor: string;
  lines: ExchangeLine[];
}

const splitOf = (id: string): 'dev' | 'test' => (parseInt(createHash('sha1').update(id).digest('hex').slice(0, 8), 16) % 3 === 0 ? 'test' : 'dev');

/** Every candidate heated exchange, IRC first, in file order. */
export function candidates(dataDir: string): Candidate[] {
  const out: Candidate[] = [];
  const ircDir = join(dataDir, 'irc-disentanglement', 'dev');
  if (existsSync(ircDir)) {
    for (const f of readdirSync(ircDir).filter((n) => n.endsWith('.ascii.txt')).sort()) {
      const name = f.replace('.ascii.txt', '');
      const lines = parseLog(name, readFileSync(join(ircDir, f), 'utf8'));
      lines.forEach((line, index) => {
        if (line.kind !== 'message' || line.authorIsBot || !isHeated(line.text)) return;
        const from = Math.max(0, index - CONTEXT_BEFORE);
        const to = Math.min(lines.length - 1, index + CONTEXT_AFTER);
        const id = `irc:${line.id}`;
        out.push({
          id, source: 'irc', file: `irc-disentanglement/dev/${f}`, heatedRef: line.id, contextFrom: `${name}:${from}`, contextTo: `${name}:${to}`,
          split: splitOf(id), heatedAuthor: line.author, lines: lines.slice(from, to + 1),
        });
      });
    }
  }
  for (const file of SEMEVAL_FILES) {
    const path = join(dataDir, 'semeval2016-cqa-ql', file);
    if (!existsSync(path)) continue;
    const threads = new Map<string, CorpusLine[]>();
    for (const line of convert(path).corpus) {
      const key = line.threadId ?? line.id;
      const thread = threads.get(key) ?? [];
      // A related question recurs under several original questions: each message once.
      if (!thread.some((m) => m.id === line.id)) thread.push(line);
      threads.set(key, thread);
    }
    for (const [threadId, thread] of threads) {
      const sorted = [...thread].sort((a, b) => (a.id === threadId ? -1 : b.id === threadId ? 1 : a.at - b.at));
      for (const c of sorted) {
        if (c.id === threadId || !isHeated(c.text)) continue;
        const id = `semeval:${c.id}`;
        out.push({
          id, source: 'semeval', file: `semeval2016-cqa-ql/${file}`, heatedRef: c.id, contextFrom: threadId, contextTo: threadId,
          split: splitOf(id), heatedAuthor: c.author, lines: sorted.map((m) => ({ ...m, channel: m.channel })),
        });
      }
    }
  }
  return out;
}
