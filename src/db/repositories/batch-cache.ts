/**
 * Rows remembered while a batch is open (history import: `repos.begin()` .. `commit()`).
 *
 * Why it is safe: a batch starts with BEGIN IMMEDIATE, so this connection holds SQLite's
 * write lock until it ends and no other process can change a row meanwhile; every write
 * through a repository updates or drops the entries it touches; and every cache is emptied
 * when the batch ends. Outside a batch (the live bot) nothing is cached at all.
 *
 * Why it exists: an imported message reads the same few rows (its author, its parent, the
 * question it answers) from several features; each read is a B-tree lookup.
 */
export class BatchScope {
  private open = false;
  private readonly caches: RowCache<unknown>[] = [];
  private readonly deferredWrites: DeferredWrites[] = [];

  get active(): boolean {
    return this.open;
  }

  /** A cache of at most `limit` rows (oldest dropped first), live only during batches. */
  cache<T>(limit: number): RowCache<T> {
    const cache = new RowCache<T>(this, limit);
    this.caches.push(cache as RowCache<unknown>);
    return cache;
  }

  /**
   * Writes a repository holds back until the batch ends: `flush` runs just before COMMIT
   * (inside the transaction, so they land atomically with the rest), `discard` on ROLLBACK.
   */
  defer(writes: DeferredWrites): void {
    this.deferredWrites.push(writes);
  }

  start(): void {
    this.open = true;
  }

  /** Write what was deferred (call before COMMIT, inside the transaction). */
  flush(): void {
    for (const writes of this.deferredWrites) writes.flush();
  }

  end(): void {
    this.open = false;
    this.forget();
  }

  /**
   * Drop what was deferred and remembered, and stay open: a transaction inside the batch
   * rolled back (its savepoint came after a flush, so only its own writes are dropped).
   */
  forget(): void {
    for (const writes of this.deferredWrites) writes.discard();
    for (const cache of this.caches) cache.clear();
  }
}

export interface DeferredWrites {
  flush(): void;
  discard(): void;
}

export class RowCache<T> {
  private readonly rows = new Map<string, T | undefined>();

  constructor(
    private readonly scope: BatchScope,
    private readonly limit: number,
  ) {}

  /** The row for `key`, loaded once per batch (a missing row is remembered as missing). */
  get(key: string, load: () => T | undefined): T | undefined {
    if (!this.scope.active) return load();
    if (this.rows.has(key)) return this.rows.get(key);
    const row = load();
    this.set(key, row);
    return row;
  }

  /** The remembered row, without loading it (undefined when not remembered). */
  peek(key: string): T | undefined {
    return this.rows.get(key);
  }

  /** Replace the entry (a write that knows the new row). No-op outside a batch. */
  set(key: string, row: T | undefined): void {
    if (!this.scope.active) return;
    this.rows.delete(key);
    this.rows.set(key, row);
    if (this.rows.size > this.limit) this.rows.delete(this.rows.keys().next().value!);
  }

  /** Update an entry that is present (no read when it is not). */
  update(key: string, change: (row: T) => T): void {
    const row = this.rows.get(key);
    if (row !== undefined) this.rows.set(key, change(row));
  }

  drop(key: string): void {
    this.rows.delete(key);
  }

  clear(): void {
    this.rows.clear();
  }
}
