/** The seeded split: a line's side depends only on its reference, never on the run. */
const SPLIT_SEED = 0x48454152; // "HEAR"

export function fnvKey(key: string): number {
  let h = SPLIT_SEED;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}
