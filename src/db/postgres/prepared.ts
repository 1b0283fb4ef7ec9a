/**
 * Hot statements built once instead of at every call. Building a drizzle query (the builder,
 * its SQL text, its parameters) costs more Node CPU than the round trip itself on the import
 * path (`npx tsx bench/pg-statement-costs.ts`), so the statements every message runs are
 * built once per repository set (the pool's, a batch's, a transaction's: built on first use)
 * with placeholders, and only their values change.
 *
 * Unnamed on the server (drizzle's name is ''): node-postgres parses an unnamed statement
 * at each call, as before, so nothing is kept per connection and a transaction-pooling
 * PgBouncer in front of the server works as it did. Placeholders in a WHERE are bound as
 * given (no column encoder): pass times through toMilliseconds.
 */
export function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** Unnamed (see above). */
export const UNNAMED = '';
