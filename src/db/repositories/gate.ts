/**
 * Keeps an async transaction alone on SQLite's one connection. better-sqlite3 has a single
 * connection per process, so a statement run while a transaction is open joins it, whoever
 * runs it: another event handled meanwhile would see uncommitted rows, and its writes would
 * be committed or rolled back with someone else's. So calls through the store are "shared"
 * (any number at once, as before) and a transaction is "exclusive": it waits for the calls in
 * flight to finish, and calls made while it is open (or waiting) wait for it to end.
 *
 * When nothing is waiting, both kinds start synchronously, so a call's statements run at the
 * moment it is made, exactly as without the gate.
 */
export class Gate {
  /** Shared calls in flight. */
  private inFlight = 0;
  private exclusiveHeld = false;
  /** Exclusive sections waiting for their turn, in order. */
  private readonly exclusiveQueue: (() => void)[] = [];
  /** Shared calls waiting for the exclusive sections to end. */
  private sharedQueue: (() => void)[] = [];
  private readonly leave = () => {
    if (--this.inFlight === 0) this.next();
  };

  /** `fn` as a shared call: waits while an exclusive section holds or awaits the gate. */
  shared<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    const run = (...args: A): Promise<R> => {
      if (this.exclusiveHeld || this.exclusiveQueue.length > 0) {
        return new Promise<void>((resolve) => this.sharedQueue.push(resolve)).then(() => run(...args));
      }
      this.inFlight++;
      let result: Promise<R>;
      try {
        result = fn(...args);
      } catch (error) {
        this.leave();
        throw error;
      }
      // The caller gets `fn`'s own promise (settling when it would without the gate).
      result.then(this.leave, this.leave);
      return result;
    };
    return run;
  }

  /** Run `fn` alone: after the shared calls in flight, before any made from now on. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.exclusiveHeld || this.exclusiveQueue.length > 0 || this.inFlight > 0) {
      return new Promise<void>((resolve) => {
        this.exclusiveQueue.push(resolve);
      }).then(() => this.hold(fn));
    }
    return this.hold(fn);
  }

  private hold<T>(fn: () => Promise<T>): Promise<T> {
    this.exclusiveHeld = true;
    let result: Promise<T>;
    try {
      result = fn();
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.finally(() => {
      this.exclusiveHeld = false;
      this.next();
    });
  }

  /** Hand the gate on: to the next exclusive section once nothing is in flight, else to the waiting shared calls. */
  private next(): void {
    if (this.exclusiveHeld || this.inFlight > 0) return;
    const exclusive = this.exclusiveQueue.shift();
    if (exclusive) {
      this.exclusiveHeld = true; // reserved now, so no shared call slips in before it starts
      exclusive();
      return;
    }
    const waiting = this.sharedQueue;
    this.sharedQueue = [];
    for (const resume of waiting) resume();
  }
}
