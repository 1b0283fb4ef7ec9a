import { describe, expect, it } from 'vitest';
import { countedSignals, internHelps, longestChain, longestChainOf } from '../../src/core/metrics';

type Help = { actorId: string; subjectId: string | null; at: number };

// The implementation before it kept its links in typed arrays (a8a5b7e), copied verbatim: the
// metric is shown in /pulse, so the new one must give exactly the same for every input.
function referenceLongestChain(helps: Help[]): number {
  const sorted = [...helps].filter((s) => s.subjectId).sort((a, b) => a.at - b.at);
  const into = new Map<string, ChainLink[][]>();
  let best = 0;
  for (const s of sorted) {
    const subject = s.subjectId!;
    const previous = longestInto(into.get(s.actorId) ?? [], s.at, subject) ?? { member: s.actorId, length: 1 };
    const link: ChainLink = { member: subject, previous, length: previous.length + 1, at: s.at };
    const byLength = into.get(subject) ?? [];
    (byLength[link.length] ??= []).push(link);
    into.set(subject, byLength);
    best = Math.max(best, link.length);
  }
  return best >= 3 ? best : 0;
}
interface ChainLink {
  member: string;
  previous?: ChainLink;
  length: number;
  at?: number;
}
function longestInto(byLength: ChainLink[][], before: number, without: string): ChainLink | undefined {
  for (let length = byLength.length - 1; length >= 2; length--) {
    const chains = byLength[length] ?? [];
    for (let i = chains.length - 1; i >= 0; i--) if (chains[i].at! < before && !holds(chains[i], without)) return chains[i];
  }
  return undefined;
}
function holds(chain: ChainLink, member: string): boolean {
  for (let link: ChainLink | undefined = chain; link; link = link.previous) if (link.member === member) return true;
  return false;
}

/** A fixed-seed generator (mulberry32): the same histories on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random history: repeated members, shared times, self-helps, helps without a subject, in or out of time order. */
function history(random: () => number, size: number, people: number, times: number): Help[] {
  const person = () => `m${Math.floor(random() * people)}`;
  const helps: Help[] = [];
  for (let i = 0; i < size; i++) {
    const actorId = person();
    const roll = random();
    const subjectId = roll < 0.05 ? null : roll < 0.07 ? '' : roll < 0.12 ? actorId : person();
    helps.push({ actorId, subjectId, at: Math.floor(random() * times) });
  }
  // Half of them oldest first, as the store gives them (equal times keep their order).
  if (random() < 0.5) helps.sort((a, b) => a.at - b.at);
  return helps;
}

describe('longestChain', () => {
  it('gives exactly what the object-linked implementation gave, on seeded random histories', () => {
    const random = rng(20261207);
    let chains = 0;
    for (let round = 0; round < 3000; round++) {
      const medium = round % 10 === 0;
      const size = medium ? 100 + Math.floor(random() * 900) : Math.floor(random() * 40);
      const people = 1 + Math.floor(random() * (medium ? 80 : 12));
      const times = 1 + Math.floor(random() * (medium ? size : 30));
      const helps = history(random, size, people, times);
      const expected = referenceLongestChain(helps);
      if (expected > 0) chains++;
      expect(longestChain(helps), JSON.stringify(helps)).toBe(expected);
    }
    // The histories make chains, not only zeros.
    expect(chains).toBeGreaterThan(1000);
  });

  it('long chains through many members, and self-helps that start one', () => {
    const random = rng(7);
    for (let round = 0; round < 50; round++) {
      // A walk: each helps the next one soon after, with detours back to earlier members.
      const helps: Help[] = [];
      let at = 0;
      let current = 0;
      for (let i = 0; i < 400; i++) {
        const next = random() < 0.8 ? current + 1 : Math.floor(random() * (current + 2));
        helps.push({ actorId: `m${current}`, subjectId: `m${next}`, at: (at += Math.floor(random() * 2)) });
        current = next;
      }
      expect(longestChain(helps)).toBe(referenceLongestChain(helps));
    }
    const h = (actorId: string, subjectId: string | null, at: number): Help => ({ actorId, subjectId, at });
    for (const helps of [[], [h('a', 'a', 1)], [h('a', 'a', 1), h('a', 'b', 2)], [h('a', 'a', 1), h('a', 'b', 2), h('b', 'a', 3)], [h('a', null, 1), h('a', '', 2), h('a', 'b', 2), h('b', 'c', 2)], [h('b', 'c', 3), h('a', 'b', 1), h('c', 'd', 2), h('c', 'd', 4)]]) {
      expect(longestChain(helps), JSON.stringify(helps)).toBe(referenceLongestChain(helps));
    }
  });

  it('over interned columns (as the dashboard reads helps): the same as over objects, and who counts the same as countedSignals', () => {
    const random = rng(11);
    const columns = (helps: Help[]) => ({ actorId: helps.map((s) => s.actorId), subjectId: helps.map((s) => s.subjectId), at: helps.map((s) => s.at) });
    for (let round = 0; round < 300; round++) {
      const helps = history(random, Math.floor(random() * 200), 1 + Math.floor(random() * 20), 1 + Math.floor(random() * 50));
      const counted = (id: string) => id !== 'm1' && id !== 'm2';
      const kept = countedSignals(helps, counted);
      const interned = internHelps(columns(helps), counted);
      const back = Array.from(interned.actor, (actor, i) => ({ actorId: interned.members[actor], subjectId: interned.subject[i] < 0 ? null : interned.members[interned.subject[i]], at: interned.at[i] }));
      expect(back).toEqual(kept);
      expect(new Set(interned.members).size).toBe(interned.members.length);
      expect(longestChainOf(interned)).toBe(referenceLongestChain(kept));
    }
  });
});
