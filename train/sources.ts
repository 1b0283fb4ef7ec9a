/**
 * Readers for the public data sets in ../shared/data (never copied into the repository) and
 * for the hand labels in models/labels, which name lines of those sets by reference.
 * Every reader returns plain `{ key, text, parent? }` examples; what counts as positive is
 * decided in datasets.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface Line {
  /** Stable identity (data set + id), used for the seeded split and for de-duplication. */
  key: string;
  text: string;
  /** The message this one answers, when known (same-here context). */
  parent?: string;
}

export interface Labelled extends Line {
  label: 0 | 1;
  /** Extra named features (see Example.tags). */
  tags?: readonly string[];
  /** Which data set, for per-source figures. */
  source: string;
}

const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true, relax_column_count: true });

export function banking77(dir: string): { key: string; text: string; intent: string }[] {
  return readCsv(join(dir, 'banking77', 'train.csv')).map((r, i) => ({ key: `banking77:${i}`, text: r.text!, intent: r.category! }));
}

export function bitext(dir: string): { key: string; text: string; intent: string }[] {
  return readCsv(join(dir, 'bitext-customer-support', 'utterances.csv')).map((r, i) => ({ key: `bitext:${i}`, text: r.text!, intent: r.intent! }));
}

export function rasa(dir: string): { key: string; text: string; intent: string }[] {
  const rows = readFileSync(join(dir, 'rasa-nlu-handoff', 'utterances.tsv'), 'utf8').split('\n').slice(1);
  return rows.filter((r) => r.trim()).map((r, i) => {
    const [text, intent] = r.split('\t');
    return { key: `rasa:${i}`, text: text!.replace(/^"|"$/g, ''), intent: intent ?? '' };
  });
}

/** HINT3's designers' examples (train files); the test files are live traffic with noisy labels. */
export function hint3(dir: string): { key: string; text: string; intent: string }[] {
  const out: { key: string; text: string; intent: string }[] = [];
  const folder = join(dir, 'hint3');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('_train.csv')).sort()) {
    readCsv(join(folder, file)).forEach((r, i) => out.push({ key: `hint3:${file}:${i}`, text: r.sentence!, intent: r.label! }));
  }
  return out;
}

export interface GoEmotion {
  key: string;
  id: string;
  text: string;
  labels: number[];
}

export function goemotions(dir: string, split: 'train' | 'dev'): GoEmotion[] {
  const rows = readFileSync(join(dir, 'goemotions', `${split}.tsv`), 'utf8').split('\n');
  return rows
    .filter((r) => r.trim())
    .map((r) => {
      const [text, labels, id] = r.split('\t');
      return { key: `goemotions:${id}`, id: id!, text: text!, labels: labels!.split(',').map(Number) };
    });
}

export function goemotionLabelNames(dir: string): string[] {
  return readFileSync(join(dir, 'goemotions', 'labels.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
}

/** CFPB narratives with the product/issue labels the bureau gave them. */
export function cfpb(dir: string): { key: string; text: string; issue: string; subIssue: string }[] {
  const path = join(dir, 'cfpb-complaints-sample', 'narratives.csv');
  if (!existsSync(path)) return [];
  return readCsv(path).map((r) => ({ key: `cfpb:${r.complaint_id}`, text: r.narrative!, issue: r.issue ?? '', subIssue: r.sub_issue ?? '' }));
}


// --- IRC (Ubuntu) logs: message lines and gold reply links ------------------------------

export interface IrcFile {
  lines: string[];
  /** child line index -> parent line index (gold links; self-links dropped). */
  parents: Map<number, number>;
}

const ircCache = new Map<string, IrcFile>();

export function ircFile(dir: string, stem: string): IrcFile {
  const folder = join(dir, 'irc-disentanglement', 'dev');
  const cached = ircCache.get(join(folder, stem));
  if (cached) return cached;
  const lines = readFileSync(join(folder, `${stem}.ascii.txt`), 'utf8').split('\n');
  const parents = new Map<number, number>();
  const annotation = join(folder, `${stem}.annotation.txt`);
  if (existsSync(annotation)) {
    for (const row of readFileSync(annotation, 'utf8').split('\n')) {
      const [a, b] = row.trim().split(/\s+/).map(Number);
      if (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && a !== b) parents.set(Math.max(a, b), Math.min(a, b));
    }
  }
  const file = { lines, parents };
  ircCache.set(join(folder, stem), file);
  return file;
}

/** `[03:10] <nick> text` -> text; joins, parts and actions -> null. */
export function ircText(line: string | undefined): string | null {
  const m = line?.match(/^\[[^\]]*\]\s*<[^>]*>\s?(.*)$/);
  return m ? m[1]! : null;
}

export function ircStems(dir: string): string[] {
  const folder = join(dir, 'irc-disentanglement', 'dev');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((f) => f.endsWith('.ascii.txt')).map((f) => f.replace('.ascii.txt', '')).sort();
}

// --- SemEval-2016 (Qatar Living) threads --------------------------------------------------

export interface SemevalThread {
  id: string;
  question: string;
  comments: { id: string; text: string }[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
const inner = (xml: string, name: string) => decode(xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))?.[1] ?? '').trim();

const semevalCache = new Map<string, Map<string, SemevalThread>>();

export function semevalThreads(dir: string): Map<string, SemevalThread> {
  const cached = semevalCache.get(dir);
  if (cached) return cached;
  const threads = new Map<string, SemevalThread>();
  const folder = join(dir, 'semeval2016-cqa-ql');
  if (existsSync(folder)) {
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.xml')).sort()) {
      const xml = readFileSync(join(folder, file), 'utf8');
      for (const m of xml.matchAll(/<Thread THREAD_SEQUENCE="([^"]+)"[^>]*>([\s\S]*?)<\/Thread>/g)) {
        const body = m[2]!;
        const question = `${inner(body, 'RelQSubject')}. ${inner(body, 'RelQBody')}`;
        const comments = [...body.matchAll(/<RelComment RELC_ID="([^"]+)"[^>]*>([\s\S]*?)<\/RelComment>/g)].map((c) => ({ id: c[1]!, text: inner(c[2]!, 'RelCText') }));
        threads.set(m[1]!, { id: m[1]!, question, comments });
      }
    }
  }
  semevalCache.set(dir, threads);
  return threads;
}

