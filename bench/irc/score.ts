/**
 * Score reply links against the IRC disentanglement gold graph, the standard way
 * (Kummerfeld et al. 2019, graph-eval): every link is an unordered pair (later, earlier)
 * of line numbers within a file, a message starting a conversation is linked to itself,
 * and precision / recall / F1 are counted over all pairs. Only messages the gold annotates
 * (line >= 1000 in the files it covers) are scored.
 *
 *   npx tsx bench/irc/score.ts --gold DIR/gold.dev.graphs.txt --pred links-output.jsonl
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

export interface Score {
  gold: number;
  predicted: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
}

const FIRST_ANNOTATED = 1000;

/** Gold pairs as `file:later:earlier` keys, from `file:a b -` lines. */
export function readGold(text: string): Set<string> {
  const pairs = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [file, rest] = line.includes(':') ? [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] : ['', line];
    const nums = rest
      .split(/\s+/)
      .filter((t) => t && t !== '-')
      .map(Number);
    const later = Math.max(...nums);
    const earlier = Math.min(...nums);
    pairs.add(`${file}:${later}:${earlier}`);
  }
  return pairs;
}

/** One predicted link per message: `{id: "file:line", replyTo: "file:line" | null}`. */
export function predictedPairs(links: Iterable<{ id: string; replyTo: string | null }>, files: Set<string>): Set<string> {
  const pairs = new Set<string>();
  const split = (id: string) => {
    const at = id.lastIndexOf(':');
    return [id.slice(0, at), Number(id.slice(at + 1))] as const;
  };
  for (const { id, replyTo } of links) {
    const [file, line] = split(id);
    if (!files.has(file) || line < FIRST_ANNOTATED) continue;
    const other = replyTo === null ? line : split(replyTo)[1];
    pairs.add(`${file}:${Math.max(line, other)}:${Math.min(line, other)}`);
  }
  return pairs;
}

export function score(gold: Set<string>, predicted: Set<string>): Score {
  let matched = 0;
  for (const pair of predicted) if (gold.has(pair)) matched++;
  const precision = predicted.size ? (100 * matched) / predicted.size : 0;
  const recall = gold.size ? (100 * matched) / gold.size : 0;
  const f1 = matched ? (2 * precision * recall) / (precision + recall) : 0;
  return { gold: gold.size, predicted: predicted.size, matched, precision, recall, f1 };
}

export function goldFiles(gold: Set<string>): Set<string> {
  return new Set([...gold].map((k) => k.split(':')[0]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { gold: { type: 'string' }, pred: { type: 'string' } } });
  if (!values.gold || !values.pred) {
    console.error('Usage: npx tsx bench/irc/score.ts --gold gold.dev.graphs.txt --pred links.jsonl');
    process.exit(2);
  }
  const gold = readGold(readFileSync(values.gold, 'utf8'));
  const links = readFileSync(values.pred, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; replyTo: string | null });
  const result = score(gold, predictedPairs(links, goldFiles(gold)));
  console.log(JSON.stringify({ ...result, precision: +result.precision.toFixed(1), recall: +result.recall.toFixed(1), f1: +result.f1.toFixed(1) }));
}
