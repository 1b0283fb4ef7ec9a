-- New messages are indexed by the messages repository (src/db/repositories/messages.ts) in
-- the same transaction as the row, not by a trigger. An FTS5 write inside a trigger runs
-- under a statement savepoint, and FTS5 flushes its pending index data at every savepoint:
-- each message became its own tiny segment, to be merged later (5x slower ingest).
-- Updates and deletes (rare: edits, retention, forget-me) keep their triggers.
DROP TRIGGER IF EXISTS `related_fts_after_insert`;