// --- Hand labels (models/labels/*.tsv) -----------------------------------------------------

/** Resolve `source ref label` rows to text (and the message each answers). Unknown refs are errors. */
export function handLabels(dataDir: string, file: string, source: string): Labelled[] {
  const rows = readFileSync(file, 'utf8').split('\n');
  const out: Labelled[] = [];
  const seen = new Set<string>();
  let goemotionsById: Map<string, GoEmotion> | null = null;
  const semeval = () => semevalThreads(dataDir);
  for (const [n, row] of rows.entries()) {
    if (!row.trim() || row.startsWith('#') || n === 0) continue;
    const [kind, ref, label] = row.split('\t').map((c) => c?.trim());
    if (!kind || !ref || (label !== '0' && label !== '1')) throw new Error(`${file}:${n + 1}: expected "source<TAB>ref<TAB>0|1"`);
    const key = `${kind}:${ref}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let text: string | null = null;
    let parent: string | undefined;
    if (kind === 'irc') {
      const [stem, index] = [ref.slice(0, ref.lastIndexOf(':')), Number(ref.slice(ref.lastIndexOf(':') + 1))];
      const irc = ircFile(dataDir, stem);
      text = ircText(irc.lines[index]);
      const p = irc.parents.get(index);
      parent = p !== undefined ? ircText(irc.lines[p]) ?? undefined : undefined;
    } else if (kind === 'goemotions') {
      goemotionsById ??= new Map(goemotions(dataDir, 'train').map((g) => [g.id, g]));
      text = goemotionsById.get(ref)?.text ?? null;
    } else if (kind === 'semeval') {
      const threadId = ref.replace(/_C\d+$/, '');
      const thread = semeval().get(threadId);
      if (thread && ref === threadId) text = thread.question;
      else if (thread) {
        text = thread.comments.find((c) => c.id === ref)?.text ?? null;
        parent = thread.question;
      }
    }
    if (text === null) throw new Error(`${file}:${n + 1}: ${key} is not in the data at ${dataDir}`);
    out.push({ key, text, parent, label: label === '1' ? 1 : 0, source: `${source}/${kind}` });
  }
  return out;
}

// --- Team-written examples (models/authored/*.tsv, `text<TAB>label`) ------------------------

/** Sentences the team wrote where public data is thin: training only, never development data. */
export function authored(file: string, source: string): Labelled[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((row) => row.trim())
    .map((row, i) => {
      const [text, label] = row.split('\t');
      if (!text || (label?.trim() !== '0' && label?.trim() !== '1')) throw new Error(`${file}:${i + 2}: expected "text<TAB>0|1"`);
      return { key: `authored:${source}:${i}`, text, label: label.trim() === '1' ? 1 : 0, source: `authored/${source}` } as Labelled;
    });
}
