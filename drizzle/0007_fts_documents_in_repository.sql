-- New messages are counted in `related_documents` by the messages repository
-- (src/db/repositories/messages.ts), not by a trigger, for the reason 0004 gave for the FTS
-- insert: a trigger makes the INSERT INTO messages run under a statement savepoint, and FTS5
-- flushes its pending index data at every savepoint, so each message became its own tiny
-- segment again (about half of a message's storage cost). Edits and deletes keep their triggers.
DROP TRIGGER IF EXISTS `related_documents_after_insert`;
