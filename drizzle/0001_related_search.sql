-- Related-discussion search: a full-text index of human messages (never bots', never the
-- companion's own), one row per message keyed by messages.row_id. Contentless: the text
-- lives only in `messages`; the index holds tokens. `contentless_delete` + `secure-delete`
-- make a DELETE remove a message's tokens from the index at once (platform delete, retention
-- purge, forget-me). Triggers keep it in step with `messages` whatever code path writes it.
-- Porter stemming here; stop words are dropped when the query is built (src/core/search/text.ts).
CREATE VIRTUAL TABLE `related_fts` USING fts5(
	`title`,
	`body`,
	content = '',
	contentless_delete = 1,
	tokenize = 'porter unicode61'
);
--> statement-breakpoint
INSERT INTO `related_fts` (`related_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
CREATE TRIGGER `related_fts_after_insert` AFTER INSERT ON `messages`
WHEN new.`text` IS NOT NULL AND new.`author_is_bot` = 0 AND new.`is_companion` = 0 AND new.`kind` = 'message'
BEGIN
	INSERT INTO `related_fts` (`rowid`, `title`, `body`) VALUES (new.`row_id`, coalesce(new.`title`, ''), new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `related_fts_after_update` AFTER UPDATE OF `text`, `title`, `author_is_bot`, `is_companion`, `kind` ON `messages`
BEGIN
	DELETE FROM `related_fts` WHERE `rowid` = old.`row_id`;
	INSERT INTO `related_fts` (`rowid`, `title`, `body`)
		SELECT new.`row_id`, coalesce(new.`title`, ''), new.`text`
		WHERE new.`text` IS NOT NULL AND new.`author_is_bot` = 0 AND new.`is_companion` = 0 AND new.`kind` = 'message';
END;
--> statement-breakpoint
CREATE TRIGGER `related_fts_after_delete` AFTER DELETE ON `messages`
BEGIN
	DELETE FROM `related_fts` WHERE `rowid` = old.`row_id`;
END;
--> statement-breakpoint
INSERT INTO `related_fts` (`rowid`, `title`, `body`)
	SELECT `row_id`, coalesce(`title`, ''), `text` FROM `messages`
	WHERE `text` IS NOT NULL AND `author_is_bot` = 0 AND `is_companion` = 0 AND `kind` = 'message';
