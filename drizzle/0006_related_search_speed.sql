CREATE INDEX `signals_related_idx` ON `signals` (`community_id`,`message_id`) WHERE "signals"."kind" = 'thanked' OR "signals"."dedupe_key" GLOB 'helped:accepted:*';--> statement-breakpoint
-- Custom SQL (like related_fts, not in schema.ts): how many messages of each channel the
-- related-search index holds, kept by triggers with the same condition as related_fts's.
-- Related search reads the document count of the asker's readable channels from here
-- instead of counting messages (a scan of the whole community) on every query.
CREATE TABLE `related_documents` (
	`community_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`documents` integer NOT NULL,
	PRIMARY KEY (`community_id`, `channel_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `related_documents` (`community_id`, `channel_id`, `documents`)
	SELECT `community_id`, `channel_id`, count(*) FROM `messages`
	WHERE `text` IS NOT NULL AND `author_is_bot` = 0 AND `is_companion` = 0 AND `kind` = 'message'
	GROUP BY `community_id`, `channel_id`;
--> statement-breakpoint
CREATE TRIGGER `related_documents_after_insert` AFTER INSERT ON `messages`
WHEN new.`text` IS NOT NULL AND new.`author_is_bot` = 0 AND new.`is_companion` = 0 AND new.`kind` = 'message'
BEGIN
	INSERT INTO `related_documents` (`community_id`, `channel_id`, `documents`) VALUES (new.`community_id`, new.`channel_id`, 1)
		ON CONFLICT (`community_id`, `channel_id`) DO UPDATE SET `documents` = `documents` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `related_documents_after_update` AFTER UPDATE OF `text`, `author_is_bot`, `is_companion`, `kind`, `community_id`, `channel_id` ON `messages`
BEGIN
	UPDATE `related_documents` SET `documents` = `documents` - 1
		WHERE `community_id` = old.`community_id` AND `channel_id` = old.`channel_id`
		AND old.`text` IS NOT NULL AND old.`author_is_bot` = 0 AND old.`is_companion` = 0 AND old.`kind` = 'message';
	INSERT INTO `related_documents` (`community_id`, `channel_id`, `documents`)
		SELECT new.`community_id`, new.`channel_id`, 1
		WHERE new.`text` IS NOT NULL AND new.`author_is_bot` = 0 AND new.`is_companion` = 0 AND new.`kind` = 'message'
		ON CONFLICT (`community_id`, `channel_id`) DO UPDATE SET `documents` = `documents` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `related_documents_after_delete` AFTER DELETE ON `messages`
WHEN old.`text` IS NOT NULL AND old.`author_is_bot` = 0 AND old.`is_companion` = 0 AND old.`kind` = 'message'
BEGIN
	UPDATE `related_documents` SET `documents` = `documents` - 1
		WHERE `community_id` = old.`community_id` AND `channel_id` = old.`channel_id`;
END;
