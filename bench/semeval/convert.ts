/**
 * SemEval-2016 Task 3 (Qatar Living, subtask B) XML -> the `related-eval` JSON-lines contract.
 *
 * Each related question becomes a discussion: its subject is the title, its body the first
 * message, its comments replies (`threadId` = the question). Each original question becomes a
 * query whose `candidates` are its 10 related questions, listed in a shuffled order (a hash of
 * the id) so nothing downstream can lean on the search engine's ranking. The gold labels go to
 * a separate qrels file the system never reads.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface CorpusLine {
  id: string;
  channel: string;
  author: string;
  text: string;
  at: number;
  title?: string;
  threadId?: string;
  replyTo?: string;
}
export interface QueryLine {
  id: string;
  text: string;
  title?: string;
  candidates: string[];
}
export interface Qrel {
  query: string;
  id: string;
  relevant: boolean;
  /** The search engine's rank (1 = first), kept only to score that baseline. */
  engineRank: number;
}
export interface Converted {
  corpus: CorpusLine[];
  queries: QueryLine[];
  qrels: Qrel[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
export const attrs = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decode(m[2])]));
export const inner = (xml: string, name: string): string => {
  const m = xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`));
  return m ? decode(m[1]).trim() : '';
};
export const time = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
export const shuffleKey = (id: string) => createHash('sha1').update(id).digest('hex');

/** Gold from the official `.relevancy` file (dev) when given, else inline labels (train). */
function readRelevancy(path: string): Map<string, boolean> {
  const gold = new Map<string, boolean>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [, rel, , , label] = line.trim().split('\t');
    if (rel && label) gold.set(rel, label === 'true');
  }
  return gold;
}

export function convert(xmlPath: string, relevancyPath?: string): Converted {
  const xml = readFileSync(xmlPath, 'utf8');
  const gold = relevancyPath ? readRelevancy(relevancyPath) : undefined;
  const corpus: CorpusLine[] = [];
  const queries = new Map<string, QueryLine>();
  const qrels: Qrel[] = [];
  for (const block of xml.matchAll(/<OrgQuestion ([^>]*)>([\s\S]*?)<\/OrgQuestion>/g)) {
    const qid = attrs(block[1]).ORGQ_ID;
    const body = block[2];
    let query = queries.get(qid);
    if (!query) {
      query = { id: qid, title: inner(body, 'OrgQSubject'), text: inner(body, 'OrgQBody'), candidates: [] };
      queries.set(qid, query);
    }
    for (const thread of body.matchAll(/<Thread [^>]*>([\s\S]*?)<\/Thread>/g)) {
      const rq = thread[1].match(/<RelQuestion ([^>]*)>([\s\S]*?)<\/RelQuestion>/);
      if (!rq) continue;
      const a = attrs(rq[1]);
      const id = a.RELQ_ID;
      query.candidates.push(id);
      const label = a.RELQ_RELEVANCE2ORGQ;
      const relevant = gold?.get(id) ?? (label === 'PerfectMatch' || label === 'Relevant');
      qrels.push({ query: qid, id, relevant, engineRank: Number(a.RELQ_RANKING_ORDER) });
      corpus.push({
        id,
        channel: a.RELQ_CATEGORY || 'forum',
        author: a.RELQ_USERID,
        title: inner(rq[2], 'RelQSubject'),
        text: inner(rq[2], 'RelQBody'),
        at: time(a.RELQ_DATE),
      });
      for (const c of thread[1].matchAll(/<RelComment ([^>]*)>([\s\S]*?)<\/RelComment>/g)) {
        const ca = attrs(c[1]);
        corpus.push({ id: ca.RELC_ID, channel: a.RELQ_CATEGORY || 'forum', author: ca.RELC_USERID, text: inner(c[2], 'RelCText'), at: time(ca.RELC_DATE), threadId: id, replyTo: id });
      }
    }
  }
  for (const q of queries.values()) q.candidates.sort((x, y) => shuffleKey(x).localeCompare(shuffleKey(y)));
  return { corpus, queries: [...queries.values()], qrels };
}
