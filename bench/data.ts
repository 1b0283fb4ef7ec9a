/**
 * Deterministic synthetic community history for benchmarks: a Zipf-distributed vocabulary,
 * topics that recur, questions with threaded answers, thanks and chatter, many authors.
 * Same seed, same data, so runs are comparable.
 */
export interface BenchMessage {
  id: string;
  channel: string;
  author: string;
  text: string;
  at: number;
  replyTo?: string;
  threadId?: string;
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'sa', 'tor', 'vel', 'qui', 'dan', 'ex', 'por', 'lin', 'ux', 'ber', 'cas', 'fen', 'gil', 'hop', 'jas', 'nor'];
const COMMON = ['the', 'a', 'to', 'is', 'it', 'and', 'i', 'my', 'of', 'in', 'for', 'on', 'with', 'this', 'that', 'how', 'do', 'can', 'when', 'after', 'error', 'export', 'login', 'api', 'key', 'sync', 'update', 'crash', 'billing', 'webhook', 'token', 'upload', 'timeout', 'dashboard', 'settings', 'mobile', 'android', 'ios', 'password', 'reset', 'invoice', 'plan', 'team', 'invite', 'slow', 'fails', 'works', 'again', 'version', 'server'];

export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set(COMMON);
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Zipf-ish pick: low indexes are much more frequent. */
function zipf(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.pow(random(), 2.2) * n));
}

export function* generateMessages(count: number, seed = 42, start = Date.UTC(2024, 0, 1)): Generator<BenchMessage> {
  const random = rng(seed);
  const vocab = vocabulary(20_000, random);
  const topics = Array.from({ length: 2000 }, () => Array.from({ length: 6 }, () => vocab[zipf(random, vocab.length)]));
  const channels = ['general', 'help', 'support', 'dev', 'random', 'announcements', 'feedback', 'ops'];
  const authors = Math.max(50, Math.floor(count / 40));
  const openQuestions: { id: string; channel: string; topic: string[] }[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    at += 1000 + Math.floor(random() * 60_000);
    const author = `u${zipf(random, authors)}`;
    const words = (k: number, topic?: string[]) =>
      Array.from({ length: k }, () => (topic && random() < 0.45 ? topic[Math.floor(random() * topic.length)] : vocab[zipf(random, vocab.length)])).join(' ');
    const roll = random();
    if (roll < 0.3 || openQuestions.length === 0) {
      const topic = topics[zipf(random, topics.length)];
      const channel = channels[Math.floor(random() * 3) + 1];
      const id = `m${i}`;
      openQuestions.push({ id, channel, topic });
      if (openQuestions.length > 200) openQuestions.shift();
      yield { id, channel, author, text: `how do I ${words(8 + Math.floor(random() * 14), topic)}?`, at };
    } else if (roll < 0.8) {
      const q = openQuestions[Math.floor(random() * openQuestions.length)];
      yield { id: `m${i}`, channel: q.channel, author, text: words(10 + Math.floor(random() * 30), q.topic), at, replyTo: q.id, threadId: q.id };
    } else if (roll < 0.85) {
      const q = openQuestions[Math.floor(random() * openQuestions.length)];
      yield { id: `m${i}`, channel: q.channel, author, text: 'thanks, that worked!', at, replyTo: q.id, threadId: q.id };
    } else {
      yield { id: `m${i}`, channel: channels[Math.floor(random() * channels.length)], author, text: words(5 + Math.floor(random() * 20)), at };
    }
  }
}

/** Query texts drawn from the same topics (realistic: people ask about what was discussed). */
export function generateQueries(count: number, seed = 7): string[] {
  const random = rng(seed);
  const base = rng(42);
  const vocab = vocabulary(20_000, base);
  const topics = Array.from({ length: 2000 }, () => Array.from({ length: 6 }, () => vocab[Math.min(vocab.length - 1, Math.floor(Math.pow(base(), 2.2) * vocab.length))]));
  return Array.from({ length: count }, () => {
    const topic = topics[Math.floor(Math.pow(random(), 2.2) * topics.length)];
    const extra = vocab[Math.floor(Math.pow(random(), 2.2) * vocab.length)];
    return `how can I fix ${topic.slice(0, 3 + Math.floor(random() * 3)).join(' ')} ${extra}?`;
  });
}
