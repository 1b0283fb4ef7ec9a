/**
 * Keep `value` under `key` as the most recently used, dropping the least recently used
 * entries beyond `max` (a Map iterates in insertion order: the first key is the oldest).
 */
export function keepBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}
