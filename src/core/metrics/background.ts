/**
 * Work a view asked for but does not wait for (a pulse computed again: a second or more of
 * reading at a million messages), done after that view has been answered, one piece at a
 * time so that two never hold the process (and its memory) together, each piece queued once
 * however many views ask for it meanwhile. One per dashboard, shared by everything it
 * computes in the background.
 */
export class BackgroundWork {
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();
  private closed = false;

  /**
   * Run `task` after the pieces queued before it, once the current event-loop turn is over
   * (the view that asked has been answered); nothing if `key` is queued already or the work
   * is closed (then false). A failed piece is dropped: what it would have refreshed is asked
   * again by the next view.
   */
  queue(key: string, task: () => Promise<void>): boolean {
    if (this.closed) return false;
    if (this.queued.has(key)) return true;
    this.queued.add(key);
    this.chain = this.chain.then(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        if (!this.closed) await task();
      } catch {
        // Kept figures are shown until the next view asks again.
      } finally {
        this.queued.delete(key);
      }
    });
    return true;
  }

  /** Resolves once every piece queued so far is done (tests, benchmarks). */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Shutdown: nothing more is started; resolves once the piece under way, if any, is done. */
  close(): Promise<void> {
    this.closed = true;
    return this.chain;
  }
}
