import type { BatchScope } from '../repositories/batch-cache';

/** Rows remembered while a batch is open (../repositories/batch-cache.ts), loaded asynchronously. */
export interface BatchRows<T> {
  get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  set(key: string, row: T): void;
  update(key: string, change: (row: T) => T): void;
  drop(key: string): void;
  clear(): void;
}

export function batchRows<T>(scope: BatchScope, limit: number): BatchRows<T> {
  const cache = scope.cache<T>(limit);
  return {
    async get(key, load) {
      if (!scope.active) return load();
      const known = cache.peek(key);
      if (known !== undefined) return known;
      const row = await load();
      if (row !== undefined) cache.set(key, row);
      return row;
    },
    set: (key, row) => cache.set(key, row),
    update: (key, change) => cache.update(key, change),
    drop: (key) => cache.drop(key),
    clear: () => cache.clear(),
  };
}
