/**
 * Thread resolution against SemEval-2016 Task 3 (Qatar Living forum), dev and train-part2.
 *
 *   npm run bench -- --resolution --data /work/shared/data        (or the semeval folder itself)
 *
 * Each related question is a thread: the question, then its comments in time order. Gold: a
 * thread is resolved when its best comment is `Good` (RELC_RELEVANCE2RELQ). Prediction: the
 * same rule the pulse and `/related` use (src/core/resolution), on the text and authors alone
 * (the forum has no reactions, thanks signals or moderators). Prints precision / recall / F1
 * per split, the share of gold-resolved threads, and how the predicted ones were resolved.
 * Nothing is copied out of the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveThread, type ThreadMessage } from '../../src/core/resolution';
import { attrs, inner, time } from '../semeval/convert';

const FOLDER = 'semeval2016-cqa-ql';
const SPLITS = [
  { name: 'dev', xml: 'SemEval2016-Task3-CQA-QL-dev.xml' },
  { name: 'train-part2', xml: 'SemEval2016-Task3-CQA-QL-train-part2.xml' },
];

export interface GoldThread {
  id: string;
  messages: ThreadMessage[];
  /** The best comment is Good. */
  resolved: boolean;
}

/** Every related-question thread of a SemEval file, once each (a thread can recur under several original questions). */
export function readThreads(xmlPath: string): GoldThread[] {
  const xml = readFileSync(xmlPath, 'utf8');
  const threads = new Map<string, GoldThread>();
  for (const thread of xml.matchAll(/<Thread [^>]*>([\s\S]*?)<\/Thread>/g)) {
    const rq = thread[1].match(/<RelQuestion ([^>]*)>([\s\S]*?)<\/RelQuestion>/);
    if (!rq) continue;
    const q = attrs(rq[1]);
    if (threads.has(q.RELQ_ID)) continue;
    const text = [inner(rq[2], 'RelQSubject'), inner(rq[2], 'RelQBody')].filter(Boolean).join('\n');
    const messages: ThreadMessage[] = [{ id: q.RELQ_ID, authorId: q.RELQ_USERID, text, createdAt: time(q.RELQ_DATE) }];
    let resolved = false;
    for (const c of thread[1].matchAll(/<RelComment ([^>]*)>([\s\S]*?)<\/RelComment>/g)) {
      const a = attrs(c[1]);
      if (a.RELC_RELEVANCE2RELQ === 'Good') resolved = true;
      messages.push({ id: a.RELC_ID, authorId: a.RELC_USERID, text: inner(c[2], 'RelCText'), createdAt: time(a.RELC_DATE) });
    }
    const [root, ...comments] = messages;
    threads.set(q.RELQ_ID, { id: q.RELQ_ID, messages: [root, ...comments.sort((x, y) => x.createdAt - y.createdAt)], resolved });
  }
  return [...threads.values()];
}

export function scoreThreads(threads: GoldThread[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const how: Record<string, number> = {};
  for (const t of threads) {
    const predicted = resolveThread({ messages: t.messages, signals: [] });
    if (predicted) how[`${predicted.how}/${predicted.by}`] = (how[`${predicted.how}/${predicted.by}`] ?? 0) + 1;
    if (predicted && t.resolved) tp++;
    else if (predicted) fp++;
    else if (t.resolved) fn++;
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    threads: threads.length,
    goldResolved: threads.filter((t) => t.resolved).length,
    predicted: tp + fp,
    precision: r3(precision),
    recall: r3(recall),
    f1: r3(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
    how,
  };
}

export function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' } } });
  if (!values.data) {
    console.error('usage: npm run bench -- --resolution --data PATH (the shared data folder, or its semeval2016-cqa-ql)');
    return 2;
  }
  let dir = resolve(values.data);
  if (existsSync(join(dir, FOLDER))) dir = join(dir, FOLDER);
  const results: Record<string, ReturnType<typeof scoreThreads>> = {};
  for (const split of SPLITS) {
    const path = join(dir, split.xml);
    if (!existsSync(path)) {
      console.error(`missing ${path}`);
      return 2;
    }
    results[split.name] = scoreThreads(readThreads(path));
  }
  console.log(['split', 'threads', 'gold resolved', 'predicted', 'precision', 'recall', 'F1'].map((h) => h.padStart(14)).join(''));
  for (const [name, r] of Object.entries(results)) {
    console.log([name, r.threads, r.goldResolved, r.predicted, r.precision, r.recall, r.f1].map((v) => String(v).padStart(14)).join(''));
  }
  console.log(JSON.stringify(results));
  return 0;
}
