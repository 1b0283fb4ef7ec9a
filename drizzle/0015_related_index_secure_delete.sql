-- Deleted words must leave the search index, not only stop matching. A `contentless_delete`
-- table (0001) deletes by tombstone: the tokens of a forgotten or purged message stayed in
-- the index pages, readable in the file, until a merge rewrote them; its `secure-delete`
-- option does not apply to tombstones. Rebuilt as a plain contentless table: a delete is the
-- FTS5 'delete' command with the text that was indexed (the old row, in the triggers), and
-- with `secure-delete` FTS5 rewrites the pages without those tokens at once. With
-- `PRAGMA secure_delete` (src/db/connection.ts) the freed bytes are zeroed.
-- The condition is exactly the one new rows are indexed under (isSearchable in
-- src/db/repositories/messages.ts): a 'delete' for a row that was never indexed would corrupt it.
DROP TRIGGER IF EXISTS `related_fts_after_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `related_fts_after_delete`;
--> statement-breakpoint
DROP TABLE IF EXISTS `related_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `related_fts` USING fts5(
	`title`,
	`body`,
	content = '',
	tokenize = 'porter unicode61'
);
--> statement-breakpoint
INSERT INTO `related_fts` (`related_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
INSERT INTO `related_fts` (`rowid`, `title`, `body`)
	SELECT `row_id`, coalesce(`title`, ''), `text` FROM `messages`
	WHERE `text` IS NOT NULL AND `author_is_bot` = 0 AND `is_companion` = 0 AND `kind` = 'message'
	ORDER BY `row_id`;
--> statement-breakpoint
CREATE TRIGGER `related_fts_after_update` AFTER UPDATE OF `text`, `title`, `author_is_bot`, `is_companion`, `kind` ON `messages`
BEGIN
	INSERT INTO `related_fts` (`related_fts`, `rowid`, `title`, `body`)
		SELECT 'delete', old.`row_id`, coalesce(old.`title`, ''), old.`text`
		WHERE old.`text` IS NOT NULL AND old.`author_is_bot` = 0 AND old.`is_companion` = 0 AND old.`kind` = 'message';
	INSERT INTO `related_fts` (`rowid`, `title`, `body`)
		SELECT new.`row_id`, coalesce(new.`title`, ''), new.`text`
		WHERE new.`text` IS NOT NULL AND new.`author_is_bot` = 0 AND new.`is_companion` = 0 AND new.`kind` = 'message';
END;
--> statement-breakpoint
CREATE TRIGGER `related_fts_after_delete` AFTER DELETE ON `messages`
WHEN old.`text` IS NOT NULL AND old.`author_is_bot` = 0 AND old.`is_companion` = 0 AND old.`kind` = 'message'
BEGIN
	INSERT INTO `related_fts` (`related_fts`, `rowid`, `title`, `body`) VALUES ('delete', old.`row_id`, coalesce(old.`title`, ''), old.`text`);
END;
