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
  private readonly memos: { clear(): void }[] = [];

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
    for (const writes of this.deferredWrites) writes.discard();
    for (const cache of this.caches) cache.clear();
  }

  /**
   * A memo of rows known to be stored (the hot paths' "already written, skip it"), kept
   * outside batches too: emptied whenever a transaction or batch rolls back, since what it
   * says was written may have been undone.
   */
  memo<M extends { clear(): void }>(memo: M): M {
    this.memos.push(memo);
    return memo;
  }

  /**
   * A transaction, savepoint or batch rolled back: drop what was deferred, remembered and
   * memoised (a savepoint inside a batch comes after a flush, so only its own writes go).
   */
  rolledBack(): void {
    for (const writes of this.deferredWrites) writes.discard();
    for (const cache of this.caches) cache.clear();
    for (const memo of this.memos) memo.clear();
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
